/** Task inbox API: tasks the user may see, claiming and completing (checked against scope and separation of duties). */
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { OperationalError, toVariables, UserError } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { taskSql } from '../access/subject-maps.ts';
import type { AccessAction } from '@gridflow/engine';
import { engineFetch, EngineHttpError } from '../engine-sync/engine-connection.ts';
import { refusal } from '../http/forbidden.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { actorOf, signedIn } from '../http/request-context.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { clientOf, notFound, page, Paging } from '../http/scoped.ts';
import type { EngineStatus } from '../server/app.ts';
import { FormRegistry } from '../forms/form-registry.ts';
import { taskFormView } from '../forms/task-form.ts';
import { acceptSubmission, rejectSubmission, submitForm } from '../forms/form-submissions.ts';
import { isoOf } from '../db/values.ts';

const TASK = { 'zh-CN': '任务', en: 'task' };
const TaskId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const columns = ['tasks.id', 'tasks.case_id', 'tasks.name', 'tasks.task_definition_key', 'tasks.assignee', 'tasks.status', 'tasks.form_key', 'tasks.form_version', 'tasks.priority', 'tasks.due_at', 'tasks.created_at'];
const tasksWithCases = (db: Knex) => db('tasks').leftJoin('cases', 'cases.id', 'tasks.case_id');

function view(r: Record<string, unknown>) {
  return {
    id: String(r.id), caseId: (r.case_id as string | null) ?? null, name: (r.name as string | null) ?? null, taskKey: (r.task_definition_key as string | null) ?? null,
    assignee: (r.assignee as string | null) ?? null, status: String(r.status), formKey: (r.form_key as string | null) ?? null, priority: Number(r.priority),
    dueAt: isoOf(r.due_at), createdAt: isoOf(r.created_at) ?? '',
  };
}

/** An open task the user may act on: 404 when they may not see it, 403 (naming the rule) when they may only see it. */
async function actionable(db: Knex, user: SignedInUser, id: string, action: AccessAction): Promise<Record<string, unknown>> {
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

function engineOf(engine: EngineStatus | undefined) {
  if (!engine?.connection || engine.status === 'down') {
    throw new OperationalError({ 'zh-CN': '流程引擎暂不可用，请稍后再试', en: 'The process engine is unavailable; try again later' });
  }
  return engine.connection;
}

/** The tasks router (mounted at /api/tasks). */
export function tasksRouter(db: Knex, engine: EngineStatus | undefined, clock: () => Date, registry: RegisteredRoute[]): Router {
  const forms = new FormRegistry(db);
  const act = async (user: SignedInUser, ctx: Parameters<RouteSpec['handler']>[1], id: string, action: 'claim' | 'complete', call: (task: Record<string, unknown>) => Promise<unknown>) => {
    const task = await actionable(db, user, id, action);
    try {
      await call(task);
    } catch (e) {
      if (e instanceof EngineHttpError && (e.status === 404 || e.status === 400 || e.status === 500)) {
        throw new UserError('tasks.conflict', { 'zh-CN': '任务已被他人处理或已不存在', en: 'The task was already handled by someone else or no longer exists' }, { status: 409 });
      }
      throw e;
    }
    await new AuditLog(db).record({
      occurredAt: clock().toISOString(), actor: actorOf(user), action: `task.${action}`, target: { type: 'task', id }, outcome: 'success', ...clientOf(ctx),
    });
    return { ok: true };
  };
  /** Validates and stores the form (if the task has one), completes the task, then applies the submission. */
  const complete = async (user: SignedInUser, task: Record<string, unknown>, values: Record<string, unknown> | undefined) => {
    const formKey = task.form_key as string | null;
    const validator = formKey ? await forms.find(formKey, task.form_version as number | null) : undefined;
    if (formKey && !validator) throw notFound({ 'zh-CN': '任务表单', en: 'task form' });
    if (!validator && values && Object.keys(values).length > 0) {
      throw new UserError('form.none', { 'zh-CN': '此任务没有表单，不能提交表单数据', en: 'This task has no form to submit' });
    }
    const pending = validator
      ? await submitForm(db, validator, { id: String(task.id), key: String(task.task_definition_key), caseId: (task.case_id as string | null) ?? null }, { userId: user.principal.userId, roles: user.principal.roles }, values ?? {}, clock)
      : undefined;
    try {
      await engineFetch(engineOf(engine), 'POST', `/engine-rest/task/${encodeURIComponent(String(task.id))}/complete`, { variables: toVariables(pending?.submitted ?? {}) });
    } catch (e) {
      if (pending) await rejectSubmission(db, pending.id, clock);
      throw e;
    }
    if (pending) await acceptSubmission(db, pending.id, clock);
  };
  const routes = [
    defineRoute({
      method: 'get', path: '/', summary: 'Task inbox: open tasks the user may see (assigned, candidate, or in scope)', access: { action: 'read', subject: 'Task' },
      query: Type.Object({ mine: Type.Optional(Type.Boolean()), status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('completed')])), ...Paging }, { additionalProperties: false }),
      handler: async ({ query }, ctx) => {
        const user = signedIn(ctx);
        const q = whereAllowed(tasksWithCases(db), user.ability, 'read', 'Task', taskSql, user.principal).where('tasks.status', query.status ?? 'open');
        if (query.mine) q.where('tasks.assignee', user.principal.username);
        const { rows, total } = await page(q, columns, [{ column: 'tasks.due_at' }, { column: 'tasks.created_at' }, { column: 'tasks.id' }], query);
        return { items: rows.map(view), total };
      },
    }),
    defineRoute({
      method: 'get', path: '/:id', summary: 'One task', access: { action: 'read', subject: 'Task' }, params: TaskId,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const row = await whereAllowed(tasksWithCases(db).where('tasks.id', params.id), user.ability, 'read', 'Task', taskSql, user.principal).first(columns) as Record<string, unknown> | undefined;
        if (!row) throw notFound(TASK);
        return view(row);
      },
    }),
    defineRoute({
      method: 'get', path: '/:id/form', summary: 'The form of a task: schema without hidden fields, field access at this step, masked values', access: { action: 'read', subject: 'Task' }, params: TaskId,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const row = await whereAllowed(tasksWithCases(db).where('tasks.id', params.id), user.ability, 'read', 'Task', taskSql, user.principal)
          .first([...columns, 'cases.form_key as case_form_key', 'cases.form_version as case_form_version', 'cases.form_values']) as Record<string, unknown> | undefined;
        if (!row) throw notFound(TASK);
        const key = (row.form_key as string | null) ?? (row.case_form_key as string | null);
        const version = (row.form_version as number | null) ?? (key === row.case_form_key ? row.case_form_version as number | null : null);
        const validator = key ? await forms.find(key, version) : undefined;
        if (!validator) throw notFound({ 'zh-CN': '任务表单', en: 'task form' });
        const values = row.form_values ? JSON.parse(String(row.form_values)) as Record<string, unknown> : {};
        return taskFormView(db, ctx, user, validator, { key: String(row.task_definition_key), caseId: (row.case_id as string | null) ?? null, values }, clock);
      },
    }),
    defineRoute({
      method: 'post', path: '/:id/claim', summary: 'Claim a task', access: { action: 'claim', subject: 'Task' }, params: TaskId,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        return act(user, ctx, params.id, 'claim', () => engineFetch(engineOf(engine), 'POST', `/engine-rest/task/${encodeURIComponent(params.id)}/claim`, { userId: user.principal.username }));
      },
    }),
    defineRoute({
      method: 'post', path: '/:id/complete', summary: 'Complete a task', access: { action: 'complete', subject: 'Task' }, params: TaskId,
      body: Type.Object({ values: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), Type.Unknown(), { maxProperties: 200 })) }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => {
        const user = signedIn(ctx);
        return act(user, ctx, params.id, 'complete', (task) => complete(user, task, body.values));
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/tasks', routes, registry);
}
