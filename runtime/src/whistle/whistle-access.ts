/** The case a whistle route works on, as the user may see it: 404 when they may not see it, 403 when they may only see it. */
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { notFound } from '../http/scoped.ts';

/** The case fields a whistle needs. */
export interface WhistleCase {
  id: string;
  title: string | null;
  status: string;
  process_instance_id: string | null;
  event_type: string | null;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  district_code: string | null;
}

/** The label of a case in "not found" answers. */
export const CASE = { 'zh-CN': '事件', en: 'case' };
/** The label of a whistle in "not found" answers. */
export const WHISTLE = { 'zh-CN': '吹哨', en: 'whistle' };

const columns = ['cases.id', 'cases.title', 'cases.status', 'cases.process_instance_id', 'cases.event_type', 'cases.grid_code', 'cases.community_code', 'cases.street_code', 'cases.district_code'];

/** The case, when the user may read it and (for `whistle`) blow a whistle on it. */
export async function caseForWhistle(db: Knex, user: SignedInUser, caseId: string, action: 'read' | 'whistle'): Promise<WhistleCase> {
  const q = () => db('cases').where('cases.id', caseId);
  const row = await whereAllowed(q(), user.ability, 'read', 'Case', caseSql, user.principal).first(columns) as WhistleCase | undefined;
  if (!row) throw notFound(CASE);
  if (action === 'whistle' && !(await whereAllowed(q(), user.ability, 'whistle', 'Case', caseSql, user.principal).first('cases.id'))) {
    throw new UserError('auth.forbidden', { 'zh-CN': '无权对此事件吹哨（须为事件所在街道的领导或调度员）', en: 'You may not blow a whistle on this case (the street leader or dispatcher of its street may)' }, { status: 403 });
  }
  return row;
}

/** Whistles on cases the user may read (a query of `whistles` joined with `cases`). */
export function readableWhistles(db: Knex, user: SignedInUser): Knex.QueryBuilder {
  return whereAllowed(db('whistles').join('cases', 'cases.id', 'whistles.case_id'), user.ability, 'read', 'Case', caseSql, user.principal);
}
