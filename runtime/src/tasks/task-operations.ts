/**
 * Task operations beyond claim and complete, each checked against what the task and the process
 * shape allow before the engine is asked: unclaim, 转办 transfer, 委派 delegate and resolve,
 * 退回 return to an earlier step, 撤回 withdraw a completed step while the next is untouched,
 * 抄送 copy and 催办 urge. Each is recorded (task_operations) and audited.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { UserError, planReturn } from '@gridflow/engine';
import { taskCandidates } from '../access/candidate-groups.ts';
import type { ActiveActivity, LocalizedText, ProcessShape, ReturnPlan } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { appendCaseEvent, timelineActor } from '../timeline/timeline.store.ts';
import { notify } from '../notifications/notifications.ts';
import { EngineHttpError, engineFetch } from '../engine-sync/engine-connection.ts';
import type { EngineConnection } from '../engine-sync/engine-connection.ts';
import { processShape } from '../engine-sync/process-shapes.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf } from '../http/scoped.ts';

const refuse = (code: string, zh: string, en: string, status = 409) => new UserError(`task.${code}`, { 'zh-CN': zh, en }, { status });

const RETURN_REFUSALS: Record<Exclude<ReturnPlan, { ok: true }>['reason'], LocalizedText> = {
  unknownStep: { 'zh-CN': '流程中没有这个环节', en: 'The process has no such step' },
  notUserTask: { 'zh-CN': '只能退回到人工办理环节', en: 'Only a user task can be returned to' },
  sameStep: { 'zh-CN': '不能退回到本环节', en: 'A task cannot be returned to its own step' },
  notEarlier: { 'zh-CN': '只能退回到本环节之前的环节（不能退回到并行的其他分支）', en: 'Only an earlier step can be returned to (not a step of another parallel branch)' },
  insideParallelBranch: { 'zh-CN': '退回到并行分支中的环节会使汇聚永远等待，请退回到分支之前的环节', en: 'Returning into one parallel branch would leave its join waiting forever; return to a step before the split' },
};

interface EngineTask { id: string; processInstanceId: string; processDefinitionId: string; taskDefinitionKey: string }
interface ActivityTree { id: string; activityId: string; activityType: string; childActivityInstances: ActivityTree[] }

/** The active activity instances of a process instance, flattened with their parents. */
function flatten(tree: ActivityTree, parent?: string, out: ActiveActivity[] = []): ActiveActivity[] {
  for (const child of tree.childActivityInstances) {
    out.push({ instanceId: child.id, activityId: child.activityId, activityType: child.activityType, ...(parent ? { parentInstanceId: parent } : {}) });
    flatten(child, child.id, out);
  }
  return out;
}

/** Task operations against the engine. */
export class TaskOperations {

  constructor(private readonly db: Knex, private readonly clock: () => Date) {}

  /**
   * Records and audits an operation (in one transaction). `notice` notifies users (about `notice.taskId`,
   * by default the task operated on); `extra.details` go to the timeline and the audit record, and
   * `extra.apply` writes more in the same transaction.
   */
  async record(
    ctx: RequestContext, user: SignedInUser, task: Record<string, unknown>, operation: string, target: string | null, reason: string | null,
    notice?: { userIds: number[]; message: string; taskId?: string },
    extra: { details?: Record<string, unknown>; apply?: (trx: Knex.Transaction) => Promise<void> } = {},
  ): Promise<void> {
    const id = randomUUID();
    const details = { ...(target ? { target } : {}), ...extra.details };
    await this.db.transaction(async (trx) => {
      if (extra.apply) await extra.apply(trx);
      if (task.case_id) {
        await appendCaseEvent(trx, {
          caseId: String(task.case_id), kind: `task.${operation}`, at: this.clock(), sourceKey: `op:${id}`, actor: timelineActor(user),
          step: { key: String(task.task_definition_key ?? ''), name: (task.name as string | null) ?? null, taskId: String(task.id) }, opinion: reason, ...(Object.keys(details).length > 0 ? { details } : {}),
        });
      }
      if (notice) {
        await notify(trx, notice.userIds, {
          kind: `task.${operation}`, caseId: (task.case_id as string | null) ?? null, taskId: notice.taskId ?? String(task.id), message: notice.message, fromUserId: user.principal.userId,
        }, this.clock());
      }
      await trx('task_operations').insert({
        id, case_id: task.case_id ?? null, task_id: String(task.id), task_definition_key: task.task_definition_key ?? null, operation,
        actor_id: user.principal.userId, target, reason, created_at: this.clock(),
      });
      await new AuditLog(trx).append(trx, {
        occurredAt: this.clock().toISOString(), actor: actorOf(user), action: `task.${operation}`, target: { type: 'task', id: String(task.id) }, outcome: 'success',
        ...clientOf(ctx), details: { caseId: task.case_id ?? null, ...details, ...(reason ? { reason } : {}) },
      });
    });
  }

  /** Whether a user could act on the task by its candidates (for transfer targets). */
  async isCandidate(taskId: string, username: string): Promise<boolean> {
    const user = await this.db('users').where({ username, status: 'active' }).first('id') as { id: number } | undefined;
    return user !== undefined && (await taskCandidates(this.db, taskId)).includes(Number(user.id));
  }

  /** Plans a return of an open task to an earlier step (throws the reason when the shape forbids it). */
  async planReturn(engine: EngineConnection, taskId: string, to: string): Promise<{ task: EngineTask; plan: Extract<ReturnPlan, { ok: true }> }> {
    const task = await engineFetch<EngineTask>(engine, 'GET', `/engine-rest/task/${encodeURIComponent(taskId)}`);
    const shape = await this.shape(engine, task.processDefinitionId);
    const tree = await engineFetch<ActivityTree>(engine, 'GET', `/engine-rest/process-instance/${encodeURIComponent(task.processInstanceId)}/activity-instances`);
    const plan = planReturn(shape, flatten(tree), task.taskDefinitionKey, to);
    if (!plan.ok) {
      throw new UserError(`task.return.${plan.reason}`, RETURN_REFUSALS[plan.reason], { status: 409, details: [{ target: '/body/to', message: RETURN_REFUSALS[plan.reason] }] });
    }
    return { task, plan };
  }

  /** Carries out a return plan: re-enter before the target, cancel what it re-creates. */
  async executeReturn(engine: EngineConnection, processInstanceId: string, plan: Extract<ReturnPlan, { ok: true }>, annotation: string): Promise<void> {
    await engineFetch(engine, 'POST', `/engine-rest/process-instance/${encodeURIComponent(processInstanceId)}/modification`, {
      skipCustomListeners: true, skipIoMappings: true, annotation: annotation.slice(0, 4000),
      instructions: [{ type: 'startBeforeActivity', activityId: plan.startBefore }, ...plan.cancel.map((id) => ({ type: 'cancel', activityInstanceId: id }))],
    });
  }

  /** The steps a withdrawal needs untouched: the case's open tasks, none claimed and none with a pending submission. */
  async untouchedNext(completed: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const open = await this.db('tasks').where({ process_instance_id: completed.process_instance_id, status: 'open' }).select('id', 'assignee', 'created_at', 'task_definition_key') as Record<string, unknown>[];
    if (open.length === 0) throw refuse('withdraw.nothingNext', '没有可撤回的后续环节', 'There is no next step to withdraw from');
    const touched = open.some((t) => t.assignee) || await this.db('form_submissions').whereIn('task_id', open.map((t) => String(t.id))).first('id');
    if (touched) throw refuse('withdraw.touched', '后续环节已被签收或办理，不能撤回', 'The next step was already claimed or worked on; it cannot be withdrawn');
    return open;
  }

  /** The assignee of the (new) open task at a step. */
  async assignAt(engine: EngineConnection, processInstanceId: string, step: string, username: string): Promise<void> {
    const tasks = await engineFetch<{ id: string }[]>(engine, 'GET', `/engine-rest/task?processInstanceId=${encodeURIComponent(processInstanceId)}&taskDefinitionKey=${encodeURIComponent(step)}`);
    for (const t of tasks) await engineFetch(engine, 'POST', `/engine-rest/task/${encodeURIComponent(t.id)}/assignee`, { userId: username });
  }

  /** The shape of a deployed process definition (cached per definition id). */
  shape(engine: EngineConnection, definitionId: string): Promise<ProcessShape> {
    return processShape(definitionId, async () =>
      (await engineFetch<{ bpmn20Xml: string }>(engine, 'GET', `/engine-rest/process-definition/${encodeURIComponent(definitionId)}/xml`)).bpmn20Xml);
  }
}

/** Engine refusals of a task that changed meanwhile become 409. */
export async function onEngine<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof EngineHttpError && [400, 404, 500].includes(e.status)) {
      throw new UserError('tasks.conflict', { 'zh-CN': '任务已被他人处理或已不存在', en: 'The task was already handled by someone else or no longer exists' }, { status: 409 });
    }
    throw e;
  }
}

export { refuse };
