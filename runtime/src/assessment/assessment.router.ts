/**
 * Assessment API (mounted at /api/assessment): the indicators, scores and grades of the units the
 * user may see, the cases behind a figure, and the export (audited). All three need `export` on
 * `Case`; its scope decides which units are listed.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import type { Static } from '@sinclair/typebox';
import type { IndicatorCode as EngineIndicatorCode } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { AssessmentExplainQuery, AssessmentExplanation, AssessmentExportQuery, AssessmentQuery, AssessmentResponse } from '../contracts/index.ts';
import type { IndicatorCode } from '../contracts/index.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { actorOf, signedIn } from '../http/request-context.ts';
import { clientOf } from '../http/scoped.ts';
import { AssessmentService } from './assessment.service.ts';
import type { NamedAssessment } from './assessment.service.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The contracts list the core's indicator codes (a compile error when they drift apart). */
const _indicatorCodesAgree: Same<Static<typeof IndicatorCode>, EngineIndicatorCode> = true;

const ACCESS = { action: 'export', subject: 'Case' } as const;

function view({ result, names, skippedCases }: NamedAssessment): AssessmentResponse {
  return {
    from: result.from, to: result.to, unitKind: result.unitKind, skippedCases,
    indicators: result.indicators.map((i) => ({ code: i.code, name: i.name, weight: i.weight, inverse: i.inverse })),
    units: result.units.map((u) => ({ unit: u.unit, name: names[u.unit] ?? null, counts: u.counts, indicators: u.indicators, score: u.score, grade: u.grade })),
  };
}

/** The assessment router (mounted at /api/assessment). */
export function assessmentRouter(db: Knex, clock: () => Date, registry: RegisteredRoute[]): Router {
  const service = new AssessmentService(db);
  const routes = [
    defineRoute({
      method: 'get', path: '/', summary: 'Indicators, composite scores and grades per unit over a period (the units the user may see)',
      access: ACCESS, query: AssessmentQuery, response: AssessmentResponse,
      handler: async ({ query }, ctx) => view(await service.assess(signedIn(ctx), query)),
    }),
    defineRoute({
      method: 'get', path: '/explain', summary: 'The cases behind one indicator of one unit (numerator and denominator items)',
      access: ACCESS, query: AssessmentExplainQuery, response: AssessmentExplanation,
      handler: async ({ query }, ctx) => service.explain(signedIn(ctx), query),
    }),
    defineRoute({
      method: 'get', path: '/export', summary: 'Download the assessment as CSV (UTF-8 with BOM) or Excel (.xlsx); audited',
      access: ACCESS, query: AssessmentExportQuery,
      handler: async ({ query }, ctx, _req, res) => {
        const user = signedIn(ctx);
        const format = query.format ?? 'csv';
        const request = { from: query.from, to: query.to, unitKind: query.unitKind };
        const { file, assessment } = await service.export(user, request, format);
        await new AuditLog(db).record({
          occurredAt: clock().toISOString(), actor: actorOf(user), action: 'assessment.export', target: { type: 'assessment', id: query.unitKind }, outcome: 'success',
          ...clientOf(ctx), details: { ...request, format, units: assessment.result.units.length, skippedCases: assessment.skippedCases },
        });
        res.type(file.contentType).attachment(file.fileName).send(file.body);
        return undefined;
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/assessment', routes, registry);
}
