/** Helpers of scoped endpoints: paging, "not found" (also for out-of-scope objects) and audited personal data. */
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { UserError } from '@gridflow/engine';
import type { AccessSubject, LocalizedText } from '@gridflow/engine';
import { AuditLog, auditClient } from '../audit/audit.store.ts';
import { maskRows } from '../access/masking.ts';
import type { MaskTarget } from '../access/masking.ts';
import { actorOf } from './request-context.ts';
import type { RequestContext, SignedInUser } from './request-context.ts';

/** Paging query parameters. */
export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

/** The one answer for a missing object and for one the user may not see: they are indistinguishable. */
export function notFound(what: LocalizedText): UserError {
  return new UserError('notFound', { 'zh-CN': `${what['zh-CN']}不存在或无权查看`, en: `No such ${what.en}, or you may not see it` }, { status: 404 });
}

/** Masks rows for the user and audits any personal data shown in clear. */
export async function revealAudited<T extends Record<string, unknown>>(
  db: Knex, ctx: RequestContext, user: SignedInUser, target: MaskTarget, rows: T[], clock: () => Date,
): Promise<T[]> {
  const masked = await maskRows(db, user.ability, user.principal, user.policy.sensitiveFields, target, rows);
  if (masked.unmasked.length > 0) {
    await new AuditLog(db).record({
      occurredAt: clock().toISOString(), actor: actorOf(user), action: 'personalData.read',
      target: { type: subjectType(target.subject), ...(masked.unmasked.length === 1 ? { id: masked.unmasked[0]?.id } : {}) },
      outcome: 'success', ...clientOf(ctx), details: { records: masked.unmasked },
    });
  }
  return masked.rows;
}

/** The client fields of an audit entry. */
export function clientOf(ctx: RequestContext): { ip?: string; userAgent?: string } {
  return auditClient(ctx.client);
}

/** One page of a scoped query with the total count of rows it matches. */
export async function page(q: Knex.QueryBuilder, columns: string[], order: { column: string; order?: 'asc' | 'desc' }[], paging: { limit?: number; offset?: number }): Promise<{ rows: Record<string, unknown>[]; total: number }> {
  const [{ n } = { n: 0 }] = await q.clone().count({ n: '*' }) as { n: number }[];
  const rows = await q.select(columns).orderBy(order).limit(paging.limit ?? 50).offset(paging.offset ?? 0) as Record<string, unknown>[];
  return { rows, total: Number(n) };
}

/** Audit target type of a subject. */
export function subjectType(subject: AccessSubject): string {
  return subject.charAt(0).toLowerCase() + subject.slice(1);
}
