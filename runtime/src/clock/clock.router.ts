/** Routes of the case clock (mounted at /api): a case's clock, and 延期 extension requests and their decisions. */
import { Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { Type } from '@sinclair/typebox';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import { CaseClockView, ExtensionDecision, ExtensionRequestList, ExtensionRequestView, TimeLimitTypeSchema } from '../contracts/index.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';
import { notFound } from '../http/scoped.ts';
import type { EngineStatus } from '../server/app.ts';
import { caseClock } from './case-clock-events.ts';
import { caseExtensionRequests, decideExtension, requestExtension } from './extension-requests.ts';

const Id = (max: number) => Type.Object({ id: Type.String({ minLength: 1, maxLength: max }) }, { additionalProperties: false });
const Text = Type.String({ minLength: 2, maxLength: 500 });

/** The clock routes. */
export function clockRouter(db: Knex, engine: EngineStatus | undefined, clock: () => Date, registry: RegisteredRoute[], logger?: Logger): Router {
  const decide = (approve: boolean) => defineRoute({
    method: 'post', path: `/extension-requests/:id/${approve ? 'approve' : 'reject'}`,
    summary: approve ? 'Approve a 延期 extension request: the case deadline moves and its timers with it' : 'Reject a 延期 extension request',
    access: { action: 'read', subject: 'Case' }, params: Id(36), response: ExtensionDecision,
    body: Type.Object({ opinion: Text }, { additionalProperties: false }),
    handler: async ({ params, body }, ctx) => decideExtension(db, engine, ctx, signedIn(ctx), params.id, approve, body.opinion, clock, logger),
  });
  const routes = [
    defineRoute({
      method: 'get', path: '/cases/:id/clock', summary: 'The case clock now: limit, deadline, warning level, time left', access: { action: 'read', subject: 'Case' },
      params: Id(36), response: CaseClockView,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        if (!await whereAllowed(db('cases').where('cases.id', params.id), user.ability, 'read', 'Case', caseSql, user.principal).first('cases.id')) throw notFound({ 'zh-CN': '事件', en: 'case' });
        const c = await caseClock(db, params.id, clock());
        if (!c) return { status: 'notStarted', limit: null, startedAt: null, dueAt: null, yellowAt: null, warning: 'none', remainingMs: null, restarts: 0, onTime: null } as const;
        const s = c.state;
        return {
          status: s.status, limit: s.limit, startedAt: s.startedAt.toISOString(), dueAt: s.dueAt?.toISOString() ?? null, yellowAt: s.yellowAt?.toISOString() ?? null,
          warning: s.warning, remainingMs: s.remainingMs, restarts: s.restarts, onTime: s.onTime,
        };
      },
    }),
    defineRoute({
      method: 'post', path: '/tasks/:id/extension-requests', summary: 'Ask for a 延期 extension of the case deadline, as the assignee of a handling step',
      access: { action: 'complete', subject: 'Task' }, params: Id(64), response: ExtensionRequestView,
      body: Type.Object({
        amount: Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'How much more time, in units of `type`' }),
        type: Type.Optional(TimeLimitTypeSchema),
        reason: Text,
      }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => requestExtension(db, ctx, signedIn(ctx), params.id, body, clock),
    }),
    defineRoute({
      method: 'get', path: '/cases/:id/extension-requests', summary: 'The extension requests of a case', access: { action: 'read', subject: 'Case' },
      params: Id(36), response: ExtensionRequestList,
      handler: async ({ params }, ctx) => ({ items: await caseExtensionRequests(db, signedIn(ctx), params.id) }),
    }),
    decide(true),
    decide(false),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api', routes, registry);
}
