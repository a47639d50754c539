/** Query helpers of registers: filters on form fields stored as JSON (SQLite and MySQL), and audited clear reads. */
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf } from '../http/scoped.ts';
import type { Register } from './register-catalog.ts';

const isMysql = (db: Knex) => String(db.client.config.client).startsWith('mysql');

/** Adds `field:value` filters (only the register's filter fields) to a records query. */
export function filterByFields(db: Knex, q: Knex.QueryBuilder, register: Register, filters: string[]): void {
  const allowed = new Set(register.spec.filterFields ?? []);
  filters.forEach((filter, i) => {
    const at = filter.indexOf(':');
    const field = filter.slice(0, at);
    const raw = filter.slice(at + 1);
    if (at < 1 || !allowed.has(field)) {
      throw new UserError('register.filter', { 'zh-CN': `不能按“${field || filter}”筛选`, en: `Cannot filter by "${field || filter}"` }, {
        details: [{ target: `/query/filter/${i}`, message: { 'zh-CN': `可筛选字段：${[...allowed].join('、') || '无'}`, en: `Filter fields: ${[...allowed].join(', ') || 'none'}` } }],
      });
    }
    const type = (register.form.properties[field] as { type?: string } | undefined)?.type;
    const path = `$.${field}`;
    if (isMysql(db)) {
      q.whereRaw('JSON_UNQUOTE(JSON_EXTRACT(register_records.form_values, ?)) = ?', [path, type === 'boolean' ? String(raw === 'true') : raw]);
    } else {
      const value = type === 'boolean' ? (raw === 'true' ? 1 : 0) : type === 'integer' ? Number(raw) : raw;
      q.whereRaw('json_extract(register_records.form_values, ?) = ?', [path, value]);
    }
  });
}

/** Audits the personal data shown in clear, if any. */
export async function auditShown(db: Knex, ctx: RequestContext, user: SignedInUser, clock: () => Date, records: { id: string; fields: string[] }[]): Promise<void> {
  const shown = records.filter((r) => r.fields.length > 0);
  if (shown.length === 0) return;
  await new AuditLog(db).record({
    occurredAt: clock().toISOString(), actor: actorOf(user), action: 'personalData.read',
    target: { type: 'registerRecord', ...(shown.length === 1 ? { id: shown[0]?.id } : {}) }, outcome: 'success', ...clientOf(ctx), details: { records: shown },
  });
}
