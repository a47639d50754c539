/** Contracts of the whistle API (街道吹哨、部门报到): schemas are the types. */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Nullable } from './common.ts';

const DepartmentCode = Type.String({ pattern: '^[A-Z0-9]{2,16}$' });

/** POST /api/cases/:id/whistles */
export const StartWhistle = Type.Object({
  kind: Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$', description: 'A kind of the whistle template (daily, tough, emergency …)' }),
  reason: Type.String({ minLength: 2, maxLength: 500, description: 'Why the street blows the whistle' }),
  departments: Type.Array(DepartmentCode, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'The departments summoned' }),
  leadDepartment: Type.String({ pattern: '^[A-Z0-9]{2,16}$', description: 'The summoned department that leads and consolidates' }),
}, { additionalProperties: false });
export type StartWhistle = Static<typeof StartWhistle>;

/** One summoned department of a whistle. */
export const WhistleDepartmentView = Type.Object({
  code: Type.String(),
  name: Nullable(Type.String()),
  lead: Type.Boolean(),
  status: Type.Union([Type.Literal('summoned'), Type.Literal('reportedIn'), Type.Literal('opinionGiven')]),
  reportedInAt: Nullable(Type.String({ format: 'date-time' })),
  reportNote: Nullable(Type.String()),
  late: Type.Boolean({ description: 'Reported in after the deadline, or not yet at the deadline' }),
  urgedAt: Nullable(Type.String({ format: 'date-time', description: 'When the department was urged for being late' })),
  opinion: Nullable(Type.String()),
  result: Nullable(Type.String()),
  rating: Nullable(Type.String()),
  ratingComment: Nullable(Type.String()),
}, { additionalProperties: false });

/** A whistle with the status of every department. */
export const WhistleView = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  kind: Type.String(),
  kindName: Nullable(Type.String()),
  reason: Type.String(),
  status: Type.Union(['starting', 'open', 'escalated', 'resolved', 'unresolved', 'failed'].map((s) => Type.Literal(s)), {
    description: 'open: departments at work; escalated: at the district; resolved / unresolved: closed; failed: the engine did not start it',
  }),
  leadDepartment: Type.String(),
  reportInDueAt: Type.String({ format: 'date-time' }),
  handleDueAt: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean(),
  resolved: Nullable(Type.Boolean()),
  summary: Nullable(Type.String()),
  escalatedAt: Nullable(Type.String({ format: 'date-time' })),
  districtResolved: Nullable(Type.Boolean()),
  districtOpinion: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  departments: Type.Array(WhistleDepartmentView),
}, { additionalProperties: false });
export type WhistleView = Static<typeof WhistleView>;

/** GET /api/cases/:id/whistles */
export const WhistleList = Type.Object({ items: Type.Array(WhistleView) }, { additionalProperties: false });
export type WhistleList = Static<typeof WhistleList>;

/** GET /api/cases/:id/whistles/suggestion */
export const WhistleSuggestion = Type.Object({
  source: Type.Union([Type.Literal('responsibilities'), Type.Literal('none')], { description: 'responsibilities: from the responsibility list entry of the case\'s subclass and place' }),
  departments: Type.Array(Type.Object({ code: Type.String(), name: Nullable(Type.String()), role: Type.Union([Type.Literal('primary'), Type.Literal('assisting')]) }, { additionalProperties: false })),
  leadDepartment: Nullable(Type.String()),
  kinds: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), reportInMinutes: Type.Integer() }, { additionalProperties: false })),
}, { additionalProperties: false });
export type WhistleSuggestion = Static<typeof WhistleSuggestion>;

const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));

/** GET /api/whistles/stats */
export const WhistleStats = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  cases: Type.Integer({ minimum: 0, description: 'Cases reported in the period that the user may see' }),
  whistledCases: Type.Integer({ minimum: 0, description: 'Of them, cases with at least one whistle' }),
  whistleRate: Rate,
  whistles: Type.Integer({ minimum: 0, description: 'Whistles blown in the period on cases the user may see' }),
  departments: Type.Array(Type.Object({
    code: Type.String(),
    name: Nullable(Type.String()),
    summoned: Type.Integer({ minimum: 0 }),
    reportedIn: Type.Integer({ minimum: 0 }),
    reportedInOnTime: Type.Integer({ minimum: 0 }),
    reportInRate: Rate,
    onTimeRate: Rate,
  }, { additionalProperties: false })),
}, { additionalProperties: false });
export type WhistleStats = Static<typeof WhistleStats>;
