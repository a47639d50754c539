/** Contracts of the case clock API: 延期 extension requests and their decisions (schemas are the types). */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Nullable } from './common.ts';

/** A time-limit type: continuous hours, work hours, work days or natural days. */
export const TimeLimitTypeSchema = Type.Union([Type.Literal('urgent'), Type.Literal('workHours'), Type.Literal('workDays'), Type.Literal('naturalDays')]);

/** An amount of time of a limit type, e.g. 2 workDays. */
export const TimeAmount = Type.Object({
  amount: Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'How much, in units of the type (hours or days)' }),
  type: TimeLimitTypeSchema,
}, { additionalProperties: false });
export type TimeAmount = Static<typeof TimeAmount>;

/** A 延期 extension request as the API shows it. */
export const ExtensionRequestView = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  taskId: Type.String(),
  step: Type.Object({ key: Nullable(Type.String()), name: Nullable(Type.String()) }, { additionalProperties: false }),
  amount: Type.Number(),
  /** Null: the type of the case's own limit. */
  type: Nullable(TimeLimitTypeSchema),
  reason: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('approved'), Type.Literal('rejected')]),
  tier: Type.Union([Type.Literal('street'), Type.Literal('district')], { description: 'The command centre that decides: the one that dispatched the case' }),
  approverGroup: Type.String({ description: 'Who may decide, as a candidate group (`street-dispatcher@<street>` or `district-dispatcher@<district>`)' }),
  requestedBy: Type.String(),
  requestedAt: Type.String({ format: 'date-time' }),
  dueBefore: Nullable(Type.String({ format: 'date-time', description: 'The deadline when the request was made' })),
  dueAfter: Nullable(Type.String({ format: 'date-time', description: 'The deadline after approval' })),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  opinion: Nullable(Type.String()),
}, { additionalProperties: false });
export type ExtensionRequestView = Static<typeof ExtensionRequestView>;

/** GET /api/cases/:id/extension-requests */
export const ExtensionRequestList = Type.Object({ items: Type.Array(ExtensionRequestView) }, { additionalProperties: false });
export type ExtensionRequestList = Static<typeof ExtensionRequestList>;

/** POST /api/extension-requests/:id/approve | reject */
export const ExtensionDecision = Type.Object({
  request: ExtensionRequestView,
  timers: Type.Object({
    rescheduled: Type.Boolean({ description: 'False when an approval could not reach the engine: the timers move at the next resume or extension. A rejection moves nothing (true)' }),
    dueAt: Nullable(Type.String({ format: 'date-time', description: 'The new deadline (approvals only)' })),
    warnAt: Nullable(Type.String({ format: 'date-time' })),
    moved: Type.Integer({ minimum: 0, description: 'Timer jobs moved' }),
  }, { additionalProperties: false }),
}, { additionalProperties: false });
export type ExtensionDecision = Static<typeof ExtensionDecision>;

/** GET /api/cases/:id/clock: the case clock as of now. */
export const CaseClockView = Type.Object({
  status: Type.Union([Type.Literal('notStarted'), Type.Literal('running'), Type.Literal('paused'), Type.Literal('stopped')]),
  limit: Nullable(Type.Object({ type: TimeLimitTypeSchema, amount: Type.Number() }, { additionalProperties: true })),
  startedAt: Nullable(Type.String({ format: 'date-time' })),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  yellowAt: Nullable(Type.String({ format: 'date-time' })),
  warning: Type.Union([Type.Literal('none'), Type.Literal('yellow'), Type.Literal('red')]),
  remainingMs: Nullable(Type.Number({ description: 'Time left in the limit\'s measure (work time for work-time limits); negative when overdue' })),
  restarts: Type.Integer({ minimum: 0 }),
  onTime: Nullable(Type.Boolean()),
}, { additionalProperties: false });
export type CaseClockView = Static<typeof CaseClockView>;
