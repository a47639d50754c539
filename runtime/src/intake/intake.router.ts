/**
 * Intake API (mounted at /api): reporting a case (idempotent), its possible duplicates, merging a
 * duplicate, and the public tracking view for a tracking code (rate limited like sign-in).
 * See docs/api/intake.md.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { rateLimit } from 'express-rate-limit';
import { UserError } from '@gridflow/engine';
import { intakeConfig } from '../config.ts';
import type { IntakeConfig } from '../config.ts';
import { DuplicateList, MergeResponse, TrackingView } from '../contracts/intake.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';
import { notFound } from '../http/scoped.ts';
import type { AppOptions } from '../server/app.ts';
import { flaggedWith, visibleDuplicates } from './duplicates.ts';
import { IDEMPOTENCY_HEADER, idempotencyKey } from './idempotency.ts';
import { IntakeDefinitionsLoader } from './intake-definitions.ts';
import { CHANNELS, IntakeService } from './intake.service.ts';
import { mergeCase } from './merge.service.ts';
import { trackingView } from './tracking.ts';

const CASE = { 'zh-CN': '事件', en: 'case' };
const CaseId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false });
const tooMany = { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; please try again later' };

/** Options of the intake router: the app's, with intake settings (read from the environment when absent). */
export type IntakeRouterOptions = Pick<AppOptions, 'engine' | 'logger' | 'security'> & { intake?: IntakeConfig };

/** POST /cases: reporting, with the Idempotency-Key header. */
function reportRoute(service: IntakeService): RouteSpec {
  return defineRoute({
    method: 'post', path: '/cases', summary: 'Report a case (受理): idempotent by the Idempotency-Key header; grid by point-in-polygon; possible duplicates flagged',
    access: { action: 'report', subject: 'Case' },
    body: Type.Object({
      values: Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), Type.Unknown(), { maxProperties: 200 }),
      channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
    }, { additionalProperties: false }),
    handler: async ({ body }, ctx, req, res) => {
      const user = signedIn(ctx);
      const key = idempotencyKey(req.headers[IDEMPOTENCY_HEADER]);
      const { response, replayed } = await service.report(user, ctx, { key, values: body.values, ...(body.channel ? { channel: body.channel } : {}) });
      if (replayed) res.setHeader('idempotent-replayed', 'true');
      res.status(201).json(response);
      return undefined;
    },
  }) as RouteSpec;
}

/** The possible duplicates of a case, and merging one into another. */
function duplicateRoutes(db: Knex, options: IntakeRouterOptions, clock: () => Date): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/cases/:id/duplicates', summary: 'Cases flagged as possible duplicates of a case (those the user may see)', access: { action: 'read', subject: 'Case' }, params: CaseId,
      response: DuplicateList,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const row = await whereAllowed(db('cases').where('cases.id', params.id), user.ability, 'read', 'Case', caseSql, user.principal).first('cases.id');
        if (!row) throw notFound(CASE);
        return { items: await visibleDuplicates(db, user, await flaggedWith(db, params.id)) };
      },
    }),
    defineRoute({
      method: 'post', path: '/cases/:id/merge', summary: 'Merge a duplicate case into another open case (ends its process)', access: { action: 'merge', subject: 'Case' }, params: CaseId,
      body: Type.Object({ into: Type.String({ minLength: 1, maxLength: 36 }), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      response: MergeResponse,
      handler: async ({ params, body }, ctx) => mergeCase(db, options.engine, signedIn(ctx), ctx, params.id, body, clock),
    }),
  ] as RouteSpec[];
}

/** GET /public/track/:code: the public view of a tracked case. */
function trackRoute(db: Knex): RouteSpec {
  const catalogue = new IntakeDefinitionsLoader(db);
  return defineRoute({
    method: 'get', path: '/public/track/:code', summary: 'Public progress of a case by its tracking code (no staff or personal data)', access: 'public',
    params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9-]{12,20}$' }) }, { additionalProperties: false }),
    response: TrackingView,
    handler: async ({ params }) => {
      const { subclasses } = await catalogue.forDistrict(undefined);
      const view = await trackingView(db, params.code, (code) => subclasses.get(code)?.name ?? null);
      if (!view) throw notFound({ 'zh-CN': '查询码对应的事件', en: 'case for this tracking code' });
      return view;
    },
  }) as RouteSpec;
}

/** The intake router (mounted at /api). */
export function intakeRouter(db: Knex, options: IntakeRouterOptions, clock: () => Date, registry: RegisteredRoute[]): Router {
  const service = new IntakeService(db, options.engine, options.intake ?? intakeConfig(), clock, options.logger);
  const router = Router();
  // Tracking codes are guessed no faster than passwords.
  router.use('/public/track', rateLimit({
    windowMs: 60_000, limit: options.security.loginRateLimit, standardHeaders: 'draft-8', legacyHeaders: false,
    handler: (_req, _res, next) => next(new UserError('rateLimited', tooMany, { status: 429 })),
  }));
  return mountRoutes(router, '/api', [reportRoute(service), ...duplicateRoutes(db, options, clock), trackRoute(db)], registry);
}
