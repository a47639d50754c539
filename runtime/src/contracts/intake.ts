/** Contracts of the intake API (schemas are the types): reports, possible duplicates, merging and tracking. */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Nullable } from './common.ts';

const DateTime = Type.String({ format: 'date-time' });
const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() }, { additionalProperties: false });

/** An open case flagged as a possible duplicate (same type, nearby, recent), as far as the user may see it. */
export const DuplicateView = Type.Object({
  caseId: Type.String(),
  distanceM: Type.Integer({ minimum: 0, description: 'Great-circle distance in metres' }),
  title: Nullable(Type.String()),
  status: Type.String(),
  reportedAt: Nullable(DateTime),
}, { additionalProperties: false });
export type DuplicateView = Static<typeof DuplicateView>;

/** GET /api/cases/:id/duplicates */
export const DuplicateList = Type.Object({ items: Type.Array(DuplicateView) }, { additionalProperties: false });
export type DuplicateList = Static<typeof DuplicateList>;

/** POST /api/cases (201 Created; the same answer again for a retry with the same Idempotency-Key and body). */
export const ReportResponse = Type.Object({
  caseId: Type.String(),
  status: Type.String({ description: '`running` once the process started, `starting` while the engine is unreachable' }),
  trackingCode: Type.Optional(Type.String({ description: 'Shown once (only its digest is stored): for citizen, hotline and api reports and anonymous ones' })),
  possibleDuplicates: Type.Array(DuplicateView),
}, { additionalProperties: false });
export type ReportResponse = Static<typeof ReportResponse>;

/** POST /api/cases/:id/merge */
export const MergeResponse = Type.Object({
  caseId: Type.String(),
  mergedInto: Type.String(),
  instanceEnded: Type.Boolean({ description: 'False when the engine was unreachable: the reconciler ends the instance later' }),
}, { additionalProperties: false });
export type MergeResponse = Static<typeof MergeResponse>;

/** GET /api/public/track/:code: a case's progress without staff identities or personal data. */
export const TrackingView = Type.Object({
  status: Type.String(),
  statusName: Localized,
  eventType: Type.Object({ code: Nullable(Type.String()), name: Nullable(Type.String()) }, { additionalProperties: false }),
  reportedAt: Nullable(DateTime),
  updatedAt: Nullable(DateTime),
  endedAt: Nullable(DateTime),
  merged: Type.Boolean({ description: 'The case was merged into another one, whose progress is shown' }),
  steps: Type.Array(Type.Object({
    name: Nullable(Type.String()),
    status: Type.Union([Type.Literal('open'), Type.Literal('done')]),
    startedAt: Nullable(DateTime),
    endedAt: Nullable(DateTime),
  }, { additionalProperties: false })),
}, { additionalProperties: false });
export type TrackingView = Static<typeof TrackingView>;
