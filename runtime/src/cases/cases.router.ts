/** Cases API: lists and details scoped by org scope and relation, with personal data masked. */
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import type { MaskTarget } from '../access/masking.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';
import { notFound, page, Paging, revealAudited } from '../http/scoped.ts';
import { isoOf } from '../db/values.ts';
import { caseEvents } from '../timeline/timeline.store.ts';
import { CaseList, CaseView as CaseViewSchema } from '../contracts/index.ts';
import { setSuspended } from './case-suspension.ts';
import { engineOf } from '../tasks/task-access.ts';
import type { EngineStatus } from '../server/app.ts';

/** A case as the API shows it. */
export interface CaseView extends Record<string, unknown> {
  id: string;
  title: string | null;
  status: string;
  processKey: string;
  gridCode: string | null;
  communityCode: string | null;
  streetCode: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  address: string | null;
  location: { lon: number; lat: number } | null;
  /** Subclass code of the event catalogue. */
  eventType: string | null;
  /** Intake channel: grid, citizen, hotline, staff or api. */
  channel: string | null;
  /** The case a merged case was merged into. */
  mergedInto: string | null;
  createdAt: string;
}

const CASE = { 'zh-CN': '事件', en: 'case' };
const target: MaskTarget = { subject: 'Case', sql: caseSql, from: (db) => db('cases'), idColumn: 'cases.id', idField: 'id' };
const columns = ['cases.id', 'cases.title', 'cases.status', 'cases.process_definition_key', 'cases.grid_code', 'cases.community_code', 'cases.street_code',
  'cases.reporter_name', 'cases.reporter_phone', 'cases.address', 'cases.location_lon', 'cases.location_lat', 'cases.event_type', 'cases.channel', 'cases.merged_into', 'cases.created_at'];

function view(r: Record<string, unknown>): CaseView {
  return {
    id: String(r.id), title: (r.title as string | null) ?? null, status: String(r.status), processKey: String(r.process_definition_key),
    gridCode: (r.grid_code as string | null) ?? null, communityCode: (r.community_code as string | null) ?? null, streetCode: (r.street_code as string | null) ?? null,
    reporterName: (r.reporter_name as string | null) ?? null, reporterPhone: (r.reporter_phone as string | null) ?? null, address: (r.address as string | null) ?? null,
    location: r.location_lon !== null && r.location_lon !== undefined ? { lon: Number(r.location_lon), lat: Number(r.location_lat) } : null,
    eventType: (r.event_type as string | null) ?? null, channel: (r.channel as string | null) ?? null, mergedInto: (r.merged_into as string | null) ?? null,
    createdAt: isoOf(r.created_at) ?? '',
  };
}

/** The cases router (mounted at /api/cases). */
export function casesRouter(db: Knex, clock: () => Date, registry: RegisteredRoute[], engine?: EngineStatus): Router {
  const routes = [
    defineRoute({
      method: 'get', path: '/', summary: 'Cases the signed-in user may see (by scope and relation)', access: { action: 'read', subject: 'Case' }, response: CaseList,
      query: Type.Object({
        status: Type.Optional(Type.String({ maxLength: 16 })), grid: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,15}$' })),
        q: Type.Optional(Type.String({ maxLength: 50 })), ...Paging,
      }, { additionalProperties: false }),
      handler: async ({ query }, ctx) => {
        const user = signedIn(ctx);
        const q = whereAllowed(db('cases'), user.ability, 'read', 'Case', caseSql, user.principal);
        if (query.status) q.where('cases.status', query.status);
        if (query.grid) q.where('cases.grid_code', query.grid);
        if (query.q) q.where('cases.title', 'like', `%${query.q}%`);
        const { rows, total } = await page(q, columns, [{ column: 'cases.created_at', order: 'desc' }, { column: 'cases.id' }], query);
        return { items: await revealAudited(db, ctx, user, target, rows.map(view), clock), total };
      },
    }),
    defineRoute({
      method: 'get', path: '/:id', summary: 'One case', access: { action: 'read', subject: 'Case' }, response: CaseViewSchema,
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false }),
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const row = await whereAllowed(db('cases').where('cases.id', params.id), user.ability, 'read', 'Case', caseSql, user.principal).first(columns) as Record<string, unknown> | undefined;
        if (!row) throw notFound(CASE);
        return (await revealAudited(db, ctx, user, target, [view(row)], clock))[0];
      },
    }),
    defineRoute({
      method: 'get', path: '/:id/timeline', summary: 'The timeline of a case: every step, actor, role, time, opinion and attachment (append only)', access: { action: 'read', subject: 'Case' },
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false }),
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const row = await whereAllowed(db('cases').where('cases.id', params.id), user.ability, 'read', 'Case', caseSql, user.principal).first('cases.id');
        if (!row) throw notFound(CASE);
        return { items: await caseEvents(db, params.id) };
      },
    }),
    ...([['suspend', true, 'Suspend (挂起) a case that cannot be solved now: the engine holds its tasks, the clock pauses'], ['resume', false, 'Resume (恢复) a suspended case']] as const).map(([op, suspend, summary]) => defineRoute({
      method: 'post', path: `/:id/${op}`, summary, access: { action: 'suspend', subject: 'Case' },
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false }),
      body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => setSuspended(db, () => engineOf(engine), ctx, signedIn(ctx), params.id, suspend, body.reason, clock),
    })),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/cases', routes, registry);
}
