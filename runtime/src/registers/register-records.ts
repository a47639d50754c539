/**
 * What every register operation shares: where a record sits in the org tree (from its grid field),
 * its identity digest, its title, who may see its personal data in clear, and how it is shown.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { UserError, asSubject, maskValue } from '@gridflow/engine';
import type { LocalizedText, SensitiveKind } from '@gridflow/engine';
import { whereAllowed } from '../access/sql-conditions.ts';
import { registerRecordSql } from '../access/subject-maps.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { isoOf } from '../db/values.ts';
import type { Register } from './register-catalog.ts';

/** A record's place in the org tree. */
export interface RecordPlace {
  gridCode: string;
  communityCode: string | null;
  streetCode: string | null;
  districtCode: string | null;
}

/** A record as the API shows it (values masked for the user). */
export interface RecordView {
  id: string;
  register: string;
  title: string;
  status: string;
  version: number;
  formVersion: number;
  gridCode: string | null;
  values: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** Columns of register_records a view needs. */
export const recordColumns = ['register_records.id', 'register_records.register', 'register_records.title', 'register_records.status', 'register_records.version',
  'register_records.form_version', 'register_records.grid_code', 'register_records.form_values', 'register_records.created_at', 'register_records.updated_at'];

/** The label of a register record in "not found" answers. */
export const RECORD: LocalizedText = { 'zh-CN': '台账记录', en: 'register record' };

/** The org units above a grid; undefined when the code is not a grid of the active org tree. */
export function placeOf(user: SignedInUser, gridCode: string): RecordPlace | undefined {
  const grid = user.policy.units.get(gridCode);
  if (!grid || grid.level !== 'grid') return undefined;
  const place: RecordPlace = { gridCode, communityCode: null, streetCode: null, districtCode: null };
  for (let unit = grid.parent ? user.policy.units.get(grid.parent) : undefined; unit; unit = unit.parent ? user.policy.units.get(unit.parent) : undefined) {
    if (unit.level === 'community') place.communityCode = unit.code;
    else if (unit.level === 'street') place.streetCode = unit.code;
    else if (unit.level === 'district') place.districtCode = unit.code;
  }
  return place;
}

/** The place of a record to be written: the grid must exist and be inside the user's scope for the action. */
export function placeForWrite(user: SignedInUser, register: Register, values: Record<string, unknown>, action: 'edit' | 'import', where: string): RecordPlace {
  const field = register.spec.gridField;
  const title = String((register.form.properties[field] as { title?: unknown } | undefined)?.title ?? field);
  const code = String(values[field] ?? '');
  const place = placeOf(user, code);
  if (!place) {
    throw new UserError('register.unknownGrid', { 'zh-CN': `“${title}”：网格“${code}”不存在`, en: `"${title}": grid "${code}" does not exist` }, {
      status: 422, details: [{ target: `${where}/${field}`, message: { 'zh-CN': `网格“${code}”不存在`, en: `Grid "${code}" does not exist` } }],
    });
  }
  if (!user.ability.can(action, asSubject('RegisterRecord', { register: register.spec.code, ...place }))) {
    throw new UserError('register.outOfScope', { 'zh-CN': `无权在网格“${code}”登记“${register.spec.name}”`, en: `You may not keep ${register.spec.code} records in grid "${code}"` }, {
      status: 403, details: [{ target: `${where}/${field}`, message: { 'zh-CN': '网格不在您的管辖范围内', en: 'The grid is outside your scope' } }],
    });
  }
  return place;
}

const normalized = (v: unknown) => (typeof v === 'string' ? v.trim().toUpperCase() : JSON.stringify(v ?? null));

/** SHA-256 of the register and the identifying values (ID numbers are not stored in an index in clear). */
export function identityDigest(register: Register, values: Record<string, unknown>): string | null {
  const fields = register.spec.identityFields ?? [];
  if (fields.length === 0 || fields.some((f) => values[f] === undefined || values[f] === null || values[f] === '')) return null;
  return createHash('sha256').update([register.spec.code, ...fields.map((f) => normalized(values[f]))].join('\u0000')).digest('hex');
}

/** The title of a record (its title field's value, at most 200 characters). */
export function titleOf(register: Register, values: Record<string, unknown>): string {
  return String(values[register.spec.titleField] ?? '').slice(0, 200);
}

/** For each record id, the kinds of personal data the user may see in clear. */
export async function clearKinds(db: Knex, user: SignedInUser, register: Register, ids: string[]): Promise<Map<string, Set<SensitiveKind>>> {
  const out = new Map<string, Set<SensitiveKind>>();
  if (ids.length === 0) return out;
  for (const kind of new Set(register.sensitive.values())) {
    if (!user.ability.can('unmask', 'RegisterRecord', kind)) continue;
    const rows = await whereAllowed(db('register_records').whereIn('register_records.id', ids), user.ability, 'unmask', 'RegisterRecord', registerRecordSql, user.principal, kind)
      .select('register_records.id') as { id: string }[];
    for (const { id } of rows) out.set(id, (out.get(id) ?? new Set()).add(kind));
  }
  return out;
}

/** Masks the sensitive values the user may not see in clear; returns the fields shown in clear. */
export function maskValues(register: Register, values: Record<string, unknown>, clear: ReadonlySet<SensitiveKind> | undefined): { values: Record<string, unknown>; shown: string[] } {
  const out = { ...values };
  const shown: string[] = [];
  for (const [field, kind] of register.sensitive) {
    if (out[field] === undefined || out[field] === null) continue;
    if (clear?.has(kind)) shown.push(field);
    else out[field] = maskValue(kind, out[field]);
  }
  return { values: out, shown };
}

/** The title as the user may see it. */
export function shownTitle(register: Register, title: string, clear: ReadonlySet<SensitiveKind> | undefined): string {
  const kind = register.sensitive.get(register.spec.titleField);
  return kind && !clear?.has(kind) ? String(maskValue(kind, title)) : title;
}

/** A stored row as the API shows it. */
export function recordView(register: Register, row: Record<string, unknown>, clear: ReadonlySet<SensitiveKind> | undefined): { view: RecordView; shown: string[] } {
  const { values, shown } = maskValues(register, JSON.parse(String(row.form_values)) as Record<string, unknown>, clear);
  return {
    view: {
      id: String(row.id), register: String(row.register), title: shownTitle(register, String(row.title), clear), status: String(row.status),
      version: Number(row.version), formVersion: Number(row.form_version), gridCode: (row.grid_code as string | null) ?? null, values,
      createdAt: isoOf(row.created_at) ?? '', updatedAt: isoOf(row.updated_at) ?? '',
    },
    shown,
  };
}
