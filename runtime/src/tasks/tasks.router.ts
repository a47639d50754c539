/** Task inbox API: tasks the user may see, claiming and completing (checked against scope and separation of duties). */
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { toVariables, UserError } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { taskSql } from '../access/subject-maps.ts';
import { engineFetch, EngineHttpError } from '../engine-sync/engine-connection.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { actorOf, signedIn } from '../http/request-context.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { clientOf, notFound, page, Paging } from '../http/scoped.ts';
import type { EngineStatus } from '../server/app.ts';
import { FormRegistry } from '../forms/form-registry.ts';
import { taskFormView } from '../forms/task-form.ts';
import { acceptSubmission, rejectSubmission, stepOf, submitForm } from '../forms/form-submissions.ts';
import { appendCaseEvent, timelineActor } from '../timeline/timeline.store.ts';
import { OkResponse, TaskFormView, TaskList, TaskView } from '../contracts/index.ts';
import { taskOperationRoutes } from './task-operations.router.ts';
import { suspendedCase } from '../cases/case-suspension.ts';
import { TASK, TaskId, actionable, columns, engineOf, formCaseOf, tasksWithCases, view } from './task-access.ts';

/** The tasks router (mounted at /api/tasks). */
export function tasksRouter(db: Knex, engine: EngineStatus | undefined, clock: () => Date, registry: RegisteredRoute[]): Router {
  const forms = new FormRegistry(db);
  const act = async (user: SignedInUser, ctx: Parameters<RouteSpec['handler']>[1], id: string, action: 'claim' | 'complete', call: (task: Record<string, unknown>) => Promise<unknown>) => {
    const task = await actionable(db, user, id, action);
    if (task.case_status === 'suspended') throw suspendedCase();
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
    return { ok: true as const };
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
      ? await submitForm(db, validator, { id: String(task.id), key: String(task.task_definition_key), caseId: formCaseOf(task) }, { userId: user.principal.userId, roles: user.principal.roles }, values ?? {}, clock)
      : undefined;
    // The step ends when the engine is asked (its own events of what follows come after).
    const completedAt = clock();
    try {
      await engineFetch(engineOf(engine), 'POST', `/engine-rest/task/${encodeURIComponent(String(task.id))}/complete`, { variables: toVariables(pending?.submitted ?? {}) });
    } catch (e) {
      if (pending) await rejectSubmission(db, pending.id, clock);
      throw e;
    }
    if (pending) await acceptSubmission(db, pending.id, clock, completedAt);
    await db('tasks').where({ id: String(task.id) }).update({ completed_by: user.principal.username });
    if (!pending && task.case_id) {
      await appendCaseEvent(db, {
        caseId: String(task.case_id), kind: 'step.completed', at: completedAt, sourceKey: `completed:${String(task.id)}`,
        actor: timelineActor(user), step: await stepOf(db, String(task.id)),
      });
    }
  };
  const routes = [
    defineRoute({
      method: 'get', path: '/', summary: 'Task inbox: open tasks the user may see (assigned, candidate, or in scope)', access: { action: 'read', subject: 'Task' }, response: TaskList,
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
      method: 'get', path: '/:id', summary: 'One task', access: { action: 'read', subject: 'Task' }, params: TaskId, response: TaskView,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const row = await whereAllowed(tasksWithCases(db).where('tasks.id', params.id), user.ability, 'read', 'Task', taskSql, user.principal).first(columns) as Record<string, unknown> | undefined;
        if (!row) throw notFound(TASK);
        return view(row);
      },
    }),
    defineRoute({
      method: 'get', path: '/:id/form', summary: 'The form of a task: schema without hidden fields, field access at this step, masked values', access: { action: 'read', subject: 'Task' }, params: TaskId, response: TaskFormView,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const row = await whereAllowed(tasksWithCases(db).where('tasks.id', params.id), user.ability, 'read', 'Task', taskSql, user.principal)
          .first([...columns, 'cases.form_key as case_form_key', 'cases.form_version as case_form_version', 'cases.form_values']) as Record<string, unknown> | undefined;
        if (!row) throw notFound(TASK);
        const key = (row.form_key as string | null) ?? (row.case_form_key as string | null);
        const version = (row.form_version as number | null) ?? (key === row.case_form_key ? row.case_form_version as number | null : null);
        const validator = key ? await forms.find(key, version) : undefined;
        if (!validator) throw notFound({ 'zh-CN': '任务表单', en: 'task form' });
        const values = row.form_values && formCaseOf(row) ? JSON.parse(String(row.form_values)) as Record<string, unknown> : {};
        return taskFormView(db, ctx, user, validator, { key: String(row.task_definition_key), caseId: formCaseOf(row), values }, clock);
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
      method: 'post', path: '/:id/complete', summary: 'Complete a task', access: { action: 'complete', subject: 'Task' }, params: TaskId, response: OkResponse,
      body: Type.Object({ values: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), Type.Unknown(), { maxProperties: 200 })) }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => {
        const user = signedIn(ctx);
        return act(user, ctx, params.id, 'complete', (task) => complete(user, task, body.values));
      },
    }),
    ...taskOperationRoutes(db, engine, clock),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/tasks', routes, registry);
}
