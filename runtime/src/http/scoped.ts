/** Helpers of scoped endpoints: paging, "not found" (also for out-of-scope objects) and audited personal data. */
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { UserError } from '@gridflow/engine';
import type { AccessSubject, LocalizedText } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
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
  return { ...(ctx.client.ip ? { ip: ctx.client.ip } : {}), ...(ctx.client.userAgent ? { userAgent: ctx.client.userAgent.slice(0, 255) } : {}) };
}

/** Audit target type of a subject. */
export function subjectType(subject: AccessSubject): string {
  return subject.charAt(0).toLowerCase() + subject.slice(1);
}
