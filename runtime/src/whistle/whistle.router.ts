/**
 * Whistle API (街道吹哨、部门报到), mounted at /api: blow a whistle on a case, the departments the
 * responsibility list suggests, a case's whistles, one whistle with each department's status, and
 * the statistics. The departments' and the street's steps are tasks, done through /api/tasks.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { UserError } from '@gridflow/engine';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';
import { notFound } from '../http/scoped.ts';
import type { EngineStatus } from '../server/app.ts';
import { engineOf } from '../tasks/task-access.ts';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import { StartWhistle, WhistleList, WhistleStats, WhistleSuggestion, WhistleView } from '../contracts/whistle.ts';
import { caseForWhistle, readableWhistles, WHISTLE } from './whistle-access.ts';
import type { WhistleCase } from './whistle-access.ts';
import { startWhistle } from './whistle-start.ts';
import { whistleStats } from './whistle-stats.ts';
import { whistleColumns, whistleViews } from './whistle-views.ts';

const CaseId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false });
const WhistleId = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) }, { additionalProperties: false });
const DAY_MS = 24 * 3600_000;

/** Departments the responsibility list names for the case's subclass and place (primary first), and the kinds to choose from. */
async function suggestion(db: Knex, c: WhistleCase): Promise<WhistleSuggestion> {
  const defs = (await activeDefinitions(db)).forDistrict(c.district_code);
  const kinds = (defs?.pkg.data.whistles?.kinds ?? []).map((k) => ({ code: k.code, name: k.name, reportInMinutes: k.reportInMinutes }));
  const entry = defs && c.event_type ? defs.responsibility(c.event_type, { gridCode: c.grid_code, communityCode: c.community_code, streetCode: c.street_code }) : undefined;
  if (!defs || !entry) return { source: 'none', departments: [], leadDepartment: null, kinds };
  const departments = [...entry.departments].sort((a, b) => Number(b.role === 'primary') - Number(a.role === 'primary'))
    .map((d) => ({ code: d.code, name: defs.department(d.code)?.name ?? null, role: d.role }));
  return { source: 'responsibilities', departments, leadDepartment: departments.find((d) => d.role === 'primary')?.code ?? null, kinds };
}

/** The whistle router (mounted at /api). */
export function whistleRouter(db: Knex, engine: EngineStatus | undefined, clock: () => Date, registry: RegisteredRoute[]): Router {
  const one = async (id: string) => (await whistleViews(db, await db('whistles').where('whistles.id', id).select(whistleColumns)))[0] as WhistleView;
  const routes = [
    defineRoute({
      method: 'get', path: '/cases/:id/whistles/suggestion', summary: 'Departments to summon, suggested from the responsibility list (editable), and the whistle kinds',
      access: { action: 'whistle', subject: 'Case' }, params: CaseId, response: WhistleSuggestion,
      handler: async ({ params }, ctx) => suggestion(db, await caseForWhistle(db, signedIn(ctx), params.id, 'whistle')),
    }),
    defineRoute({
      method: 'post', path: '/cases/:id/whistles', summary: 'Blow a whistle (吹哨) on a case: summon departments, who must report in by the deadline of the kind',
      access: { action: 'whistle', subject: 'Case' }, params: CaseId, body: StartWhistle, response: WhistleView,
      handler: async ({ params, body }, ctx) => {
        const user = signedIn(ctx);
        const c = await caseForWhistle(db, user, params.id, 'whistle');
        return one(await startWhistle(db, () => engineOf(engine), ctx, user, c, body, clock));
      },
    }),
    defineRoute({
      method: 'get', path: '/cases/:id/whistles', summary: 'The whistles of a case, newest first, with each department\'s status',
      access: { action: 'read', subject: 'Case' }, params: CaseId, response: WhistleList,
      handler: async ({ params }, ctx) => {
        await caseForWhistle(db, signedIn(ctx), params.id, 'read');
        const rows = await db('whistles').where('whistles.case_id', params.id).orderBy([{ column: 'whistles.created_at', order: 'desc' }, { column: 'whistles.id' }]).select(whistleColumns);
        return { items: await whistleViews(db, rows) };
      },
    }),
    defineRoute({
      method: 'get', path: '/whistles/stats', summary: '吹哨率 and, per department, 报到率 and 按时报到率 over a period (default: the last 30 days), over the cases the user may see',
      access: { action: 'read', subject: 'Case' }, response: WhistleStats,
      query: Type.Object({ from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false }),
      handler: async ({ query }, ctx) => {
        const to = query.to ? new Date(query.to) : clock();
        const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
        if (from >= to) throw new UserError('request.invalid', { 'zh-CN': '开始时间须早于结束时间', en: '`from` must be before `to`' }, { details: [{ target: '/query/from', message: { 'zh-CN': '须早于 to', en: 'Must be before to' } }] });
        return whistleStats(db, signedIn(ctx), from, to);
      },
    }),
    defineRoute({
      method: 'get', path: '/whistles/:id', summary: 'One whistle: each summoned department\'s report-in (and whether late), opinion, result and rating',
      access: { action: 'read', subject: 'Case' }, params: WhistleId, response: WhistleView,
      handler: async ({ params }, ctx) => {
        const row = await readableWhistles(db, signedIn(ctx)).where('whistles.id', params.id).first(whistleColumns) as Record<string, unknown> | undefined;
        if (!row) throw notFound(WHISTLE);
        return (await whistleViews(db, [row]))[0] as WhistleView;
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api', routes, registry);
}
