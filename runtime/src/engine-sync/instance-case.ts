/**
 * The case a process instance works for. A case's own instance has the case id as business key;
 * other instances about a case (a whistle's: 街道吹哨) have their own id as business key and are
 * linked to the case by their row, so their tasks still belong to the case (inbox, access, timeline).
 */
import type { Knex } from 'knex';

/** The case of an instance's business key; `own` when the instance is the case's own process. */
export interface InstanceCase {
  id: string;
  org_unit_code: string | null;
  own: boolean;
}

/** The case of a business key, or undefined when it names none. */
export async function caseOfBusinessKey(db: Knex | Knex.Transaction, businessKey: string | null | undefined): Promise<InstanceCase | undefined> {
  if (!businessKey) return undefined;
  const own = await db('cases').where({ id: businessKey }).first('id', 'org_unit_code') as { id: string; org_unit_code: string | null } | undefined;
  if (own) return { ...own, own: true };
  const whistle = await db('whistles').join('cases', 'cases.id', 'whistles.case_id').where('whistles.id', businessKey)
    .first('cases.id as id', 'cases.org_unit_code as org_unit_code') as { id: string; org_unit_code: string | null } | undefined;
  return whistle ? { ...whistle, own: false } : undefined;
}
