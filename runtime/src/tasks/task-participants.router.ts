/** Routes of 加签 / 减签 on a running multi-instance step (mounted with the task routes at /api/tasks). */
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { ParticipantsChanged } from '../contracts/tasks.ts';
import { suspendedCase } from '../cases/case-suspension.ts';
import { defineRoute } from '../http/route.ts';
import type { RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { peopleOnTask } from '../notifications/notifications.ts';
import type { EngineStatus } from '../server/app.ts';
import { actionable, engineOf } from './task-access.ts';
import { onEngine, refuse } from './task-operations.ts';
import type { TaskOperations } from './task-operations.ts';
import {
  addParticipant, candidatesOfParticipant, checkNewParticipant, participantToRemove, participantsOf, removeParticipant, updateCaseList,
} from './task-participants.ts';
import type { ParticipantsState } from './task-participants.ts';

/** A value of a step's element variable: a department code, a username, … (no spaces, commas, quotes or expression marks). */
const Participant = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s,;\'"${}#]+$', description: 'A value of the step\'s element variable, e.g. a department code or a username' });
const Reason = Type.String({ minLength: 2, maxLength: 500 });

/** The step's participants after a change. */
function changed(participant: string, listed: string[], open: string[]) {
  return { ok: true as const, participant, participants: listed, open, completed: listed.filter((p) => !open.includes(p)) };
}

/** POST /:id/participants and DELETE /:id/participants/:participant. */
export function participantRoutes(db: Knex, engine: EngineStatus | undefined, ops: TaskOperations, clock: () => Date): RouteSpec[] {
  /** An open task of the step the user may coordinate, with its case's district. */
  const coordinated = async (user: SignedInUser, id: string) => {
    const task = await actionable(db, user, id, 'coordinate');
    if (task.status !== 'open') throw refuse('notOpen', '任务已办结', 'The task is no longer open');
    if (task.case_status === 'suspended') throw suspendedCase();
    const place = task.case_id ? await db('cases').where({ id: task.case_id }).first('district_code') as { district_code: string | null } | undefined : undefined;
    return { task, district: place?.district_code ?? null };
  };
  const state = (id: string): Promise<ParticipantsState> => onEngine(() => participantsOf(engineOf(engine), ops, id));
  return [
    defineRoute({
      method: 'post', path: '/:id/participants', summary: 'Add a participant (加签) to the running multi-instance step of a task',
      access: { action: 'coordinate', subject: 'Task' },
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
      body: Type.Object({ participant: Participant, reason: Type.Optional(Reason) }, { additionalProperties: false }),
      response: ParticipantsChanged,
      handler: async ({ params, body }, ctx) => {
        const user = signedIn(ctx);
        const { task, district } = await coordinated(user, params.id);
        const now = await state(params.id);
        await checkNewParticipant(db, user, now, body.participant, district);
        const reason = body.reason ?? null;
        const newTask = await onEngine(() => addParticipant(engineOf(engine), now, body.participant, `加签：${body.participant}${reason ? `，${reason}` : ''}`));
        const listed = [...now.listed, body.participant];
        await ops.record(ctx, user, task, 'participantAdded', body.participant, reason, {
          userIds: await candidatesOfParticipant(db, now.plan, body.participant),
          message: `${user.principal.displayName}加签，请办理“${String(task.name ?? '')}”${reason ? `：${reason}` : ''}`, ...(newTask ? { taskId: newTask } : {}),
        }, {
          details: { participant: body.participant, ...(newTask ? { participantTaskId: newTask } : {}) },
          apply: (trx) => updateCaseList(trx, (task.case_id as string | null) ?? null, now.plan.collection, listed, clock()),
        });
        return changed(body.participant, listed, [...now.open.map((o) => o.participant), body.participant]);
      },
    }),
    defineRoute({
      method: 'delete', path: '/:id/participants/:participant', summary: 'Remove an open participant (减签) from the running multi-instance step of a task',
      access: { action: 'coordinate', subject: 'Task' },
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), participant: Participant }, { additionalProperties: false }),
      query: Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false }),
      response: ParticipantsChanged,
      handler: async ({ params, query }, ctx) => {
        const user = signedIn(ctx);
        const { task } = await coordinated(user, params.id);
        const now = await state(params.id);
        const target = participantToRemove(now, params.participant);
        const reason = query.reason ?? null;
        const people = await peopleOnTask(db, target.taskId, target.assignee);
        await onEngine(() => removeParticipant(engineOf(engine), now, target, `减签：${params.participant}${reason ? `，${reason}` : ''}`));
        const listed = now.listed.filter((p) => p !== params.participant);
        await ops.record(ctx, user, task, 'participantRemoved', params.participant, reason, {
          userIds: people, message: `${user.principal.displayName}已将“${params.participant}”从“${String(task.name ?? '')}”会签中减签${reason ? `：${reason}` : ''}`, taskId: target.taskId,
        }, {
          details: { participant: params.participant, participantTaskId: target.taskId },
          apply: (trx) => updateCaseList(trx, (task.case_id as string | null) ?? null, now.plan.collection, listed, clock()),
        });
        return changed(params.participant, listed, now.open.filter((o) => o !== target).map((o) => o.participant));
      },
    }),
  ] as RouteSpec[];
}
