/**
 * 加签 / 减签: adding a participant to, or removing one from, a running multi-instance step (会签).
 * The process shape must allow it (planParticipants: a parallel multi-instance user task over a list
 * variable with an element variable); the instance's state says who takes part: one inner activity
 * instance per open participant (its element variable), the list variable for everyone, so those
 * listed without an open task have completed. Adding starts one more inner instance inside the
 * running multi-instance body with the participant as its local element variable and the list
 * updated, in one engine modification; removing cancels that participant's inner instance.
 */
import type { Knex } from 'knex';
import { UserError, participantCandidates, planParticipants } from '@gridflow/engine';
import type { LocalizedText, ParticipantPlan, ParticipantRefusal } from '@gridflow/engine';
import { usersInGroups } from '../access/candidate-groups.ts';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import { engineFetch } from '../engine-sync/engine-connection.ts';
import type { EngineConnection } from '../engine-sync/engine-connection.ts';
import type { SignedInUser } from '../http/request-context.ts';
import type { TaskOperations } from './task-operations.ts';

const REFUSALS: Record<ParticipantRefusal, LocalizedText> = {
  unknownStep: { 'zh-CN': '本环节不在流程顶层（子流程中的会签不能加签减签）', en: 'The step is not at the top level of its process (a multi-instance step inside a sub-process cannot take or lose participants)' },
  notUserTask: { 'zh-CN': '只有人工办理环节可以加签减签', en: 'Only a user task can take or lose participants' },
  notMultiInstance: { 'zh-CN': '本环节不是会签（多实例）环节，不能加签减签', en: 'The step is not a multi-instance (会签) step' },
  sequential: { 'zh-CN': '本环节是依次会签（串行多实例），不能加签减签', en: 'The step is a sequential multi-instance step: participants take turns, so none can be added or removed' },
  noCollection: { 'zh-CN': '本环节按固定份数（loopCardinality）会签，没有参与方列表，不能加签减签', en: 'The step runs a fixed number of instances (loopCardinality), not one per participant of a list' },
  collectionExpression: { 'zh-CN': '本环节的参与方列表由表达式计算，不是流程变量，不能加签减签', en: 'The step\'s list of participants is computed by an expression, not held in a variable' },
  noElementVariable: { 'zh-CN': '本环节没有设置参与方变量（elementVariable），不能加签减签', en: 'The step has no element variable naming each participant' },
  participantUnused: { 'zh-CN': '本环节的办理人和候选人不取自参与方变量，不能加签减签', en: 'The step\'s assignee and candidates do not come from its element variable' },
};

/** A task as the engine reports it. */
interface EngineTask { id: string; processInstanceId: string; processDefinitionId: string; taskDefinitionKey: string; executionId: string; assignee: string | null }
/** The engine's activity instance tree. */
interface ActivityTree { id: string; activityId: string; executionIds?: string[]; childActivityInstances: ActivityTree[] }

/** An open participant: their task and inner activity instance. */
export interface OpenParticipant { participant: string; taskId: string; instanceId: string; assignee: string | null }

/** Who takes part in a running multi-instance step. */
export interface ParticipantsState {
  task: EngineTask;
  plan: Extract<ParticipantPlan, { ok: true }>;
  /** The multi-instance body instance the task belongs to. */
  bodyInstanceId: string;
  /** The participants with an open task. */
  open: OpenParticipant[];
  /** The list variable. */
  listed: string[];
  /** Listed, without an open task: they completed. */
  completed: string[];
}

const conflict = (code: string, zh: string, en: string, details?: { target: string; message: LocalizedText }[]) =>
  new UserError(`task.participants.${code}`, { 'zh-CN': zh, en }, { status: 409, ...(details ? { details } : {}) });

/** The participants of the multi-instance step of an open task, and the plan to change them (refused when the shape does not allow it). */
export async function participantsOf(engine: EngineConnection, ops: TaskOperations, taskId: string): Promise<ParticipantsState> {
  const task = await engineFetch<EngineTask>(engine, 'GET', `/engine-rest/task/${encodeURIComponent(taskId)}`);
  const plan = planParticipants(await ops.shape(engine, task.processDefinitionId), task.taskDefinitionKey);
  if (!plan.ok) throw new UserError(`task.participants.${plan.reason}`, REFUSALS[plan.reason], { status: 409 });
  const tree = await engineFetch<ActivityTree>(engine, 'GET', `/engine-rest/process-instance/${encodeURIComponent(task.processInstanceId)}/activity-instances`);
  const bodies: ActivityTree[] = [];
  const walk = (node: ActivityTree) => {
    if (node.activityId === plan.body) bodies.push(node);
    node.childActivityInstances.forEach(walk);
  };
  walk(tree);
  const inner = (body: ActivityTree) => body.childActivityInstances.filter((c) => c.activityId === plan.step);
  const body = bodies.find((b) => inner(b).some((c) => c.executionIds?.includes(task.executionId))) ?? (bodies.length === 1 ? bodies[0] : undefined);
  if (!body) throw conflict('noBody', '找不到本环节正在进行的会签', 'The running multi-instance step of this task was not found');
  const tasks = await engineFetch<EngineTask[]>(engine, 'GET', `/engine-rest/task?processInstanceId=${encodeURIComponent(task.processInstanceId)}&taskDefinitionKey=${encodeURIComponent(plan.step)}`);
  const open: OpenParticipant[] = [];
  for (const t of tasks) {
    const instance = inner(body).find((c) => c.executionIds?.includes(t.executionId));
    if (!instance) continue;
    const value = await taskVariable(engine, t.id, plan.elementVariable);
    open.push({ participant: String(value), taskId: t.id, instanceId: instance.id, assignee: t.assignee });
  }
  const raw = await taskVariable(engine, task.id, plan.collection);
  const listed = listOf(raw);
  if (!listed) throw conflict('collectionNotList', `参与方列表“${plan.collection}”不是 JSON 数组`, `The list of participants "${plan.collection}" is not a JSON array`);
  const openNames = new Set(open.map((o) => o.participant));
  return { task, plan, bodyInstanceId: body.id, open, listed, completed: listed.filter((p) => !openNames.has(p)) };
}

async function taskVariable(engine: EngineConnection, taskId: string, name: string): Promise<unknown> {
  const v = await engineFetch<{ value: unknown }>(engine, 'GET', `/engine-rest/task/${encodeURIComponent(taskId)}/variables/${encodeURIComponent(name)}?deserializeValue=false`);
  return v.value;
}

function listOf(value: unknown): string[] | undefined {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return Array.isArray(list) ? list.map(String) : undefined;
}

const unknownParticipant = (participant: string, why: LocalizedText) => new UserError('task.participants.unknown', {
  'zh-CN': `不能加签“${participant}”：${why['zh-CN']}`, en: `Cannot add "${participant}": ${why.en}`,
}, { status: 422, details: [{ target: '/body/participant', message: why }] });

/**
 * Refuses a participant who already takes part or who cannot: a department code must be a department
 * of the active definitions of the case's district, a username an active user whose roles may do
 * tasks, any other value must put someone in the step's candidate groups.
 */
export async function checkNewParticipant(db: Knex, user: SignedInUser, state: ParticipantsState, participant: string, districtCode: string | null): Promise<void> {
  if (state.open.some((o) => o.participant === participant)) {
    throw conflict('duplicate', `“${participant}”已在本环节会签中`, `"${participant}" already takes part in this step`, [{ target: '/body/participant', message: { 'zh-CN': '已在会签中', en: 'Already taking part' } }]);
  }
  if (state.listed.includes(participant)) {
    throw conflict('duplicate', `“${participant}”已办结本环节会签`, `"${participant}" already completed this step`, [{ target: '/body/participant', message: { 'zh-CN': '已办结', en: 'Already completed' } }]);
  }
  const { plan } = state;
  if (plan.kind === 'department') {
    const department = (await activeDefinitions(db)).forDistrict(districtCode)?.department(participant);
    if (!department) throw unknownParticipant(participant, { 'zh-CN': '不是本区的部门', en: 'not a department of the district' });
  } else if (plan.kind === 'user') {
    const row = await db('users').where({ username: participant, status: 'active' }).first('id') as { id: number } | undefined;
    if (!row) throw unknownParticipant(participant, { 'zh-CN': '用户不存在或已停用', en: 'no such active user' });
    const roles = (await db('user_roles').where({ user_id: row.id }).pluck('role_code')) as string[];
    const mayDoTasks = roles.some((r) => user.policy.roles.get(r)?.permissions.some((p) => p.subject === 'Task' && p.actions.includes('complete')));
    if (!mayDoTasks) throw unknownParticipant(participant, { 'zh-CN': '该用户的角色不能办理任务', en: 'the user\'s roles may not do tasks' });
  } else {
    const { groups, users } = participantCandidates(plan, participant);
    if ((await usersInGroups(db, groups, users)).length === 0) throw unknownParticipant(participant, { 'zh-CN': '没有人能办理', en: 'nobody could do the task' });
  }
}

/** The users to tell about a new participant: the task's assignee or candidates as the step names them. */
export async function candidatesOfParticipant(db: Knex | Knex.Transaction, plan: Extract<ParticipantPlan, { ok: true }>, participant: string): Promise<number[]> {
  const { groups, users } = participantCandidates(plan, participant);
  return usersInGroups(db, groups, users);
}

/** Adds a participant: one more inner instance inside the running body, and the list variable updated, in one engine modification. Returns the new task's id. */
export async function addParticipant(engine: EngineConnection, state: ParticipantsState, participant: string, annotation: string): Promise<string | null> {
  const { task, plan } = state;
  await engineFetch(engine, 'POST', `/engine-rest/process-instance/${encodeURIComponent(task.processInstanceId)}/modification`, {
    skipCustomListeners: false, skipIoMappings: false, annotation: annotation.slice(0, 4000),
    instructions: [{
      type: 'startBeforeActivity', activityId: plan.step, ancestorActivityInstanceId: state.bodyInstanceId,
      variables: {
        [plan.elementVariable]: { value: participant, type: 'String', local: true },
        [plan.collection]: { value: JSON.stringify([...state.listed, participant]), type: 'String', local: false },
      },
    }],
  });
  const before = new Set(state.open.map((o) => o.taskId));
  const tasks = await engineFetch<{ id: string }[]>(engine, 'GET', `/engine-rest/task?processInstanceId=${encodeURIComponent(task.processInstanceId)}&taskDefinitionKey=${encodeURIComponent(plan.step)}`);
  return tasks.find((t) => !before.has(t.id))?.id ?? null;
}

/** Picks the open participant to remove, refusing one who completed, one not taking part, and the last one open. */
export function participantToRemove(state: ParticipantsState, participant: string): OpenParticipant {
  const target = state.open.find((o) => o.participant === participant);
  if (!target) {
    if (state.completed.includes(participant)) {
      throw conflict('completed', `“${participant}”已办结本环节会签，意见保留，不能减签`, `"${participant}" already completed this step; their opinion stays and they cannot be removed`);
    }
    throw new UserError('task.participants.notParticipant', { 'zh-CN': `“${participant}”不在本环节会签中`, en: `"${participant}" does not take part in this step` }, {
      status: 404, details: [{ target: '/params/participant', message: { 'zh-CN': '不在会签中', en: 'Not taking part' } }],
    });
  }
  if (state.open.length === 1) {
    throw conflict('last', '不能减去最后一个未办结的会签方', 'The last participant whose task is open cannot be removed');
  }
  return target;
}

/**
 * Removes an open participant. First the list variable and the body's `nrOfInstances` (so completion
 * conditions count only the participants left: the engine itself only lowers `nrOfActiveInstances`)
 * are set in one call, through another open task of the step (each variable is set where it lives);
 * then their inner instance is cancelled, and both are put back when the engine refuses. A failure in
 * between leaves the participant open but unlisted, which removing again finishes; never a cancelled
 * participant who looks completed.
 */
export async function removeParticipant(engine: EngineConnection, state: ParticipantsState, target: OpenParticipant, annotation: string): Promise<void> {
  const { task, plan } = state;
  const keeper = state.open.find((o) => o.taskId !== target.taskId) as OpenParticipant;
  const instances = Number(await taskVariable(engine, keeper.taskId, 'nrOfInstances'));
  const set = (list: string[], count: number) => engineFetch(engine, 'POST', `/engine-rest/task/${encodeURIComponent(keeper.taskId)}/variables`, {
    modifications: { [plan.collection]: { value: JSON.stringify(list), type: 'String' }, nrOfInstances: { value: count, type: 'Integer' } },
  });
  await set(state.listed.filter((p) => p !== target.participant), instances - 1);
  try {
    await engineFetch(engine, 'POST', `/engine-rest/process-instance/${encodeURIComponent(task.processInstanceId)}/modification`, {
      skipCustomListeners: true, skipIoMappings: true, annotation: annotation.slice(0, 4000),
      instructions: [{ type: 'cancel', activityInstanceId: target.instanceId }],
    });
  } catch (e) {
    await set(state.listed, instances).catch(() => undefined);
    throw e;
  }
}

/** Writes the list into the case's values when the case holds it (as a list, or as the JSON text it came as). */
export async function updateCaseList(trx: Knex.Transaction, caseId: string | null, name: string, list: string[], now: Date): Promise<void> {
  if (!caseId) return;
  const row = await trx('cases').where({ id: caseId }).first('form_values') as { form_values: string | null } | undefined;
  const values = row?.form_values ? JSON.parse(row.form_values) as Record<string, unknown> : undefined;
  if (!values || !(name in values)) return;
  values[name] = typeof values[name] === 'string' ? JSON.stringify(list) : list;
  await trx('cases').where({ id: caseId }).update({ form_values: JSON.stringify(values), updated_at: now });
}
