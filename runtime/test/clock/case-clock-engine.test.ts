/**
 * The case clock on the real engine, over a fixture process of its own (start the clock → handle
 * under a yellow and a red boundary timer → stop the clock → verify, 返工 restarts it): the timer
 * dates become variables and timer jobs, the timers fire (warning, automatic 催办 and 督办), 挂起/恢复
 * and an approved 延期 move the timer jobs, refused requests change nothing. Time is the clock the
 * runtime is given: fixed for the timers that must not fire, real time shifted for the ones that must.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { addTimeLimit, createEngineClient } from '@gridflow/engine';
import type { EngineClient, TopicTask } from '@gridflow/engine';
import { eventually } from '@gridflow/engine/testing';
import { loadConfig } from '../../src/config.ts';
import { EngineHost } from '../../src/engine-host/engine-host.ts';
import { loadPlugins } from '../../src/plugins/load-plugins.ts';
import { startClaimUntil } from '../../src/cases/cases.service.ts';
import { calendarOf } from '../../src/clock/case-clock-events.ts';
import { dateOf } from '../../src/db/values.ts';
import { overdue, warn } from '../../src/clock/clock-alerts.ts';
import { startClock } from '../../src/clock/clock-start-stop.ts';
import { CaseClockView, CaseSupervisions, ExtensionDecision, ExtensionRequestList, ExtensionRequestView, SupervisionList, SupervisionView } from '../../src/contracts/index.ts';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer, Credentials } from '../support/api-server.ts';

const HOUR = 3_600_000;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
/** Asserts a body answers its documented contract. */
const answers = (schema: object, body: unknown) => assert.ok(ajv.validate(JSON.parse(JSON.stringify(schema)) as object, body), `${ajv.errorsText()}: ${JSON.stringify(body)}`);
const cst = (local: string) => new Date(`${local}+08:00`);
/** Monday 2030-03-04 in Jinan: far enough ahead that no timer scheduled from it fires during the tests. */
const MONDAY = '2030-03-04';
const TUESDAY = '2030-03-05';
const PLACE = { grid: '370102002001001', community: '370102002001', street: '370102002', district: '370102' };

describe('case clock on the real engine', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let host: EngineHost;
  let server: ApiServer;
  let engine: EngineClient;
  const as: Record<string, Credentials> = {};
  let fixed: Date | null = null;
  let offsetMs = 0;
  const clock = () => (fixed ? new Date(fixed) : new Date(Date.now() + offsetMs));
  const db = () => database.db;

  const post = (user: string, path: string, body: unknown = {}) => call(server.url, 'POST', path, { as: as[user], body });
  const get = (user: string, path: string) => call(server.url, 'GET', path, { as: as[user] });
  const kinds = async (caseId: string) => (await db()('case_events').where({ case_id: caseId }).orderBy('id').pluck('kind')) as string[];
  const count = async (table: string, where: Record<string, unknown>) => Number((await db()(table).where(where).count({ n: '*' }).first())?.n);
  const notices = async (username: string, caseId: string) => (await db()('notifications as n').join('users as u', 'u.id', 'n.user_id')
    .where({ 'u.username': username, 'n.case_id': caseId }).orderBy('n.id').pluck('n.kind')) as string[];

  /** A case row (as intake writes it) and its instance of the fixture process. */
  async function newCase(v: { eventType: string; urgent?: boolean; handlerGroup: string; dispatchTier: string; handlingLevel: string }) {
    const caseId = randomUUID();
    const now = new Date();
    await db()('cases').insert({
      id: caseId, process_definition_key: 'clock-fixture', status: 'starting', org_unit_code: PLACE.grid, start_variables: '{}', created_at: now, updated_at: now,
      start_claimed_until: startClaimUntil(now), title: `计时测试 ${caseId.slice(0, 8)}`, event_type: v.eventType,
      grid_code: PLACE.grid, community_code: PLACE.community, street_code: PLACE.street, district_code: PLACE.district,
    });
    const instanceId = await host.cases.startAccepted(caseId, 'clock-fixture', {
      caseId, eventType: v.eventType, urgent: v.urgent ?? false, handlerGroup: v.handlerGroup, dispatchTier: v.dispatchTier, handlingLevel: v.handlingLevel,
      gridCode: PLACE.grid, communityCode: PLACE.community, streetCode: PLACE.street, districtCode: PLACE.district,
    });
    return { caseId, instanceId };
  }
  const openTask = (caseId: string, key: string) => eventually(`open task ${key}`, async () =>
    (await db()('tasks').where({ case_id: caseId, task_definition_key: key, status: 'open' }).first('id', 'assignee')) as { id: string; assignee: string | null } | undefined);
  /** The due dates of the instance's two timers, once both exist. */
  const timers = (instanceId: string) => eventually('the two timers', async () => {
    const [w, o] = await Promise.all([engine.jobs.query({ processInstanceId: instanceId, activityId: 'warnTimer' }), engine.jobs.query({ processInstanceId: instanceId, activityId: 'overdueTimer' })]);
    return w[0]?.dueDate && o[0]?.dueDate ? { warnAt: new Date(w[0].dueDate), dueAt: new Date(o[0].dueDate) } : undefined;
  });
  const variables = async (instanceId: string) => {
    const v = await engine.processInstances.variables(instanceId);
    return { warnAt: v.handleWarnAt as Date, dueAt: v.handleDueAt as Date };
  };

  before(async () => {
    database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gf-clock-')) });
    host = await EngineHost.start(database.db, config.engine, await loadPlugins(config.plugins), pino({ level: 'silent' }), { clock });
    engine = createEngineClient({ baseUrl: host.connection.url, secret: host.connection.secret });
    await engine.deployments.deploy({ name: 'clock-fixtures', resources: [{ name: 'clock-handling.bpmn', content: readFileSync(new URL('./fixtures/clock-handling.bpmn', import.meta.url), 'utf8') }], deployChangedOnly: true });
    // The clock jumps years ahead: sessions must outlive it.
    server = await startApiServer(database.db, { engine: host, clock, security: { sessionIdleMinutes: 1e8, sessionMaxHours: 1e7 } });
    // A second dispatcher in the street of the cases (the demo district has one per street), so a colleague can decide.
    await database.db('users').where({ username: 'jddd02' }).update({ org_unit_code: PLACE.street });
    for (const u of ['sqgzry01', 'sqgzry02', 'jddd01', 'jddd02', 'jdld01', 'qddd01', 'bmcz01']) as[u] = await signIn(server.url, u);
  });
  after(async () => {
    await server?.close();
    await host?.stop();
    await database?.drop();
  });

  it('the timers fire: a yellow warning, then the automatic 催办 and a 督办 one level up, each once', async () => {
    // An urgent 不文明养犬 case counts by its urgent condition (2 continuous hours); started 2 h − 4 s ago, it is due in 4 s.
    fixed = null;
    offsetMs = -2 * HOUR + 4_000;
    const { caseId, instanceId } = await newCase({ eventType: '10002', urgent: true, handlerGroup: `community-staff@${PLACE.community}`, dispatchTier: 'street', handlingLevel: 'community' });
    const started = await eventually('clock started', async () => db()('case_events').where({ case_id: caseId, kind: 'clock.started' }).first('at', 'details', 'source_key') as Promise<{ at: unknown; details: string; source_key: string } | undefined>);
    const details = JSON.parse(started.details);
    assert.deepEqual([details.limit, details.limitSource], [{ type: 'urgent', amount: 2 }, 'urgentCondition']);
    const startedAt = dateOf(started.at) as Date;
    const vars = await eventually('timer variables', async () => { const v = await engine.processInstances.variables(instanceId); return v.handleDueAt instanceof Date ? v as { handleDueAt: Date; handleWarnAt: Date } : undefined; });
    assert.deepEqual(vars.handleDueAt, new Date(startedAt.getTime() + 2 * HOUR), 'due 2 continuous hours after the start');
    assert.deepEqual(vars.handleWarnAt, startedAt, 'shorter than the 2-hour warning margin: yellow from the start');

    await eventually('the overdue timer fired and was handled', async () => db()('case_events').where({ case_id: caseId, kind: 'clock.overdue' }).first('id'), 40_000);
    await eventually('the warning handled', async () => db()('case_events').where({ case_id: caseId, kind: 'clock.warning' }).first('id'), 20_000);
    const events = await db()('case_events').where({ case_id: caseId }).whereIn('kind', ['clock.warning', 'clock.overdue', 'supervision.raised']).orderBy('id').select('kind', 'step', 'actor_username', 'source_key');
    assert.deepEqual(events.map((e) => [e.kind, e.step]).sort(), [['clock.overdue', 'handle'], ['clock.warning', 'handle'], ['supervision.raised', null]]);
    assert.ok(events.every((e) => e.actor_username === null), 'no human actor');
    assert.deepEqual((await notices('sqgzry01', caseId)).sort(), ['clock.overdue', 'clock.warning', 'supervision.raised'], 'the candidates of the step are warned, urged and told of the supervision');
    assert.deepEqual(await notices('jddd01', caseId), ['supervision.raised'], 'the street command centre supervises a community case');

    const s = await db()('supervisions').where({ case_id: caseId }).first();
    assert.deepEqual([s.source, s.level, s.org_unit_code, s.author_id, s.status], ['clock', 'street', PLACE.street, null, 'open']);
    const calendar = await calendarOf(db(), PLACE.district);
    assert.deepEqual(dateOf(s.reply_due_at), addTimeLimit(calendar, dateOf(s.created_at) as Date, { amount: 1, type: 'workDays' }).dueAt, 'one work day to reply');
    const listed = await get('jddd01', '/api/supervisions?status=open');
    assert.equal(listed.status, 200, listed.text);
    const item = listed.body.items.find((i: { id: string }) => i.id === s.id);
    assert.deepEqual([item?.source, item?.author, item?.caseId], ['clock', null, caseId]);
    answers(SupervisionList, listed.body);
    // The runtime's clock, moved past the deadline, agrees: red.
    fixed = new Date(startedAt.getTime() + 2 * HOUR + 60_000);
    const clockView = await get('jddd01', `/api/cases/${caseId}/clock`);
    assert.deepEqual([clockView.body.status, clockView.body.warning, clockView.body.dueAt], ['running', 'red', vars.handleDueAt.toISOString()]);
    answers(CaseClockView, clockView.body);

    // Running a handler again for the same external task writes nothing more.
    const deps = { db: db(), engine, clock, logger: pino({ level: 'silent' }) };
    const overdueKey = (await db()('case_events').where({ case_id: caseId, kind: 'clock.overdue' }).first('source_key')).source_key as string;
    const again: TopicTask = { topic: 'gridflow.clock.overdue', id: overdueKey.slice('topic:'.length), processInstanceId: instanceId, businessKey: caseId, activityId: 'overdueNotice', attempt: 2, variables: {} };
    const before = [await count('case_events', { case_id: caseId }), await count('notifications', { case_id: caseId }), await count('supervisions', { case_id: caseId })];
    await overdue(deps, again);
    const warnKey = (await db()('case_events').where({ case_id: caseId, kind: 'clock.warning' }).first('source_key')).source_key as string;
    await warn(deps, { ...again, topic: 'gridflow.clock.warn', id: warnKey.slice('topic:'.length), activityId: 'warnNotice' });
    const startTask: TopicTask = { ...again, topic: 'gridflow.clock.start', id: String(started.source_key).slice('topic:'.length), activityId: 'startClock', variables: { eventType: '10002', urgent: true } };
    assert.deepEqual((await startClock(deps, startTask)).variables, { handleDueAt: vars.handleDueAt, handleWarnAt: vars.handleWarnAt }, 'a retried start answers the same dates');
    assert.deepEqual([await count('case_events', { case_id: caseId }), await count('notifications', { case_id: caseId }), await count('supervisions', { case_id: caseId })], before);

    // The handler replies; others may not, and a reply is given once.
    assert.equal((await post('jddd01', `/api/supervisions/${s.id}/reply`, { reply: '已协调' })).status, 403, 'the dispatcher is not handling the case');
    const blank = await post('sqgzry01', `/api/supervisions/${s.id}/reply`, { reply: '    ' });
    assert.deepEqual([blank.status, blank.body.error.details?.[0]?.target], [422, '/body/reply']);
    const replied = await post('sqgzry01', `/api/supervisions/${s.id}/reply`, { reply: '已到现场劝导，犬主已束链' });
    assert.deepEqual([replied.status, replied.body.status, replied.body.repliedBy], [200, 'replied', 'sqgzry01'], replied.text);
    answers(SupervisionView, replied.body);
    assert.equal((await post('sqgzry01', `/api/supervisions/${s.id}/reply`, { reply: '再次回复' })).status, 409);
    assert.ok((await kinds(caseId)).includes('supervision.replied'));
  });

  it('挂起 freezes the time left and 恢复 moves both timer jobs (and the variables) by the time the case was parked', async () => {
    offsetMs = 0;
    fixed = cst(`${MONDAY}T09:00:00`);
    const { caseId, instanceId } = await newCase({ eventType: '10002', handlerGroup: `community-staff@${PLACE.community}`, dispatchTier: 'street', handlingLevel: 'community' });
    await openTask(caseId, 'handle');
    // 4 work-hours from Monday 09:00: due 15:00, yellow with 2 work-hours left at 11:00.
    assert.deepEqual(await timers(instanceId), { warnAt: cst(`${MONDAY}T11:00:00`), dueAt: cst(`${MONDAY}T15:00:00`) });
    fixed = cst(`${MONDAY}T09:30:00`);
    assert.equal((await post('jdld01', `/api/cases/${caseId}/suspend`, { reason: '等待产权认定' })).status, 200);
    fixed = cst(`${TUESDAY}T09:30:00`);
    const resumed = await post('jdld01', `/api/cases/${caseId}/resume`, { reason: '产权已认定' });
    assert.equal(resumed.status, 200, resumed.text);
    // 30 work-minutes were used; 3½ work-hours are left from Tuesday 09:30.
    const moved = { warnAt: cst(`${TUESDAY}T11:00:00`), dueAt: cst(`${TUESDAY}T15:00:00`) };
    assert.deepEqual(await timers(instanceId), moved);
    assert.deepEqual(await variables(instanceId), moved);
    const row = await db()('cases').where({ id: caseId }).first('handle_due_at', 'status');
    assert.deepEqual([dateOf(row.handle_due_at), row.status], [moved.dueAt, 'running']);
    assert.equal((await get('sqgzry01', `/api/cases/${caseId}/clock`)).body.dueAt, moved.dueAt.toISOString());
    assert.deepEqual((await kinds(caseId)).filter((k) => k.startsWith('clock.')), ['clock.started', 'clock.paused', 'clock.resumed']);
  });

  it('延期: the assignee asks with a reason, the street command centre (not the requester) decides; approval moves the timers, refusals change nothing', async () => {
    fixed = cst(`${MONDAY}T09:00:00`);
    const { caseId, instanceId } = await newCase({ eventType: '10002', handlerGroup: `street-dispatcher@${PLACE.street}`, dispatchTier: 'street', handlingLevel: 'street' });
    const task = await openTask(caseId, 'handle');
    const ask = (user: string, body: unknown) => post(user, `/api/tasks/${task.id}/extension-requests`, body);
    const valid = { amount: 1, type: 'workDays', reason: '需协调产权单位到场' };
    const unclaimed = await ask('jddd01', valid);
    assert.deepEqual([unclaimed.status, unclaimed.body.error.code], [409, 'extension.claimFirst']);
    assert.equal((await post('jddd01', `/api/tasks/${task.id}/claim`)).status, 200);
    await eventually('claimed', async () => ((await openTask(caseId, 'handle')).assignee === 'jddd01' ? true : undefined));
    const noReason = await ask('jddd01', { amount: 1 });
    assert.deepEqual([noReason.status, noReason.body.error.details?.[0]?.target], [400, '/body/reason']);
    const blank = await ask('jddd01', { amount: 1, reason: '      ' });
    assert.deepEqual([blank.status, blank.body.error.details?.[0]?.target], [422, '/body/reason']);
    const zero = await ask('jddd01', { ...valid, amount: 0 });
    assert.deepEqual([zero.status, zero.body.error.details?.[0]?.target], [400, '/body/amount']);
    assert.equal((await ask('jddd02', valid)).body.error.code, 'extension.claimFirst', 'a candidate who is not the assignee');
    assert.equal((await ask('sqgzry01', valid)).status, 403, 'community staff may see the task, not act on it');
    assert.equal((await ask('sqgzry02', valid)).status, 404, 'another community does not see it');
    assert.equal(await count('extension_requests', { case_id: caseId }), 0, 'refusals create nothing');

    fixed = cst(`${MONDAY}T10:00:00`);
    const asked = await ask('jddd01', valid);
    assert.equal(asked.status, 200, asked.text);
    assert.deepEqual([asked.body.status, asked.body.tier, asked.body.approverGroup, asked.body.dueBefore], ['open', 'street', `street-dispatcher@${PLACE.street}`, cst(`${MONDAY}T15:00:00`).toISOString()]);
    assert.deepEqual(await notices('jddd02', caseId), ['extension.requested'], 'the approvers are told');
    answers(ExtensionRequestView, asked.body);
    const second = await ask('jddd01', { ...valid, reason: '再申请一次' });
    assert.deepEqual([second.status, second.body.error.code], [409, 'extension.openExists']);
    assert.equal(await count('extension_requests', { case_id: caseId }), 1);

    const decide = (user: string, op: 'approve' | 'reject', id: string, opinion = '同意延期一个工作日') => post(user, `/api/extension-requests/${id}/${op}`, { opinion });
    const own = await decide('jddd01', 'approve', asked.body.id);
    assert.deepEqual([own.status, own.body.error.code], [403, 'extension.ownRequest']);
    assert.deepEqual((await decide('jdld01', 'approve', asked.body.id)).body.error.code, 'extension.notApprover');
    assert.deepEqual((await decide('qddd01', 'approve', asked.body.id)).body.error.code, 'extension.notApprover', 'a street-tier case is decided by its street');
    assert.equal((await decide('sqgzry02', 'approve', asked.body.id)).status, 404);
    assert.equal(await count('case_events', { case_id: caseId, kind: 'clock.extended' }), 0);
    assert.deepEqual(await timers(instanceId), { warnAt: cst(`${MONDAY}T11:00:00`), dueAt: cst(`${MONDAY}T15:00:00`) }, 'nothing moved yet');

    fixed = cst(`${MONDAY}T10:30:00`);
    const approved = await decide('jddd02', 'approve', asked.body.id);
    assert.equal(approved.status, 200, approved.text);
    const dueAfter = cst(`${TUESDAY}T15:00:00`);
    assert.deepEqual([approved.body.request.status, approved.body.request.decidedBy, approved.body.request.dueAfter], ['approved', 'jddd02', dueAfter.toISOString()]);
    assert.equal(approved.body.timers.rescheduled, true);
    answers(ExtensionDecision, approved.body);
    const after = await timers(instanceId);
    assert.deepEqual(after.dueAt, dueAfter, 'one more work day');
    assert.ok(after.warnAt > cst(`${MONDAY}T11:00:00`), 'the warning moved too');
    assert.deepEqual(await variables(instanceId), after);
    const extended = await db()('case_events').where({ case_id: caseId, kind: 'clock.extended' }).first('details', 'actor_username');
    assert.deepEqual([JSON.parse(extended.details).by, extended.actor_username], [{ amount: 1, type: 'workDays' }, 'jddd02']);
    assert.deepEqual(await notices('jddd01', caseId), ['extension.approved']);
    assert.equal((await decide('jddd02', 'approve', asked.body.id)).status, 409, 'decided once');

    const again = await ask('jddd01', { amount: 2, reason: '现场仍需整改' });
    assert.equal(again.status, 200, again.text);
    const rejected = await decide('jddd02', 'reject', again.body.id, '理由不充分');
    assert.deepEqual([rejected.status, rejected.body.request.status], [200, 'rejected'], rejected.text);
    assert.deepEqual(await timers(instanceId), after, 'a rejection moves nothing');
    assert.equal(await count('case_events', { case_id: caseId, kind: 'clock.extended' }), 1);
    const list = await get('jdld01', `/api/cases/${caseId}/extension-requests`);
    assert.deepEqual(list.body.items.map((r: { status: string }) => r.status), ['approved', 'rejected']);
    answers(ExtensionRequestList, list.body);
    assert.deepEqual((await kinds(caseId)).filter((k) => k.startsWith('extension.')), ['extension.requested', 'extension.approved', 'extension.requested', 'extension.rejected']);
  });

  it('督办 by a higher level: a reply deadline on the working calendar, the handlers told, overdue when unanswered, answered by a handler', async () => {
    fixed = cst(`${MONDAY}T09:00:00`);
    const { caseId } = await newCase({ eventType: '10002', handlerGroup: `community-staff@${PLACE.community}`, dispatchTier: 'street', handlingLevel: 'community' });
    await openTask(caseId, 'handle');
    const supervise = (user: string, body: unknown) => post(user, `/api/cases/${caseId}/supervisions`, body);
    const valid = { opinion: '群众反映强烈，请加快处置', replyWithin: { amount: 2, type: 'workHours' } };
    assert.equal((await supervise('sqgzry01', valid)).status, 403, 'community staff may not supervise');
    assert.equal((await supervise('bmcz01', valid)).status, 403);
    const blank = await supervise('jdld01', { ...valid, opinion: '   ' });
    assert.deepEqual([blank.status, blank.body.error.details?.[0]?.target], [422, '/body/opinion']);
    const badType = await supervise('jdld01', { ...valid, replyWithin: { amount: 2, type: 'weeks' } });
    assert.equal(badType.status, 400);
    assert.equal(await count('supervisions', { case_id: caseId }), 0);

    const raised = await supervise('jdld01', valid);
    assert.equal(raised.status, 200, raised.text);
    assert.deepEqual([raised.body.level, raised.body.author.username, raised.body.replyDueAt, raised.body.overdue], ['street', 'jdld01', cst(`${MONDAY}T11:00:00`).toISOString(), false]);
    assert.deepEqual(await notices('sqgzry01', caseId), ['supervision.raised']);
    fixed = cst(`${MONDAY}T11:30:00`);
    const overdueList = await get('jdld01', '/api/supervisions?status=overdue');
    assert.ok(overdueList.body.items.some((i: { id: string; overdue: boolean }) => i.id === raised.body.id && i.overdue));
    assert.ok(!(await get('sqgzry02', '/api/supervisions')).body.items.some((i: { caseId: string }) => i.caseId === caseId), 'scoped: another community does not see it');
    assert.equal((await post('jdld01', `/api/supervisions/${raised.body.id}/reply`, { reply: '自己回复' })).status, 403);
    const replied = await post('sqgzry01', `/api/supervisions/${raised.body.id}/reply`, { reply: '已安排人员今日处置完毕' });
    assert.deepEqual([replied.status, replied.body.status, replied.body.overdue], [200, 'replied', false], replied.text);
    assert.deepEqual(await notices('jdld01', caseId), ['supervision.replied']);
    const listed = await get('jdld01', `/api/cases/${caseId}/supervisions`);
    assert.deepEqual(listed.body.items.map((i: { status: string; reply: string }) => [i.status, i.reply]), [['replied', '已安排人员今日处置完毕']]);
    answers(CaseSupervisions, listed.body);
  });

  it('gridflow.clock.stop ends the count; 返工 restarts the full limit with fresh timers; the handler cannot supervise themself', async () => {
    fixed = cst(`${MONDAY}T09:00:00`);
    const { caseId, instanceId } = await newCase({ eventType: '10002', handlerGroup: 'district-dispatcher@370102', dispatchTier: 'district', handlingLevel: 'district' });
    const handle = await openTask(caseId, 'handle');
    const own = await post('qddd01', `/api/cases/${caseId}/supervisions`, { opinion: '督办自己', replyWithin: { amount: 1, type: 'workDays' } });
    assert.deepEqual([own.status, own.body.error.code], [409, 'supervision.ownCase']);
    fixed = cst(`${MONDAY}T10:00:00`);
    await host.cases.completeTask(handle.id);
    const verify = await openTask(caseId, 'verify');
    assert.equal((await engine.processInstances.variables(instanceId)).handledOnTime, true);
    assert.equal((await engine.jobs.query({ processInstanceId: instanceId, timers: true })).length, 0, 'the timers went with the step');
    const stopped = await get('qddd01', `/api/cases/${caseId}/clock`);
    assert.deepEqual([stopped.body.status, stopped.body.onTime], ['stopped', true]);
    assert.equal((await post('qddd01', `/api/tasks/${verify.id}/claim`)).status, 200);
    await eventually('verify claimed', async () => ((await openTask(caseId, 'verify')).assignee === 'qddd01' ? true : undefined));
    const notHandling = await post('qddd01', `/api/tasks/${verify.id}/extension-requests`, { amount: 1, reason: '核查需要更多时间' });
    assert.deepEqual([notHandling.status, notHandling.body.error.code], [409, 'extension.notHandling']);

    fixed = cst(`${MONDAY}T11:00:00`);
    await host.cases.completeTask(verify.id, { verifyPassed: false });
    await openTask(caseId, 'handle');
    // The full 4 work-hours again from 11:00: 11–12, then 14–17.
    assert.deepEqual(await timers(instanceId), { warnAt: cst(`${MONDAY}T15:00:00`), dueAt: cst(`${MONDAY}T17:00:00`) });
    assert.deepEqual((await kinds(caseId)).filter((k) => k.startsWith('clock.')), ['clock.started', 'clock.stopped', 'clock.restarted']);
    const restarted = await get('qddd01', `/api/cases/${caseId}/clock`);
    assert.deepEqual([restarted.body.status, restarted.body.restarts, restarted.body.dueAt], ['running', 1, cst(`${MONDAY}T17:00:00`).toISOString()]);
  });
});
