/** Contracts of the 督办 supervision API (schemas are the types). */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Nullable, PageOf } from './common.ts';
import { TimeAmount } from './clock.ts';

/** A 督办 supervision as the API shows it. */
export const SupervisionView = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  caseTitle: Nullable(Type.String()),
  source: Type.Union([Type.Literal('manual'), Type.Literal('clock')], { description: 'clock: raised automatically when the case went overdue' }),
  level: Type.Union([Type.Literal('street'), Type.Literal('district')], { description: 'The level that supervises' }),
  orgUnitCode: Nullable(Type.String()),
  opinion: Type.String(),
  author: Nullable(Type.Object({ username: Type.String(), name: Nullable(Type.String()) }, { additionalProperties: false, description: 'Null for automatic supervisions' })),
  replyWithin: TimeAmount,
  replyDueAt: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('replied')]),
  overdue: Type.Boolean({ description: 'Open and past its reply deadline' }),
  reply: Nullable(Type.String()),
  repliedBy: Nullable(Type.String()),
  repliedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
}, { additionalProperties: false });
export type SupervisionView = Static<typeof SupervisionView>;

/** GET /api/supervisions */
export const SupervisionList = PageOf(SupervisionView);
export type SupervisionList = Static<typeof SupervisionList>;

/** GET /api/cases/:id/supervisions */
export const CaseSupervisions = Type.Object({ items: Type.Array(SupervisionView) }, { additionalProperties: false });
export type CaseSupervisions = Static<typeof CaseSupervisions>;
