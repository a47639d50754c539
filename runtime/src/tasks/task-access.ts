/** What the task routes share: the task columns and view, "may this user act on this task", and the engine connection. */
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { OperationalError } from '@gridflow/engine';
import type { AccessAction } from '@gridflow/engine';
import { whereAllowed } from '../access/sql-conditions.ts';
import { taskSql } from '../access/subject-maps.ts';
import { refusal } from '../http/forbidden.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { notFound } from '../http/scoped.ts';
import type { EngineStatus } from '../server/app.ts';
import type { EngineConnection } from '../engine-sync/engine-connection.ts';
import { isoOf } from '../db/values.ts';

/** The label of a task in "not found" answers. */
export const TASK = { 'zh-CN': '任务', en: 'task' };
/** Path parameters of a task route. */
export const TaskId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
/** Columns of a task view. */
export const columns = ['cases.status as case_status', 'tasks.id', 'tasks.case_id', 'tasks.name', 'tasks.task_definition_key', 'tasks.assignee', 'tasks.status', 'tasks.form_key', 'tasks.form_version', 'tasks.priority', 'tasks.due_at', 'tasks.created_at',
  'tasks.process_instance_id', 'cases.process_instance_id as case_instance_id'];
/**
 * The case whose values a task's form reads and writes: the task's case when the task is of the
 * case's own process. Tasks of another process about the case (a whistle's) keep their own values.
 */
export const formCaseOf = (task: Record<string, unknown>): string | null =>
  (task.case_id && task.process_instance_id === task.case_instance_id ? String(task.case_id) : null);
/** Tasks with their cases (for scope conditions). */
export const tasksWithCases = (db: Knex) => db('tasks').leftJoin('cases', 'cases.id', 'tasks.case_id');

/** A task as the API shows it. */
export function view(r: Record<string, unknown>) {
  return {
    id: String(r.id), caseId: (r.case_id as string | null) ?? null, name: (r.name as string | null) ?? null, taskKey: (r.task_definition_key as string | null) ?? null,
    assignee: (r.assignee as string | null) ?? null, status: String(r.status), formKey: (r.form_key as string | null) ?? null, priority: Number(r.priority),
    dueAt: isoOf(r.due_at), createdAt: isoOf(r.created_at) ?? '',
  };
}

/** An open task the user may act on: 404 when they may not see it, 403 (naming the rule) when they may only see it. */
export async function actionable(db: Knex, user: SignedInUser, id: string, action: AccessAction): Promise<Record<string, unknown>> {
  const base = () => tasksWithCases(db).where('tasks.id', id);
  const row = await whereAllowed(base(), user.ability, action, 'Task', taskSql, user.principal).first(columns) as Record<string, unknown> | undefined;
  if (row) return row;
  const visible = await whereAllowed(base(), user.ability, 'read', 'Task', taskSql, user.principal).first('tasks.task_definition_key', 'tasks.case_id') as Record<string, unknown> | undefined;
  if (!visible) throw notFound(TASK);
  const relations = visible.case_id
    ? (await db('case_parties').where({ case_id: visible.case_id, user_id: user.principal.userId }).select('relation') as { relation: string }[]).map((r) => r.relation)
    : [];
  throw refusal(user, action, 'Task', { taskDefinitionKey: visible.task_definition_key, relation: relations });
}

/** The engine connection, or 503 while the engine is down. */
export function engineOf(engine: EngineStatus | undefined): EngineConnection {
  if (!engine?.connection || engine.status === 'down') {
    throw new OperationalError({ 'zh-CN': '流程引擎暂不可用，请稍后再试', en: 'The process engine is unavailable; try again later' });
  }
  return engine.connection;
}

