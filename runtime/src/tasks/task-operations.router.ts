/** Routes of task operations (mounted with the task routes at /api/tasks). */
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { UserError } from '@gridflow/engine';
import type { AccessAction } from '@gridflow/engine';
import { engineFetch } from '../engine-sync/engine-connection.ts';
import { defineRoute } from '../http/route.ts';
import type { RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import type { EngineStatus } from '../server/app.ts';
import { TASK, TaskId, actionable, engineOf } from './task-access.ts';
import { notFound } from '../http/scoped.ts';
import { TaskOperations, onEngine, refuse } from './task-operations.ts';
import { participantRoutes } from './task-participants.router.ts';
import { suspendedCase } from '../cases/case-suspension.ts';
import { peopleOnTask, userIds } from '../notifications/notifications.ts';

const Reason = Type.String({ minLength: 2, maxLength: 500 });
const Username = Type.String({ minLength: 1, maxLength: 64 });
const StepId = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,127}$' });

/** The task operation routes. */
export function taskOperationRoutes(db: Knex, engine: EngineStatus | undefined, clock: () => Date): RouteSpec[] {
  const ops = new TaskOperations(db, clock);
  const post = (path: string, summary: string, action: AccessAction, body: ReturnType<typeof Type.Object>, run: (user: SignedInUser, ctx: RequestContext, id: string, body: Record<string, unknown>) => Promise<unknown>) => defineRoute({
    method: 'post', path: `/:id/${path}`, summary, access: { action, subject: 'Task' }, params: TaskId, body,
    handler: async ({ params, body: input }, ctx) => run(signedIn(ctx), ctx, params.id, input as Record<string, unknown>),
  });
  const open = async (user: SignedInUser, id: string, action: AccessAction) => {
    const task = await actionable(db, user, id, action);
    if (task.status !== 'open') throw refuse('notOpen', '任务已办结', 'The task is no longer open');
    if (task.case_status === 'suspended') throw suspendedCase();
    return task;
  };
  return [
    post('unclaim', 'Give a claimed task back to its candidates', 'claim', Type.Object({}, { additionalProperties: false }), async (user, ctx, id) => {
      const task = await open(user, id, 'claim');
      if (task.assignee !== user.principal.username) throw refuse('notAssignee', '只有签收人可以退回签收', 'Only the assignee can unclaim');
      await onEngine(() => engineFetch(engineOf(engine), 'POST', `/engine-rest/task/${encodeURIComponent(id)}/unclaim`));
      await ops.record(ctx, user, task, 'unclaim', null, null);
      return { ok: true };
    }),
    post('transfer', 'Transfer (转办) a task to another user who may do it', 'complete', Type.Object({ to: Username, reason: Reason }, { additionalProperties: false }), async (user, ctx, id, body) => {
      const task = await open(user, id, 'complete');
      const to = String(body.to);
      if (to === user.principal.username || !(await ops.isCandidate(id, to))) {
        throw new UserError('task.transferTarget', { 'zh-CN': `“${to}”不能办理此任务`, en: `"${to}" cannot do this task` }, { status: 422, details: [{ target: '/body/to', message: { 'zh-CN': '转办对象须为本任务的候选办理人', en: 'Transfer to a candidate of this task' } }] });
      }
      await onEngine(() => engineFetch(engineOf(engine), 'POST', `/engine-rest/task/${encodeURIComponent(id)}/assignee`, { userId: to }));
      await ops.record(ctx, user, task, 'transfer', to, String(body.reason), { userIds: await userIds(db, [to]), message: `${user.principal.displayName}将任务“${String(task.name ?? '')}”转办给您：${String(body.reason)}` });
      return { ok: true };
    }),
    post('delegate', 'Delegate (委派) a claimed task; the delegate resolves it back', 'complete', Type.Object({ to: Username, reason: Reason }, { additionalProperties: false }), async (user, ctx, id, body) => {
      const task = await open(user, id, 'complete');
      if (task.assignee !== user.principal.username) throw refuse('claimFirst', '请先签收任务再委派', 'Claim the task before delegating it');
      const to = String(body.to);
      const target = await db('users').where({ username: to, status: 'active' }).first('org_unit_code', 'department_code') as { org_unit_code: string; department_code: string | null } | undefined;
      const colleague = target && (target.org_unit_code === user.principal.orgUnitCode || (target.department_code !== null && target.department_code === user.principal.departmentCode));
      if (!colleague || to === user.principal.username) {
        throw new UserError('task.delegateTarget', { 'zh-CN': `不能委派给“${to}”`, en: `Cannot delegate to "${to}"` }, { status: 422, details: [{ target: '/body/to', message: { 'zh-CN': '委派对象须为本单位或本部门人员', en: 'Delegate to someone of your unit or department' } }] });
      }
      await onEngine(() => engineFetch(engineOf(engine), 'POST', `/engine-rest/task/${encodeURIComponent(id)}/delegate`, { userId: to }));
      await ops.record(ctx, user, task, 'delegate', to, String(body.reason), { userIds: await userIds(db, [to]), message: `${user.principal.displayName}将任务“${String(task.name ?? '')}”委派给您：${String(body.reason)}` });
      return { ok: true };
    }),
    post('resolve', 'Resolve a delegated task back to its owner', 'complete', Type.Object({ reason: Reason }, { additionalProperties: false }), async (user, ctx, id, body) => {
      const task = await open(user, id, 'complete');
      const state = await onEngine(() => engineFetch<{ delegationState: string | null; assignee: string | null }>(engineOf(engine), 'GET', `/engine-rest/task/${encodeURIComponent(id)}`));
      if (state.delegationState !== 'PENDING' || state.assignee !== user.principal.username) throw refuse('notDelegated', '此任务不是委派给您的', 'This task was not delegated to you');
      await onEngine(() => engineFetch(engineOf(engine), 'POST', `/engine-rest/task/${encodeURIComponent(id)}/resolve`, { variables: {} }));
      await ops.record(ctx, user, task, 'resolve', null, String(body.reason));
      return { ok: true };
    }),
    post('return', 'Return (退回) a task to an earlier step of its process, also out of parallel branches and multi-instance steps', 'complete', Type.Object({ to: StepId, reason: Reason }, { additionalProperties: false }), async (user, ctx, id, body) => {
      const task = await open(user, id, 'complete');
      const connection = engineOf(engine);
      const { task: engineTask, plan } = await onEngine(() => ops.planReturn(connection, id, String(body.to)));
      await onEngine(() => ops.executeReturn(connection, engineTask.processInstanceId, plan, `退回：${String(body.reason)}`));
      await ops.record(ctx, user, task, 'return', String(body.to), String(body.reason));
      return { ok: true, cancelled: plan.cancel.length };
    }),
    post('withdraw', 'Withdraw (撤回) a step the user completed while the next step is untouched', 'complete', Type.Object({ reason: Reason }, { additionalProperties: false }), async (user, ctx, id, body) => {
      // Only the user who completed the step (through GridFlow) may withdraw it; to anyone else it does not exist.
      const task = await db('tasks').where({ id, completed_by: user.principal.username }).first('id', 'case_id', 'task_definition_key', 'status', 'process_instance_id') as Record<string, unknown> | undefined;
      if (!task) throw notFound(TASK);
      if (task.status !== 'completed') throw refuse('notCompleted', '环节尚未办结，无需撤回', 'The step is not completed');
      const next = await ops.untouchedNext(task);
      const connection = engineOf(engine);
      const { task: engineTask, plan } = await onEngine(() => ops.planReturn(connection, String(next[0]?.id), String(task.task_definition_key)));
      await onEngine(() => ops.executeReturn(connection, engineTask.processInstanceId, plan, `撤回：${String(body.reason)}`));
      await ops.assignAt(connection, engineTask.processInstanceId, String(task.task_definition_key), user.principal.username);
      await ops.record(ctx, user, task, 'withdraw', String(task.task_definition_key), String(body.reason));
      return { ok: true };
    }),
    post('cc', 'Copy (抄送) the case to users, who may then read it', 'complete', Type.Object({ users: Type.Array(Username, { minItems: 1, maxItems: 20, uniqueItems: true }), reason: Reason }, { additionalProperties: false }), async (user, ctx, id, body) => {
      const task = await open(user, id, 'complete');
      const names = body.users as string[];
      const found = await db('users').whereIn('username', names).where({ status: 'active' }).select('id', 'username') as { id: number; username: string }[];
      const missing = names.filter((n) => !found.some((f) => f.username === n));
      if (missing.length > 0) throw new UserError('task.ccTarget', { 'zh-CN': `用户不存在：${missing.join('、')}`, en: `No such users: ${missing.join(', ')}` }, { status: 422, details: missing.map((n) => ({ target: `/body/users/${names.indexOf(n)}`, message: { 'zh-CN': '用户不存在', en: 'No such user' } })) });
      if (!task.case_id) throw refuse('noCase', '任务不属于任何事件', 'The task belongs to no case');
      for (const f of found) {
        const exists = await db('case_parties').where({ case_id: task.case_id, relation: 'cc', user_id: f.id }).first('case_id');
        if (!exists) await db('case_parties').insert({ case_id: task.case_id, relation: 'cc', user_id: f.id, created_at: clock() });
      }
      await ops.record(ctx, user, task, 'cc', names.join(','), String(body.reason), { userIds: found.map((f) => Number(f.id)), message: `${user.principal.displayName}抄送事件给您：${String(body.reason)}` });
      return { ok: true };
    }),
    post('urge', 'Urge (催办) the people working on a task', 'read', Type.Object({ message: Reason }, { additionalProperties: false }), async (user, ctx, id, body) => {
      const task = await open(user, id, 'read');
      if (task.assignee === user.principal.username) throw refuse('urgeSelf', '不能催办自己的任务', 'You cannot urge your own task', 422);
      const people = await peopleOnTask(db, id, (task.assignee as string | null) ?? null);
      await ops.record(ctx, user, task, 'urge', (task.assignee as string | null) ?? null, String(body.message), { userIds: people, message: `${user.principal.displayName}催办任务“${String(task.name ?? '')}”：${String(body.message)}` });
      return { ok: true };
    }),
    ...participantRoutes(db, engine, ops, clock),
  ] as RouteSpec[];
}
