/**
 * Task operations on the real engine, over a process with a parallel split, a multi-instance step
 * (会签 ×3) and a join: 退回 out of a branch and out of a multi-instance step re-creates the split
 * cleanly (no token left waiting at the join), steps of a sibling branch or inside a branch behind
 * the join are refused, 撤回 works only while the next step is untouched, and two users completing
 * the same task get one success and one 409.
 */
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createEngineClient } from '@gridflow/engine';
import { eventually } from '@gridflow/engine/testing';
import { loadConfig } from '../../src/config.ts';
import { EngineHost } from '../../src/engine-host/engine-host.ts';
import { loadPlugins } from '../../src/plugins/load-plugins.ts';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer, Credentials } from '../support/api-server.ts';

describe('task operations on parallel and multi-instance shapes (real engine)', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let host: EngineHost;
  let server: ApiServer;
  const as: Record<string, Credentials> = {};

  const open = async (caseId: string) => (await database.db('tasks').where({ case_id: caseId, status: 'open' }).orderBy('task_definition_key').select('id', 'task_definition_key', 'assignee')) as { id: string; task_definition_key: string; assignee: string | null }[];
  /** Waits until the case's open steps are exactly these (sorted, repeated for multi-instance). */
  const steps = (caseId: string, expected: string[]) => eventually(`open steps ${expected.join(',')}`, async () => {
    const keys = (await open(caseId)).map((t) => t.task_definition_key);
    return JSON.stringify(keys) === JSON.stringify([...expected].sort()) ? open(caseId) : undefined;
  }, 20_000);
  const post = (user: string, path: string, body: unknown = {}) => call(server.url, 'POST', path, { as: as[user], body });
  const complete = (user: string, id: string) => post(user, `/api/tasks/${id}/complete`, {});
  const at = (tasks: { id: string; task_definition_key: string }[], key: string) => tasks.filter((t) => t.task_definition_key === key);
  const newCase = async () => (await host.cases.start({ processKey: 'ops-parallel', orgUnitCode: '370102002001001' })).caseId;
  /** A case past 立案: 主办处置 and three 会签 open. */
  const registered = async () => {
    const caseId = await newCase();
    const [register] = await steps(caseId, ['register']);
    assert.equal((await complete('jddd01', String(register?.id))).status, 200);
    return { caseId, tasks: await steps(caseId, ['handleA', 'review', 'review', 'review']) };
  };

  before(async () => {
    database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gf-ops-')) });
    host = await EngineHost.start(database.db, config.engine, await loadPlugins(config.plugins), pino({ level: 'silent' }));
    const client = createEngineClient({ baseUrl: host.connection.url, secret: host.connection.secret });
    await client.deployments.deploy({ name: 'ops-fixtures', resources: [{ name: 'ops-parallel.bpmn', content: readFileSync(new URL('./fixtures/ops-parallel.bpmn', import.meta.url), 'utf8') }], deployChangedOnly: true });
    server = await startApiServer(database.db, { engine: host });
    for (const u of ['jddd01', 'jddd02', 'wgy001', 'jdld01']) as[u] = await signIn(server.url, u);
  });
  after(async () => {
    await server?.close();
    await host?.stop();
    await database?.drop();
  });

  it('退回 from a parallel branch to the step before the split cancels every branch and the multi-instance step, and the split starts afresh', async () => {
    const { caseId, tasks } = await registered();
    const [firstReview] = at(tasks, 'review');
    assert.equal((await complete('jddd02', String(firstReview?.id))).status, 200, 'one 会签 participant already signed');
    const [handle] = at(tasks, 'handleA');
    const returned = await post('jddd01', `/api/tasks/${handle?.id}/return`, { to: 'register', reason: '派遣信息有误，重新立案' });
    assert.equal(returned.status, 200, returned.text);
    const [again] = await steps(caseId, ['register']);
    assert.equal((await complete('jddd01', String(again?.id))).status, 200);
    await steps(caseId, ['handleA', 'review', 'review', 'review']);
    const counted = await database.db('task_operations').where({ case_id: caseId, operation: 'return' }).first('target', 'reason');
    assert.deepEqual(counted, { target: 'register', reason: '派遣信息有误，重新立案' }, 'returns are recorded (and counted)');
    const timeline = await database.db('case_events').where({ case_id: caseId }).orderBy('id').pluck('kind') as string[];
    assert.ok(timeline.includes('task.return') && timeline.filter((k) => k === 'step.cancelled').length >= 3, 'the return and the steps it cancelled are in the timeline');
  });

  it('退回 out of a multi-instance step, with the other branch already waiting at the join, leaves no token behind', async () => {
    const { caseId, tasks } = await registered();
    assert.equal((await complete('jddd01', String(at(tasks, 'handleA')[0]?.id))).status, 200);
    const [check] = await steps(caseId, ['checkA', 'review', 'review', 'review']);
    assert.equal((await complete('jddd01', String(check?.id))).status, 200, 'the main branch now waits at the join');
    const waiting = await steps(caseId, ['review', 'review', 'review']);
    const returned = await post('jddd02', `/api/tasks/${waiting[1]?.id}/return`, { to: 'register', reason: '会签发现立案依据不足' });
    assert.equal(returned.status, 200, returned.text);
    const [again] = await steps(caseId, ['register']);
    await complete('jddd01', String(again?.id));
    const fresh = await steps(caseId, ['handleA', 'review', 'review', 'review']);
    for (const r of at(fresh, 'review')) assert.equal((await complete('jddd02', r.id)).status, 200);
    await steps(caseId, ['handleA']);
    assert.equal(at(await open(caseId), 'close').length, 0, 'the join waits for the main branch again: the old waiting token is gone');
  });

  it('退回 inside a branch touches only that branch; sibling steps and steps inside a branch behind the join are refused with the reason', async () => {
    const { caseId, tasks } = await registered();
    await complete('jddd01', String(at(tasks, 'handleA')[0]?.id));
    const [check] = at(await steps(caseId, ['checkA', 'review', 'review', 'review']), 'checkA');
    const sibling = await post('jddd01', `/api/tasks/${check?.id}/return`, { to: 'review', reason: '退回到会签' });
    assert.equal(sibling.status, 409);
    assert.equal(sibling.body.error.code, 'task.return.notEarlier');
    assert.equal((await post('jddd01', `/api/tasks/${check?.id}/return`, { to: 'handleA', reason: '复核不通过' })).status, 200);
    await steps(caseId, ['handleA', 'review', 'review', 'review']);

    const done = await registered();
    for (const r of at(done.tasks, 'review')) await complete('jddd02', r.id);
    await complete('jddd01', String(at(done.tasks, 'handleA')[0]?.id));
    const [checkA] = await steps(done.caseId, ['checkA']);
    await complete('jddd01', String(checkA?.id));
    const [close] = await steps(done.caseId, ['close']);
    const behindJoin = await post('jddd01', `/api/tasks/${close?.id}/return`, { to: 'handleA', reason: '重新处置' });
    assert.equal(behindJoin.status, 409);
    assert.equal(behindJoin.body.error.code, 'task.return.insideParallelBranch');
    assert.match(behindJoin.body.error.message, /汇聚/);
  });

  it('撤回: the completer takes a step back while the next steps are untouched, and not once someone claimed one', async () => {
    const caseId = await newCase();
    const [register] = await steps(caseId, ['register']);
    await complete('jddd01', String(register?.id));
    await steps(caseId, ['handleA', 'review', 'review', 'review']);
    assert.equal((await post('jddd02', `/api/tasks/${register?.id}/withdraw`, { reason: '不是我办的' })).status, 404, 'only the completer');
    const withdrawn = await post('jddd01', `/api/tasks/${register?.id}/withdraw`, { reason: '派遣前发现地址有误' });
    assert.equal(withdrawn.status, 200, withdrawn.text);
    const [back] = await steps(caseId, ['register']);
    await eventually('the withdrawn step back with its completer', async () => ((await open(caseId))[0]?.assignee === 'jddd01' ? true : undefined));
    await complete('jddd01', String(back?.id));
    const next = await steps(caseId, ['handleA', 'review', 'review', 'review']);
    assert.equal((await post('jddd02', `/api/tasks/${at(next, 'handleA')[0]?.id}/claim`)).status, 200);
    await eventually('the claim projected', async () => ((await open(caseId)).some((t) => t.assignee === 'jddd02') ? true : undefined));
    const late = await post('jddd01', `/api/tasks/${back?.id}/withdraw`, { reason: '再次撤回' });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'task.withdraw.touched');
  });

  it('挂起 holds the case in the engine and refuses its tasks with the reason; 恢复 lets them go on; both are clock events of the timeline', async () => {
    const caseId = await newCase();
    await database.db('cases').where({ id: caseId }).update({ grid_code: '370102002001001', community_code: '370102002001', street_code: '370102002', district_code: '370102' });
    const [register] = await steps(caseId, ['register']);
    assert.equal((await post('jddd01', `/api/cases/${caseId}/suspend`, { reason: '等待产权认定' })).status, 403, 'the dispatcher may read but not suspend');
    const suspended = await post('jdld01', `/api/cases/${caseId}/suspend`, { reason: '等待产权认定' });
    assert.deepEqual([suspended.status, suspended.body.status], [200, 'suspended'], suspended.text);
    const instance = (await database.db('cases').where({ id: caseId }).first('process_instance_id')).process_instance_id as string;
    const inEngine = await (await fetch(`${host.connection.url}/engine-rest/process-instance/${instance}`, { headers: { authorization: `Basic ${Buffer.from(`gridflow:${host.connection.secret}`).toString('base64')}` } })).json() as { suspended: boolean };
    assert.equal(inEngine.suspended, true);
    const refused = await complete('jddd01', String(register?.id));
    assert.deepEqual([refused.status, refused.body.error.code], [409, 'case.suspended']);
    assert.equal((await post('jdld01', `/api/cases/${caseId}/suspend`, { reason: '再次挂起' })).status, 409);
    assert.equal((await post('jdld01', `/api/cases/${caseId}/resume`, { reason: '产权已认定' })).status, 200);
    assert.equal((await complete('jddd01', String(register?.id))).status, 200);
    const clock = await database.db('case_events').where({ case_id: caseId }).whereIn('kind', ['clock.paused', 'clock.resumed']).orderBy('id').select('kind', 'opinion', 'actor_username');
    assert.deepEqual(clock, [{ kind: 'clock.paused', opinion: '等待产权认定', actor_username: 'jdld01' }, { kind: 'clock.resumed', opinion: '产权已认定', actor_username: 'jdld01' }]);
  });

  it('two users completing the same task: one wins, the other gets 409', async () => {
    const caseId = await newCase();
    const [register] = await steps(caseId, ['register']);
    const results = await Promise.all([complete('jddd01', String(register?.id)), complete('jddd02', String(register?.id))]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    await steps(caseId, ['handleA', 'review', 'review', 'review']);
  });

  it('转办 to a candidate, 委派 and resolve, unclaim, 抄送 and 催办', async () => {
    const caseId = await newCase();
    const [register] = await steps(caseId, ['register']);
    const id = String(register?.id);
    const notCandidate = await post('jddd01', `/api/tasks/${id}/transfer`, { to: 'wgy001', reason: '请协助' });
    assert.deepEqual([notCandidate.status, notCandidate.body.error.details[0].target], [422, '/body/to']);
    assert.equal((await post('jddd01', `/api/tasks/${id}/transfer`, { to: 'jddd02', reason: '本人外出，转同事办理' })).status, 200);
    await eventually('transferred', async () => ((await open(caseId))[0]?.assignee === 'jddd02' ? true : undefined));
    assert.equal((await post('jddd02', `/api/tasks/${id}/unclaim`)).status, 200);
    await eventually('unclaimed', async () => ((await open(caseId))[0]?.assignee === null ? true : undefined));
    assert.equal((await post('jddd01', `/api/tasks/${id}/delegate`, { to: 'jdld01', reason: '请领导把关' })).status, 409, 'claim before delegating');
    assert.equal((await post('jddd01', `/api/tasks/${id}/claim`)).status, 200);
    await eventually('claimed', async () => ((await open(caseId))[0]?.assignee === 'jddd01' ? true : undefined));
    assert.equal((await post('jddd01', `/api/tasks/${id}/delegate`, { to: 'jdld01', reason: '请领导把关' })).status, 200);
    await eventually('delegated', async () => ((await open(caseId))[0]?.assignee === 'jdld01' ? true : undefined));
    assert.equal((await post('jdld01', `/api/tasks/${id}/resolve`, { reason: '同意立案' })).status, 200);
    await eventually('resolved back to its owner', async () => ((await open(caseId))[0]?.assignee === 'jddd01' ? true : undefined));
    assert.equal((await post('jddd01', `/api/tasks/${id}/cc`, { users: ['jdld01'], reason: '请知悉' })).status, 200);
    assert.ok(await database.db('case_parties').where({ case_id: caseId, relation: 'cc' }).first());
    assert.equal((await post('jddd02', `/api/tasks/${id}/urge`, { message: '请尽快办理' })).status, 200);
    const mine = await call(server.url, 'GET', '/api/notifications?unread=true', { as: as.jddd01 });
    assert.ok(mine.body.items.some((n: { kind: string; message: string }) => n.kind === 'task.urge' && n.message.includes('请尽快办理')), 'the assignee is notified of the urge');
    const leader = await call(server.url, 'GET', '/api/notifications', { as: as.jdld01 });
    assert.deepEqual(leader.body.items.map((n: { kind: string }) => n.kind).sort(), ['task.cc', 'task.delegate'], 'the delegate and the copied user are notified');
    const first = mine.body.items[0] as { id: number };
    assert.equal((await post('jdld01', `/api/notifications/${first.id}/read`)).status, 404, 'only one\'s own notifications');
    assert.equal((await post('jddd01', `/api/notifications/${first.id}/read`)).status, 200);
    assert.equal((await call(server.url, 'GET', '/api/notifications?unread=true', { as: as.jddd01 })).body.unread, mine.body.unread - 1);
    const ops = (await database.db('task_operations').where({ task_id: id }).orderBy('created_at').pluck('operation')) as string[];
    assert.deepEqual(ops, ['transfer', 'unclaim', 'delegate', 'resolve', 'cc', 'urge']);
    assert.equal(await database.db('audit_log').where({ action: 'task.delegate', target_id: id }).count({ n: '*' }).first().then((r) => Number(r?.n)), 1);
  });
});
