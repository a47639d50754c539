/** Contracts of the task inbox API (schemas are the types). */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Nullable, PageOf } from './common.ts';

/** A task as the inbox shows it. */
export const TaskView = Type.Object({
  id: Type.String(),
  caseId: Nullable(Type.String()),
  name: Nullable(Type.String()),
  taskKey: Nullable(Type.String({ description: 'Id of the user task in the BPMN process' })),
  assignee: Nullable(Type.String({ description: 'Username of the assignee' })),
  status: Type.String(),
  formKey: Nullable(Type.String()),
  priority: Type.Number(),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
}, { additionalProperties: false });
export type TaskView = Static<typeof TaskView>;

/** GET /api/tasks */
export const TaskList = PageOf(TaskView);
export type TaskList = Static<typeof TaskList>;

/** Access to a form field at a step: hidden, read-only, editable or required. */
export const FieldAccess = Type.Union([Type.Literal('hidden'), Type.Literal('readOnly'), Type.Literal('editable'), Type.Literal('required')]);
export type FieldAccess = Static<typeof FieldAccess>;

/** GET /api/tasks/:id/form: the form of a task as the user may see and fill it. */
export const TaskFormView = Type.Object({
  form: Type.Object({
    key: Type.String(), version: Type.Integer({ minimum: 1 }), name: Type.String(),
    schema: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema with Formily x-* keys, without the fields hidden from the user' }),
  }, { additionalProperties: false }),
  access: Type.Record(Type.String(), FieldAccess, { description: 'Each field\'s access now: the rules of the step and role narrowed by the reactions' }),
  rules: Type.Record(Type.String(), Type.Union([Type.Literal('readOnly'), Type.Literal('editable'), Type.Literal('required')]), {
    description: 'Each field\'s access by the rules alone: the renderer recomputes `access` from the reactions as values change',
  }),
  required: Type.Array(Type.String(), { description: 'The schema\'s required fields (required wherever editable)' }),
  values: Type.Record(Type.String(), Type.Unknown(), { description: 'The case\'s values, personal data masked' }),
}, { additionalProperties: false });
export type TaskFormView = Static<typeof TaskFormView>;

/** POST /api/tasks/:id/participants (加签) and DELETE /api/tasks/:id/participants/:participant (减签): the step's participants after the change. */
export const ParticipantsChanged = Type.Object({
  ok: Type.Literal(true),
  participant: Type.String({ description: 'The participant added or removed (a value of the step\'s element variable: a department code, a username, …)' }),
  participants: Type.Array(Type.String(), { description: 'The step\'s list of participants now (its collection variable): open and completed' }),
  open: Type.Array(Type.String(), { description: 'Participants whose task at the step is open' }),
  completed: Type.Array(Type.String(), { description: 'Participants who completed their task at the step (their opinion stays)' }),
}, { additionalProperties: false });
export type ParticipantsChanged = Static<typeof ParticipantsChanged>;
