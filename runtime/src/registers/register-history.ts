/**
 * The history of a register record: every version with who changed what, field by field, and the
 * links made and removed, oldest first. Personal data is masked as in the record itself.
 */
import type { Knex } from 'knex';
import type { SensitiveKind } from '@gridflow/engine';
import { isoOf } from '../db/values.ts';
import type { Register } from './register-catalog.ts';
import { maskValues } from './register-records.ts';

/** One field's change between two versions. */
export interface FieldChange {
  field: string;
  title: string;
  before: unknown;
  after: unknown;
}

/** One entry of a record's history. */
export interface HistoryEntry {
  version: number | null;
  change: string;
  at: string;
  by: { username: string; name: string } | null;
  formVersion: number | null;
  changes: FieldChange[];
  link?: { relation: string; other: string };
  importId?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Field changes from one version's values to the next (values already masked). */
function changesOf(register: Register, before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields.filter((f) => !same(before[f], after[f])).map((field) => ({
    field, title: String((register.form.properties[field] as { title?: unknown } | undefined)?.title ?? field), before: before[field] ?? null, after: after[field] ?? null,
  }));
}

/** The history of a record the caller has checked the user may read; returns the fields shown in clear. */
export async function recordHistory(db: Knex, register: Register, id: string, clear: ReadonlySet<SensitiveKind> | undefined): Promise<{ entries: HistoryEntry[]; shown: string[] }> {
  const versions = await db('register_record_versions as v').leftJoin('users as u', 'u.id', 'v.changed_by').where('v.record_id', id).orderBy('v.version')
    .select('v.version', 'v.change', 'v.form_version', 'v.form_values', 'v.import_id', 'v.changed_at', 'u.username', 'u.display_name') as Record<string, unknown>[];
  const shown = new Set<string>();
  let previous: Record<string, unknown> = {};
  const entries: HistoryEntry[] = versions.map((v) => {
    const masked = maskValues(register, JSON.parse(String(v.form_values)) as Record<string, unknown>, clear);
    masked.shown.forEach((f) => shown.add(f));
    const entry: HistoryEntry = {
      version: Number(v.version), change: String(v.change), at: isoOf(v.changed_at) ?? '', formVersion: Number(v.form_version),
      by: v.username ? { username: String(v.username), name: String(v.display_name) } : null, changes: changesOf(register, previous, masked.values),
      ...(v.import_id ? { importId: String(v.import_id) } : {}),
    };
    previous = masked.values;
    return entry;
  });
  const links = await db('register_links as l').leftJoin('users as a', 'a.id', 'l.created_by').leftJoin('users as r', 'r.id', 'l.removed_by')
    .where((w) => w.where('l.from_record', id).orWhere('l.to_record', id))
    .select('l.id', 'l.relation', 'l.from_record', 'l.to_record', 'l.created_at', 'l.removed_at', 'a.username as a_username', 'a.display_name as a_name', 'r.username as r_username', 'r.display_name as r_name') as Record<string, unknown>[];
  for (const l of links) {
    const other = String(l.from_record === id ? l.to_record : l.from_record);
    const link = { relation: String(l.relation), other };
    entries.push({ version: null, change: 'linked', at: isoOf(l.created_at) ?? '', by: l.a_username ? { username: String(l.a_username), name: String(l.a_name) } : null, formVersion: null, changes: [], link });
    if (l.removed_at) entries.push({ version: null, change: 'unlinked', at: isoOf(l.removed_at) ?? '', by: l.r_username ? { username: String(l.r_username), name: String(l.r_name) } : null, formVersion: null, changes: [], link });
  }
  entries.sort((a, b) => a.at.localeCompare(b.at) || (a.version ?? Infinity) - (b.version ?? Infinity));
  return { entries, shown: [...shown] };
}
