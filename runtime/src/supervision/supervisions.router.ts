/** Routes of 督办 supervision (mounted at /api): raise on a case, reply, and scoped lists. */
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { CaseSupervisions, SupervisionList, SupervisionView, TimeAmount } from '../contracts/index.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';
import { page, Paging } from '../http/scoped.ts';
import { SUPERVISION_COLUMNS, supervisionView } from './supervision-store.ts';
import { caseSupervisions, replySupervision, scopedSupervisions, superviseCase } from './supervisions.service.ts';

const CaseId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false });
const SupervisionId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false });
const Text = Type.String({ minLength: 2, maxLength: 1000 });

/** The supervision routes. */
export function supervisionsRouter(db: Knex, clock: () => Date, registry: RegisteredRoute[]): Router {
  const routes = [
    defineRoute({
      method: 'post', path: '/cases/:id/supervisions', summary: 'Supervise (督办) a case: an opinion and a reply deadline for its current handlers',
      access: { action: 'supervise', subject: 'Case' }, params: CaseId, response: SupervisionView,
      body: Type.Object({ opinion: Text, replyWithin: TimeAmount }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => superviseCase(db, ctx, signedIn(ctx), params.id, body, clock),
    }),
    defineRoute({
      method: 'get', path: '/cases/:id/supervisions', summary: 'The supervisions of a case, overdue ones marked', access: { action: 'read', subject: 'Case' },
      params: CaseId, response: CaseSupervisions,
      handler: async ({ params }, ctx) => ({ items: await caseSupervisions(db, signedIn(ctx), params.id, clock()) }),
    }),
    defineRoute({
      method: 'post', path: '/supervisions/:id/reply', summary: 'Reply to a supervision, as a current handler of its case',
      access: { action: 'complete', subject: 'Task' }, params: SupervisionId, response: SupervisionView,
      body: Type.Object({ reply: Text }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => replySupervision(db, ctx, signedIn(ctx), params.id, body.reply, clock),
    }),
    defineRoute({
      method: 'get', path: '/supervisions', summary: 'Supervisions of the cases the user may see: unanswered (open, overdue included), overdue or replied',
      access: { action: 'read', subject: 'Case' }, response: SupervisionList,
      query: Type.Object({
        status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('overdue'), Type.Literal('replied')])), ...Paging,
      }, { additionalProperties: false }),
      handler: async ({ query }, ctx) => {
        const now = clock();
        const { rows, total } = await page(scopedSupervisions(db, signedIn(ctx), query.status, now), SUPERVISION_COLUMNS,
          [{ column: 'supervisions.reply_due_at' }, { column: 'supervisions.id' }], query);
        return { items: rows.map((r) => supervisionView(r, now)), total };
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api', routes, registry);
}
