/** Contracts of the assessment (考核) API (schemas are the types). */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Nullable } from './common.ts';

/** The indicator codes of the assessment core (engine `indicatorCodes`; the router checks they agree). */
export const assessmentIndicatorCodes = [
  'registrationRate', 'onTimeRegistrationRate', 'onTimeCheckRate', 'accurateDispatchRate', 'handlingRate',
  'onTimeHandlingRate', 'overdueUnhandledRate', 'extensionRate', 'closingRate', 'onTimeClosingRate',
  'reworkRate', 'onTimeVerificationRate', 'satisfactionRate',
] as const;

/** An instant with an offset or `Z`, as the assessment core reads it (`2026-10-01T00:00:00+08:00`). */
const Instant = Type.String({
  format: 'date-time', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'ISO 8601 instant with an offset or Z, e.g. 2026-10-01T00:00:00+08:00',
});

/** The kinds of units assessed. */
export const AssessmentUnitKind = Type.Union(
  [Type.Literal('department'), Type.Literal('street'), Type.Literal('community'), Type.Literal('grid'), Type.Literal('gridWorker')],
  { description: 'department (职能部门), street (街道), community (社区), grid (网格) or gridWorker (网格员)' },
);

/** An indicator code of the assessment core. */
export const IndicatorCode = Type.Union(assessmentIndicatorCodes.map((code) => Type.Literal(code)), { description: 'Indicator code (考核指标)' });

/** What every assessment request names: the period [from, to) and the kind of unit. */
export const AssessmentQuery = Type.Object({
  from: { ...Instant, description: 'Start of the period (included)' },
  to: { ...Instant, description: 'End of the period (excluded); at most 3 years after from' },
  unitKind: AssessmentUnitKind,
}, { additionalProperties: false });
export type AssessmentQuery = Static<typeof AssessmentQuery>;

/** GET /api/assessment/explain: the figure to explain. */
export const AssessmentExplainQuery = Type.Object({
  ...AssessmentQuery.properties,
  unit: Type.String({ minLength: 1, maxLength: 64, description: 'Department code, street / community / grid code, or a grid worker\'s username' }),
  indicator: IndicatorCode,
}, { additionalProperties: false });
export type AssessmentExplainQuery = Static<typeof AssessmentExplainQuery>;

/** GET /api/assessment/export: the file format besides the period and unit kind. */
export const AssessmentExportQuery = Type.Object({
  ...AssessmentQuery.properties,
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { description: 'csv (default; UTF-8 with a BOM) or xlsx' })),
}, { additionalProperties: false });
export type AssessmentExportQuery = Static<typeof AssessmentExportQuery>;

/** An indicator of the profile in use. */
export const AssessmentIndicator = Type.Object({
  code: IndicatorCode,
  name: Type.String(),
  weight: Type.Number(),
  inverse: Type.Boolean({ description: 'Lower is better: the score uses 1 − rate' }),
}, { additionalProperties: false });

/** An indicator's value for a unit: an exact fraction and its rate. */
export const AssessmentValue = Type.Object({
  code: IndicatorCode,
  numerator: Type.Integer({ minimum: 0 }),
  denominator: Type.Integer({ minimum: 0 }),
  rate: Nullable(Type.Number({ description: 'numerator ÷ denominator; null when the denominator is 0' })),
}, { additionalProperties: false });

/** The assessment of one unit. */
export const AssessmentUnit = Type.Object({
  unit: Type.String(),
  name: Nullable(Type.String({ description: 'Department, org unit or grid worker name' })),
  counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Every count of the unit, by count name (dueToHandle, handled …)' }),
  indicators: Type.Array(AssessmentValue),
  score: Nullable(Type.Number({ description: 'Composite score 0–100, cut (not rounded) to 2 decimals' })),
  grade: Nullable(Type.String()),
}, { additionalProperties: false });

/** GET /api/assessment */
export const AssessmentResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  unitKind: AssessmentUnitKind,
  indicators: Type.Array(AssessmentIndicator),
  units: Type.Array(AssessmentUnit, { description: 'The units of the kind the user may see, in code order' }),
  skippedCases: Type.Integer({ minimum: 0, description: 'Cases left out: their place, event type or calendar is unknown to the active definitions' }),
}, { additionalProperties: false });
export type AssessmentResponse = Static<typeof AssessmentResponse>;

/** What one count of a figure is made of. */
export const AssessmentCountedItems = Type.Object({
  count: Type.String({ description: 'Count name, e.g. handledOnTime' }),
  items: Type.Array(Type.Object({
    caseId: Type.String(),
    ref: Type.String({ description: 'What of the case was counted, e.g. `D01 dispatch 2026-10-08T02:30:00.000Z`' }),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

/** GET /api/assessment/explain */
export const AssessmentExplanation = Type.Object({
  unit: Type.String(),
  indicator: IndicatorCode,
  numerator: AssessmentCountedItems,
  denominator: AssessmentCountedItems,
}, { additionalProperties: false });
export type AssessmentExplanation = Static<typeof AssessmentExplanation>;
