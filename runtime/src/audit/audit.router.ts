/** Audit log API for auditors: search, CSV export and chain verification (each use is itself audited). */
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import type { AccessAction } from '@gridflow/engine';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { actorOf, signedIn } from '../http/request-context.ts';
import type { RequestContext } from '../http/request-context.ts';
import { clientOf } from '../http/scoped.ts';
import { AUDIT_CSV_HEADER, auditCsvLine } from './audit-csv.ts';
import { AuditLog } from './audit.store.ts';
import type { AuditQuery } from './audit.store.ts';

const Search = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 64 })), actor: Type.Optional(Type.String({ maxLength: 64 })),
  targetType: Type.Optional(Type.String({ maxLength: 32 })), targetId: Type.Optional(Type.String({ maxLength: 128 })),
  since: Type.Optional(Type.String({ format: 'date-time' })), until: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
}, { additionalProperties: false });

function toQuery(q: { action?: string; actor?: string; targetType?: string; targetId?: string; since?: string; until?: string; limit?: number }): AuditQuery {
  return {
    ...(q.action ? { action: q.action } : {}), ...(q.actor ? { actor: q.actor } : {}), ...(q.targetType ? { targetType: q.targetType } : {}),
    ...(q.targetId ? { targetId: q.targetId } : {}), ...(q.since ? { since: new Date(q.since) } : {}), ...(q.until ? { until: new Date(q.until) } : {}),
    limit: q.limit ?? 500,
  };
}

/** The audit router (mounted at /api/audit). */
export function auditRouter(db: Knex, clock: () => Date, registry: RegisteredRoute[]): Router {
  const log = new AuditLog(db);
  const selfAudit = (ctx: RequestContext, action: AccessAction, details: Record<string, unknown>) => log.record({
    occurredAt: clock().toISOString(), actor: actorOf(signedIn(ctx)), action: `audit.${action}`, target: { type: 'auditLog' }, outcome: 'success', ...clientOf(ctx), details,
  });
  const routes = [
    defineRoute({
      method: 'get', path: '/', summary: 'Search audit records, newest first', access: { action: 'read', subject: 'AuditRecord' }, query: Search,
      handler: async ({ query }, ctx) => {
        const records = await log.search(toQuery(query));
        await selfAudit(ctx, 'read', { query, count: records.length });
        return { items: records };
      },
    }),
    defineRoute({
      method: 'get', path: '/export.csv', summary: 'Export audit records as CSV', access: { action: 'export', subject: 'AuditRecord' }, query: Search,
      handler: async ({ query }, ctx, _req, res) => {
        const records = await log.search(toQuery(query));
        await selfAudit(ctx, 'export', { query, count: records.length });
        res.type('text/csv; charset=utf-8').attachment('audit-log.csv').send(`\uFEFF${[AUDIT_CSV_HEADER, ...records.map(auditCsvLine)].join('\r\n')}\r\n`);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get', path: '/verify', summary: 'Verify the hash chain; names the first broken record', access: { action: 'verify', subject: 'AuditRecord' },
      handler: async (_input, ctx) => {
        const verdict = await log.verify();
        await selfAudit(ctx, 'verify', { ok: verdict.ok });
        return verdict;
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/audit', routes, registry);
}
