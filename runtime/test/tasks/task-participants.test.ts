/**
 * 加签 / 减签 on the real engine: a participant added to a running parallel multi-instance step
 * (会签 over a JSON list of departments, or of users) gets a task for its handlers, the instance count
 * grows and the completion condition waits for them; a participant removed loses their task and the
 * step completes when the others finish; also inside a parallel branch. Every refusal (participant
 * already taking part, unknown, completed, the last one open; sequential and fixed-count steps; a user
 * who may not coordinate) answers 4xx with the reason and changes nothing, in the engine or the tables.
 */
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createEngineClient, loadProcessShape, participantCandidates, planParticipants } from '@gridflow/engine';
import { eventually } from '@gridflow/engine/testing';
import { loadConfig } from '../../src/config.ts';
import { EngineHost } from '../../src/engine-host/engine-host.ts';
import { engineFetch } from '../../src/engine-sync/engine-connection.ts';
import { loadPlugins } from '../../src/plugins/load-plugins.ts';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer, Credentials } from '../support/api-server.ts';

interface OpenTask { id: string; task_definition_key: string; assignee: string | null }
interface Tree { id: string; activityId: string; executionIds: string[]; childActivityInstances: Tree[] }

describe('加签 / 减签 on running multi-instance steps (real engine)', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let host: EngineHost;
  let server: ApiServer;
  const as: Record<string, Credentials> = {};
  const db = () => database.db;
  const engine = <T>(method: string, path: string) => engineFetch<T>(host.connection, method, `/engine-rest${path}`);

  const open = async (caseId: string) => (await db()('tasks').where({ case_id: caseId, status: 'open' }).orderBy('task_definition_key').orderBy('id').select('id', 'task_definition_key', 'assignee')) as OpenTask[];
  /** Waits until the case's open steps are exactly these (sorted, repeated for multi-instance). */
  const steps = (caseId: string, expected: string[]) => eventually(`open steps ${expected.join(',')}`, async () => {
    const tasks = await open(caseId);
    return JSON.stringify(tasks.map((t) => t.task_definition_key)) === JSON.stringify([...expected].sort()) ? tasks : undefined;
  }, 20_000);
  /** The open tasks of a department 会签 by department code (from their candidate groups). */
  const byDepartment = async (tasks: OpenTask[], key: string) => {
    const out: Record<string, string> = {};
    for (const t of tasks.filter((x) => x.task_definition_key === key)) {
      const groups = (await db()('task_candidates').where({ task_id: t.id, kind: 'group' }).pluck('value')) as string[];
      for (const g of groups) if (g.startsWith('dept:')) out[g.slice(5)] = t.id;
    }
    return out;
  };
  const post = (user: string, path: string, body: unknown = {}) => call(server.url, 'POST', path, { as: as[user], body });
  const del = (user: string, path: string) => call(server.url, 'DELETE', path, { as: as[user] });
  const complete = async (user: string, id: string | undefined) => {
    const r = await post(user, `/api/tasks/${String(id)}/complete`, {});
    assert.equal(r.status, 200, `${user} completes ${String(id)}: ${r.text}`);
  };
  /** Starts a case in street 370102002 (jddd01's) with its list in the case's values too. */
  const start = async (processKey: string, variables: Record<string, string>) => {
    const { caseId, processInstanceId } = await host.cases.start({ processKey, orgUnitCode: '370102002001001', variables });
    const values = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, JSON.parse(v) as unknown]));
    await db()('cases').where({ id: caseId }).update({
      grid_code: '370102002001001', community_code: '370102002001', street_code: '370102002', district_code: '370102', form_values: JSON.stringify(values),
    });
    return { caseId, pi: processInstanceId };
  };
  /** The loop counters of the running body of a step. */
  const loop = async (pi: string, step: string) => {
    const tree = await engine<Tree>('GET', `/process-instance/${pi}/activity-instances`);
    const find = (n: Tree): Tree | undefined => (n.activityId === `${step}#multiInstanceBody` ? n : n.childActivityInstances.map(find).find(Boolean));
    const body = find(tree);
    assert.ok(body, `${step} is running`);
    const vars = await engine<Record<string, { value: number }>>('GET', `/execution/${body.executionIds[0]}/localVariables`);
    return { nrOfInstances: vars.nrOfInstances?.value, nrOfActiveInstances: vars.nrOfActiveInstances?.value, nrOfCompletedInstances: vars.nrOfCompletedInstances?.value };
  };
  /** The list variable as the engine holds it, and how many variables of that name exist (one: no local copy shadows it). */
  const list = async (pi: string, name: string) => {
    const all = await engine<{ value: string }[]>('GET', `/variable-instance?processInstanceIdIn=${pi}&variableName=${name}`);
    return { copies: all.length, value: JSON.parse(String(all[0]?.value)) as string[] };
  };
  const caseList = async (caseId: string, name: string) => (JSON.parse(String((await db()('cases').where({ id: caseId }).first('form_values')).form_values)) as Record<string, unknown>)[name];
  const count = async (table: string, where: Record<string, unknown> = {}) => Number((await db()(table).where(where).count({ n: '*' }).first())?.n);
  /** Everything a refused request must leave as it was: the engine's tokens and variables, the case's tasks, operations, timeline, audit, notifications. */
  const snapshot = async (caseId: string, pi: string) => JSON.stringify({
    tree: await engine('GET', `/process-instance/${pi}/activity-instances`),
    variables: (await engine<{ name: string; value: unknown; activityInstanceId: string }[]>('GET', `/variable-instance?processInstanceIdIn=${pi}`))
      .map((v) => `${v.name}=${JSON.stringify(v.value)}@${v.activityInstanceId}`).sort(),
    tasks: await db()('tasks').where({ case_id: caseId }).orderBy('id').select('id', 'status', 'assignee'),
    candidates: await db()('task_candidates').join('tasks', 'tasks.id', 'task_candidates.task_id').where('tasks.case_id', caseId).orderBy(['task_candidates.task_id', 'task_candidates.value']).select('task_candidates.task_id', 'task_candidates.value'),
    operations: await count('task_operations', { case_id: caseId }),
    events: await count('case_events', { case_id: caseId }),
    audit: await count('audit_log'),
    notifications: await count('notifications'),
    values: (await db()('cases').where({ id: caseId }).first('form_values')).form_values,
  });
  /** Asserts a refusal: the status and code, and nothing changed. */
  const refused = async (ids: { caseId: string; pi: string }, request: () => ReturnType<typeof call>, status: number, code: string) => {
    const before = await snapshot(ids.caseId, ids.pi);
    const r = await request();
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.error.code, code, r.text);
    assert.ok(String(r.body.error.message).length > 4, 'the refusal says why');
    assert.equal(await snapshot(ids.caseId, ids.pi), before, `${code}: nothing changed`);
    return r;
  };

  before(async () => {
    database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gf-participants-')) });
    host = await EngineHost.start(database.db, config.engine, await loadPlugins(config.plugins), pino({ level: 'silent' }));
    const client = createEngineClient({ baseUrl: host.connection.url, secret: host.connection.secret });
    await client.deployments.deploy({ name: 'participants-fixtures', resources: [{ name: 'participants.bpmn', content: readFileSync(new URL('./fixtures/participants.bpmn', import.meta.url), 'utf8') }], deployChangedOnly: true });
    server = await startApiServer(database.db, { engine: host });
    for (const u of ['jddd01', 'jddd02', 'qddd01', 'bmcz01', 'bmcz02', 'bmcz03', 'wgy001', 'wgy002']) as[u] = await signIn(server.url, u);
  });
  after(async () => {
    await server?.close();
    await host?.stop();
    await database?.drop();
  });

  /** A 会签 case past 立案: one 部门会签 task per department. */
  const assisting = async (departments: string[]) => {
    const ids = await start('participants-mi', { departments: JSON.stringify(departments), signers: JSON.stringify(['wgy001']) });
    const [register] = await steps(ids.caseId, ['register']);
    await complete('jddd01', register?.id);
    const tasks = await steps(ids.caseId, departments.map(() => 'assist'));
    return { ...ids, tasks: await byDepartment(tasks, 'assist') };
  };

  it('加签 a department: its handlers get a task and are notified, the count grows, and the step waits for them', async () => {
    const c = await assisting(['D01', 'D02']);
    assert.deepEqual(await loop(c.pi, 'assist'), { nrOfInstances: 2, nrOfActiveInstances: 2, nrOfCompletedInstances: 0 });
    const added = await post('jddd01', `/api/tasks/${c.tasks.D01}/participants`, { participant: 'D21', reason: '涉及供水管线，请水务协办' });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.body, { ok: true, participant: 'D21', participants: ['D01', 'D02', 'D21'], open: ['D01', 'D02', 'D21'], completed: [] });

    const now = await byDepartment(await steps(c.caseId, ['assist', 'assist', 'assist']), 'assist');
    assert.deepEqual(Object.keys(now).sort(), ['D01', 'D02', 'D21'], 'the new task is for dept:D21');
    assert.deepEqual(await loop(c.pi, 'assist'), { nrOfInstances: 3, nrOfActiveInstances: 3, nrOfCompletedInstances: 0 });
    assert.deepEqual(await list(c.pi, 'departments'), { copies: 1, value: ['D01', 'D02', 'D21'] }, 'the list variable itself is updated, not shadowed');
    assert.deepEqual(await caseList(c.caseId, 'departments'), ['D01', 'D02', 'D21'], 'the case record shows the list');
    const inbox = await call(server.url, 'GET', '/api/tasks?limit=200', { as: as.bmcz03 });
    assert.ok(inbox.body.items.some((t: { id: string }) => t.id === now.D21), 'the D21 handler sees the new task');
    const notices = await call(server.url, 'GET', '/api/notifications', { as: as.bmcz03 });
    assert.ok(notices.body.items.some((n: { kind: string; taskId: string; message: string }) => n.kind === 'task.participantAdded' && n.taskId === now.D21 && n.message.includes('涉及供水')), notices.text);

    const op = await db()('task_operations').where({ case_id: c.caseId, operation: 'participantAdded' }).first('target', 'reason', 'task_id');
    assert.deepEqual(op, { target: 'D21', reason: '涉及供水管线，请水务协办', task_id: c.tasks.D01 });
    const event = await db()('case_events').where({ case_id: c.caseId, kind: 'task.participantAdded' }).first('actor_username', 'details');
    assert.equal(event?.actor_username, 'jddd01');
    assert.deepEqual(JSON.parse(String(event?.details)), { target: 'D21', participant: 'D21', participantTaskId: now.D21 });
    assert.equal(await count('audit_log', { action: 'task.participantAdded', target_id: c.tasks.D01 }), 1);

    await complete('bmcz01', now.D01);
    await complete('bmcz02', now.D02);
    await steps(c.caseId, ['assist']);
    assert.deepEqual(await loop(c.pi, 'assist'), { nrOfInstances: 3, nrOfActiveInstances: 1, nrOfCompletedInstances: 2 }, 'the completion condition waits for the added department');
    await complete('bmcz03', now.D21);
    await steps(c.caseId, ['sign']);
  });

  it('减签 a department: its task is gone, its handlers are told, and the step completes when the others finish', async () => {
    const c = await assisting(['D01', 'D02', 'D21']);
    const removed = await del('jddd01', `/api/tasks/${c.tasks.D01}/participants/D21?reason=${encodeURIComponent('非水务职责')}`);
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(removed.body, { ok: true, participant: 'D21', participants: ['D01', 'D02'], open: ['D01', 'D02'], completed: [] });
    const now = await byDepartment(await steps(c.caseId, ['assist', 'assist']), 'assist');
    assert.deepEqual(now, { D01: c.tasks.D01, D02: c.tasks.D02 }, 'only the D21 task is gone');
    assert.equal((await db()('tasks').where({ id: c.tasks.D21 }).first('status'))?.status, 'deleted');
    assert.deepEqual(await list(c.pi, 'departments'), { copies: 1, value: ['D01', 'D02'] });
    assert.deepEqual(await caseList(c.caseId, 'departments'), ['D01', 'D02']);
    assert.deepEqual(await loop(c.pi, 'assist'), { nrOfInstances: 2, nrOfActiveInstances: 2, nrOfCompletedInstances: 0 }, 'the removed department no longer counts');
    const notices = await call(server.url, 'GET', '/api/notifications', { as: as.bmcz03 });
    assert.ok(notices.body.items.some((n: { kind: string; taskId: string }) => n.kind === 'task.participantRemoved' && n.taskId === c.tasks.D21), notices.text);
    const event = await db()('case_events').where({ case_id: c.caseId, kind: 'task.participantRemoved' }).first('opinion', 'details');
    assert.deepEqual([event?.opinion, JSON.parse(String(event?.details))], ['非水务职责', { target: 'D21', participant: 'D21', participantTaskId: c.tasks.D21 }]);

    // A participant who completed keeps their opinion; the last one open cannot go; nor can one never taking part.
    await complete('bmcz01', c.tasks.D01);
    await steps(c.caseId, ['assist']);
    const completed = await refused(c, () => del('jddd01', `/api/tasks/${c.tasks.D02}/participants/D01`), 409, 'task.participants.completed');
    assert.match(completed.body.error.message, /已办结/);
    const last = await refused(c, () => del('jddd01', `/api/tasks/${c.tasks.D02}/participants/D02`), 409, 'task.participants.last');
    assert.match(last.body.error.message, /最后/);
    await refused(c, () => del('jddd01', `/api/tasks/${c.tasks.D02}/participants/D09`), 404, 'task.participants.notParticipant');
    await refused(c, () => post('jddd01', `/api/tasks/${c.tasks.D02}/participants`, { participant: 'D01' }), 409, 'task.participants.duplicate');

    await complete('bmcz02', c.tasks.D02);
    await steps(c.caseId, ['sign']);
  });

  it('refuses a participant already taking part or unknown, and users who may not coordinate the step, changing nothing', async () => {
    const c = await assisting(['D01', 'D02']);
    await refused(c, () => post('jddd01', `/api/tasks/${c.tasks.D01}/participants`, { participant: 'D02' }), 409, 'task.participants.duplicate');
    const unknown = await refused(c, () => post('jddd01', `/api/tasks/${c.tasks.D01}/participants`, { participant: 'D99' }), 422, 'task.participants.unknown');
    assert.equal(unknown.body.error.details[0].target, '/body/participant');
    await refused(c, () => post('bmcz01', `/api/tasks/${c.tasks.D01}/participants`, { participant: 'D21' }), 403, 'auth.forbidden');
    await refused(c, () => del('bmcz01', `/api/tasks/${c.tasks.D01}/participants/D02`), 403, 'auth.forbidden');
    await refused(c, () => post('jddd02', `/api/tasks/${c.tasks.D01}/participants`, { participant: 'D21' }), 404, 'notFound');
    await refused(c, () => post('jddd01', `/api/tasks/${c.tasks.D01}/participants`, { participant: 'D0${x}' }), 400, 'request.invalid');
  });

  it('加签 and 减签 users where the step assigns each instance to ${signer}; a user who may not do tasks or does not exist is refused', async () => {
    const ids = await start('participants-mi', { departments: JSON.stringify(['D01']), signers: JSON.stringify(['wgy001']) });
    await complete('jddd01', (await steps(ids.caseId, ['register']))[0]?.id);
    await complete('bmcz01', (await steps(ids.caseId, ['assist']))[0]?.id);
    const [sign] = await steps(ids.caseId, ['sign']);
    await refused(ids, () => post('jddd01', `/api/tasks/${sign?.id}/participants`, { participant: 'sj01' }), 422, 'task.participants.unknown');
    await refused(ids, () => post('jddd01', `/api/tasks/${sign?.id}/participants`, { participant: 'nobody' }), 422, 'task.participants.unknown');
    assert.equal((await post('jddd01', `/api/tasks/${sign?.id}/participants`, { participant: 'wgy002' })).status, 200);
    const both = await eventually('the new task assigned to wgy002', async () => {
      const tasks = await open(ids.caseId);
      return tasks.length === 2 && tasks.some((t) => t.assignee === 'wgy002') ? tasks : undefined;
    });
    assert.deepEqual(both.map((t) => t.assignee).sort(), ['wgy001', 'wgy002']);
    const removed = await del('jddd01', `/api/tasks/${sign?.id}/participants/wgy001`);
    assert.equal(removed.status, 200, removed.text);
    const [left] = await steps(ids.caseId, ['sign']);
    assert.equal(left?.assignee, 'wgy002');
    await complete('wgy002', left?.id);
    await steps(ids.caseId, ['close']);
  });

  it('sequential, fixed-count and single steps are refused with the reason', async () => {
    const ids = await start('participants-refused', { departments: JSON.stringify(['D01', 'D02']) });
    const tasks = await steps(ids.caseId, ['fixed', 'fixed', 'inTurn', 'single']);
    const of = (key: string) => tasks.find((t) => t.task_definition_key === key)?.id;
    const sequential = await refused(ids, () => post('jddd01', `/api/tasks/${of('inTurn')}/participants`, { participant: 'D21' }), 409, 'task.participants.sequential');
    assert.match(sequential.body.error.message, /依次会签/);
    await refused(ids, () => del('jddd01', `/api/tasks/${of('inTurn')}/participants/D01`), 409, 'task.participants.sequential');
    const fixed = await refused(ids, () => post('jddd01', `/api/tasks/${of('fixed')}/participants`, { participant: 'D21' }), 409, 'task.participants.noCollection');
    assert.match(fixed.body.error.message, /loopCardinality/);
    await refused(ids, () => post('jddd01', `/api/tasks/${of('single')}/participants`, { participant: 'D21' }), 409, 'task.participants.notMultiInstance');
  });

  it('inside a parallel branch: the district dispatcher adds and removes, the other branch is untouched, and the join completes', async () => {
    const ids = await start('participants-branch', { departments: JSON.stringify(['D01', 'D02']) });
    const tasks = await steps(ids.caseId, ['assistBranch', 'assistBranch', 'main']);
    const main = tasks.find((t) => t.task_definition_key === 'main')?.id;
    const first = await byDepartment(tasks, 'assistBranch');
    assert.equal((await post('qddd01', `/api/tasks/${first.D02}/participants`, { participant: 'D21' })).status, 200);
    const three = await byDepartment(await steps(ids.caseId, ['assistBranch', 'assistBranch', 'assistBranch', 'main']), 'assistBranch');
    const reminders = async () => (await engine<unknown[]>('GET', `/job?processInstanceId=${ids.pi}&activityId=b-remind`)).length;
    assert.equal(await reminders(), 1, 'the step\'s reminder (on the multi-instance body) is untouched');
    assert.equal((await del('qddd01', `/api/tasks/${three.D21}/participants/D02`)).status, 200, 'the task named may be any open one of the step');
    const two = await byDepartment(await steps(ids.caseId, ['assistBranch', 'assistBranch', 'main']), 'assistBranch');
    assert.deepEqual(Object.keys(two).sort(), ['D01', 'D21']);
    assert.equal(await reminders(), 1);
    assert.ok((await open(ids.caseId)).some((t) => t.id === main), 'the main branch kept its task');
    await complete('bmcz01', two.D01);
    await complete('bmcz03', two.D21);
    await steps(ids.caseId, ['main']);
    await complete('jddd01', main);
    await steps(ids.caseId, ['b-close']);
  });

  it('退回 out of a 会签 after 加签 cancels every instance, and the step starts again from the updated list', async () => {
    const c = await assisting(['D01', 'D02']);
    assert.equal((await post('jddd01', `/api/tasks/${c.tasks.D02}/participants`, { participant: 'D21' })).status, 200);
    const three = await byDepartment(await steps(c.caseId, ['assist', 'assist', 'assist']), 'assist');
    const returned = await post('bmcz03', `/api/tasks/${three.D21}/return`, { to: 'register', reason: '协办部门需重新确定' });
    assert.equal(returned.status, 200, returned.text);
    const [again] = await steps(c.caseId, ['register']);
    await complete('jddd01', again?.id);
    const fresh = await byDepartment(await steps(c.caseId, ['assist', 'assist', 'assist']), 'assist');
    assert.deepEqual(Object.keys(fresh).sort(), ['D01', 'D02', 'D21']);
    assert.deepEqual(await loop(c.pi, 'assist'), { nrOfInstances: 3, nrOfActiveInstances: 3, nrOfCompletedInstances: 0 });
  });
});

describe('planParticipants: which multi-instance steps can take or lose participants', () => {
  const mi = (attrs: string, inner = '') => `<bpmn:multiInstanceLoopCharacteristics ${attrs}>${inner}</bpmn:multiInstanceLoopCharacteristics>`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:userTask id="byDept" camunda:candidateGroups="dept:\${department}, street-dispatcher@\${streetCode}">${mi('camunda:collection="${departments}" camunda:elementVariable="department"')}</bpmn:userTask>
    <bpmn:userTask id="byUser" camunda:assignee="\${signer}">${mi('camunda:collection="signers" camunda:elementVariable="signer"')}</bpmn:userTask>
    <bpmn:userTask id="byGrid" camunda:candidateGroups="grid:\${grid}">${mi('camunda:collection="${grids}" camunda:elementVariable="grid"')}</bpmn:userTask>
    <bpmn:userTask id="inTurn" camunda:candidateGroups="dept:\${department}">${mi('isSequential="true" camunda:collection="${departments}" camunda:elementVariable="department"')}</bpmn:userTask>
    <bpmn:userTask id="fixed" camunda:candidateGroups="street-dispatcher">${mi('', '<bpmn:loopCardinality>3</bpmn:loopCardinality>')}</bpmn:userTask>
    <bpmn:userTask id="computed" camunda:candidateGroups="dept:\${department}">${mi('camunda:collection="${lists.of(caseId)}" camunda:elementVariable="department"')}</bpmn:userTask>
    <bpmn:userTask id="noElement" camunda:candidateGroups="street-dispatcher">${mi('camunda:collection="${departments}"')}</bpmn:userTask>
    <bpmn:userTask id="unused" camunda:candidateGroups="street-dispatcher">${mi('camunda:collection="${departments}" camunda:elementVariable="department"')}</bpmn:userTask>
    <bpmn:userTask id="single" camunda:candidateGroups="street-dispatcher" />
    <bpmn:serviceTask id="service" camunda:type="external" camunda:topic="x" />
    <bpmn:subProcess id="sub"><bpmn:userTask id="nested" camunda:candidateGroups="dept:\${department}">${mi('camunda:collection="${departments}" camunda:elementVariable="department"')}</bpmn:userTask></bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`;

  it('plans parallel steps over a list variable by the kind of their participants, and names the reason for every other shape', async () => {
    const shape = await loadProcessShape(xml, 'p');
    const byDept = planParticipants(shape, 'byDept');
    assert.ok(byDept.ok);
    assert.deepEqual([byDept.body, byDept.collection, byDept.elementVariable, byDept.kind, byDept.templates], ['byDept#multiInstanceBody', 'departments', 'department', 'department', { users: [], groups: ['dept:${department}'] }]);
    assert.deepEqual(participantCandidates(byDept, 'D05'), { users: [], groups: ['dept:D05'] }, 'a group that also needs another variable is not the participant\'s');
    const byUser = planParticipants(shape, 'byUser');
    assert.ok(byUser.ok);
    assert.deepEqual([byUser.collection, byUser.kind, participantCandidates(byUser, 'wgy002')], ['signers', 'user', { users: ['wgy002'], groups: [] }]);
    const byGrid = planParticipants(shape, 'byGrid');
    assert.deepEqual(byGrid.ok && [byGrid.kind, participantCandidates(byGrid, '370102002001001').groups], ['group', ['grid:370102002001001']]);
    const reasons = Object.fromEntries(['inTurn', 'fixed', 'computed', 'noElement', 'unused', 'single', 'service', 'nested', 'nowhere'].map((id) => {
      const plan = planParticipants(shape, id);
      return [id, plan.ok ? 'ok' : plan.reason];
    }));
    assert.deepEqual(reasons, {
      inTurn: 'sequential', fixed: 'noCollection', computed: 'collectionExpression', noElement: 'noElementVariable', unused: 'participantUnused',
      single: 'notMultiInstance', service: 'notUserTask', nested: 'unknownStep', nowhere: 'unknownStep',
    });
  });
});
