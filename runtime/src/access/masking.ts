/**
 * Masks personal data in API responses. Whether a user may see a field of a row in clear is
 * decided by the database with the same conditions as every other check (one query per group of
 * fields with the same rules, over the ids of the page). Rows keep only what the user may see.
 */
import type { Knex } from 'knex';
import { maskValue } from '@gridflow/engine';
import type { AccessSubject, AppAbility, Principal, SensitiveField } from '@gridflow/engine';
import { whereAllowed } from './sql-conditions.ts';
import type { SubjectSql } from './sql-conditions.ts';

/** What a masking pass needs to know about the rows' subject. */
export interface MaskTarget {
  subject: AccessSubject;
  sql: SubjectSql;
  /** The base query of the subject (table and joins), without conditions. */
  from: (db: Knex) => Knex.QueryBuilder;
  /** Id column in that query, and the id property of the rows. */
  idColumn: string;
  idField: string;
}

/** Rows after masking, and which fields of which rows were shown in clear (to be audited). */
export interface Masked<T> {
  rows: T[];
  unmasked: { id: string; fields: string[] }[];
}

/** Masks the sensitive fields of rows unless the user may unmask them for that row. */
export async function maskRows<T extends Record<string, unknown>>(
  db: Knex, ability: AppAbility, principal: Principal, sensitive: SensitiveField[], target: MaskTarget, rows: T[],
): Promise<Masked<T>> {
  const fields = sensitive.filter((f) => f.subject === target.subject && rows.some((r) => r[f.field] !== undefined && r[f.field] !== null));
  if (rows.length === 0 || fields.length === 0) return { rows, unmasked: [] };
  const ids = rows.map((r) => String(r[target.idField]));
  // Fields governed by the same rules share one query.
  const groups = new Map<string, SensitiveField[]>();
  for (const f of fields) {
    const key = JSON.stringify(ability.rulesFor('unmask', target.subject, f.field).map((r) => [r.conditions, r.inverted]));
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const clear = new Map<string, Set<string>>();
  for (const group of groups.values()) {
    const first = group[0] as SensitiveField;
    const allowed = ability.can('unmask', target.subject, first.field)
      ? await whereAllowed(target.from(db).whereIn(target.idColumn, ids), ability, 'unmask', target.subject, target.sql, principal, first.field)
        .select({ id: target.idColumn }) as { id: string }[]
      : [];
    for (const { id } of allowed) for (const f of group) clear.set(String(id), (clear.get(String(id)) ?? new Set()).add(f.field));
  }
  const unmasked: { id: string; fields: string[] }[] = [];
  const out = rows.map((row) => {
    const id = String(row[target.idField]);
    const shown = clear.get(id);
    const copy: Record<string, unknown> = { ...row };
    const inClear: string[] = [];
    for (const f of fields) {
      if (copy[f.field] === undefined || copy[f.field] === null) continue;
      if (shown?.has(f.field)) inClear.push(f.field);
      else copy[f.field] = maskValue(f.kind, copy[f.field]);
    }
    if (inClear.length > 0) unmasked.push({ id, fields: inClear });
    return copy as T;
  });
  return { rows: out, unmasked };
}
