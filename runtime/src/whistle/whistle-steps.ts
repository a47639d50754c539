/**
 * What the whistle process's service tasks record, each in one transaction with its timeline event
 * (keyed by the external task id, so a handler that runs twice writes once) and its notifications.
 */
import type { Knex } from 'knex';
import type { TopicTask } from '@gridflow/engine';
import { usersInGroups } from '../access/candidate-groups.ts';
import { dateOf } from '../db/values.ts';
import { notify } from '../notifications/notifications.ts';
import { appendCaseEvent } from '../timeline/timeline.store.ts';
import type { CaseEventKind } from '../timeline/timeline.store.ts';
import { boolOf } from './whistle-views.ts';

/** A whistle row as the steps read it. */
export interface WhistleRow {
  id: string;
  case_id: string;
  kind: string;
  status: string;
  lead_department: string;
  started_by: number;
  street_code: string | null;
  district_code: string | null;
  report_in_due_at: unknown;
  overdue_at: unknown;
  resolved: unknown;
  district_resolved: unknown;
}

/** Where a step runs: the database, the time, the external task and its whistle. */
export interface StepContext {
  db: Knex;
  now: Date;
  task: TopicTask;
  whistle: WhistleRow;
}

/** The whistle of an external task (its business key); throws (so the task is retried) when there is none. */
export async function whistleOf(db: Knex, task: TopicTask): Promise<WhistleRow> {
  const id = task.businessKey ?? (typeof task.variables.whistleId === 'string' ? task.variables.whistleId : undefined);
  const row = id ? await db('whistles').where({ id }).first() as WhistleRow & { process_instance_id: string | null } | undefined : undefined;
  if (!row) throw new Error(`External task ${task.id} (${task.topic}) belongs to no whistle (business key ${String(task.businessKey)})`);
  // A start whose answer was lost left the whistle unlinked: its own process links it.
  if (!row.process_instance_id) await db('whistles').where({ id: row.id }).whereNull('process_instance_id').update({ process_instance_id: task.processInstanceId });
  return row;
}

/** A department's name (its code when unknown). */
export async function departmentName(db: Knex | Knex.Transaction, code: string): Promise<string> {
  const row = await db('departments').where({ code }).first('name') as { name: string } | undefined;
  return row?.name ?? code;
}

/** Appends the step's timeline event to the whistle's case. */
export function record(trx: Knex.Transaction, ctx: StepContext, kind: CaseEventKind, details: Record<string, unknown>, opinion?: string | null, at?: Date): Promise<void> {
  return appendCaseEvent(trx, {
    caseId: ctx.whistle.case_id, kind, at: at ?? ctx.now, sourceKey: `topic:${ctx.task.id}`, opinion: opinion ?? null, details: { whistleId: ctx.whistle.id, ...details },
  });
}

/** Whether the step's timeline event is already written (the handler ran before): notifications are sent once. */
export async function alreadyRecorded(trx: Knex.Transaction, ctx: StepContext): Promise<boolean> {
  return Boolean(await trx('case_events').where({ source_key: `topic:${ctx.task.id}` }).first('id'));
}

/** Notifies the members of candidate groups (a department is `dept:<code>`), from the system. */
export async function notifyGroups(trx: Knex.Transaction, ctx: StepContext, groups: string[], kind: string, message: string, taskId: string | null = null): Promise<void> {
  await notify(trx, await usersInGroups(trx, groups), { kind, caseId: ctx.whistle.case_id, taskId, message, fromUserId: null }, ctx.now);
}

/** The open task of a department at a step of the whistle (to link a notice to it). */
export async function openTaskOf(trx: Knex.Transaction, ctx: StepContext, step: string, department: string): Promise<string | null> {
  const row = await trx('tasks as t').join('task_candidates as c', 'c.task_id', 't.id')
    .where({ 't.process_instance_id': ctx.task.processInstanceId, 't.task_definition_key': step, 't.status': 'open', 'c.kind': 'group', 'c.value': `dept:${department}` })
    .first('t.id') as { id: string } | undefined;
  return row?.id ?? null;
}

/** A department reported in at `at`: late when after the deadline (or already flagged late by the timer). */
export async function recordReportIn(ctx: StepContext, department: string, note: string | null, at: Date): Promise<void> {
  const due = dateOf(ctx.whistle.report_in_due_at) as Date;
  await ctx.db.transaction(async (trx) => {
    const row = await trx('whistle_departments').where({ whistle_id: ctx.whistle.id, department_code: department }).first('reported_at', 'late') as { reported_at: unknown; late: unknown } | undefined;
    if (!row) throw new Error(`Department ${department} was not summoned by whistle ${ctx.whistle.id}`);
    const late = Boolean(boolOf(row.late)) || at.getTime() > due.getTime();
    if (!row.reported_at) {
      await trx('whistle_departments').where({ whistle_id: ctx.whistle.id, department_code: department }).update({ reported_at: at, report_note: note, late });
    }
    await record(trx, ctx, 'whistle.reportedIn', { department, departmentName: await departmentName(trx, department), late }, note, at);
  });
}

/** A department has not reported in by the deadline: flagged late and urged (its members notified). */
export async function recordLate(ctx: StepContext, department: string, taskId: string | null): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    if (await alreadyRecorded(trx, ctx)) return;
    const updated = await trx('whistle_departments').where({ whistle_id: ctx.whistle.id, department_code: department }).whereNull('reported_at').update({ late: true, urged_at: ctx.now });
    if (updated === 0) return;
    const name = await departmentName(trx, department);
    await record(trx, ctx, 'whistle.late', { department, departmentName: name, reportInDueAt: dateOf(ctx.whistle.report_in_due_at)?.toISOString() });
    await notifyGroups(trx, ctx, [`dept:${department}`], 'whistle.late', `【吹哨催报】${name}未在规定时间内报到，请立即到场并报到。`, taskId);
  });
}
