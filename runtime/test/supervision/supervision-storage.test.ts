/**
 * What the clock and supervision keep in the database, on SQLite and MariaDB: a supervision raised
 * twice under one source key is written once (row, timeline event, notices from nobody for automatic
 * ones); the database itself allows one open extension request per case; the clock read back from
 * timeline rows gives the deadline the calendar says.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { caseClock } from '../../src/clock/case-clock-events.ts';
import { isUniqueViolation } from '../../src/clock/extension-requests.ts';
import { raiseSupervision, supervisionView } from '../../src/supervision/supervision-store.ts';
import { appendCaseEvent } from '../../src/timeline/timeline.store.ts';
import { prepareDemoDatabase } from '../support/api-server.ts';
import { describeEachDatabase } from '../support/databases.ts';

const cst = (local: string) => new Date(`${local}+08:00`);

async function givenCase(db: Knex): Promise<string> {
  await prepareDemoDatabase(db);
  const id = randomUUID();
  const now = cst('2026-11-23T09:00:00');
  await db('cases').insert({
    id, process_definition_key: 'clock-fixture', process_instance_id: `pi-${id}`, status: 'running', title: '楼道堆放杂物', created_at: now, updated_at: now,
    grid_code: '370102002001001', community_code: '370102002001', street_code: '370102002', district_code: '370102', event_type: '10002',
  });
  return id;
}

const request = (caseId: string, open: boolean) => ({
  id: randomUUID(), case_id: caseId, task_id: 'task-1', amount: 1, type: 'workDays', reason: '需协调', status: open ? 'open' : 'approved', open_case_id: open ? caseId : null,
  tier: 'street', approver_group: 'street-dispatcher@370102002', requested_by: 1, requested_by_username: 'wgy001', requested_at: cst('2026-11-23T10:00:00'),
});

describeEachDatabase('clock and supervision storage', (test) => {
  test('an automatic supervision raised twice under one source key is written once, with notices from nobody', async ({ db }) => {
    const caseId = await givenCase(db);
    const recipients = (await db('users').whereIn('username', ['sqgzry01', 'jddd01']).pluck('id')).map(Number);
    const now = cst('2026-11-23T15:00:00');
    const raise = () => db.transaction((trx) => raiseSupervision(trx, {
      caseId, caseTitle: '楼道堆放杂物', source: 'clock', level: 'street', orgUnitCode: '370102002', opinion: '已超期，请说明原因', author: null,
      replyWithin: { amount: 1, type: 'workDays' }, replyDueAt: cst('2026-11-24T15:00:00'), timezone: 'Asia/Shanghai', sourceKey: 'clock:ext-task-1', now, notify: recipients,
    }));
    const first = await raise();
    assert.equal(await raise(), first);
    assert.equal(Number((await db('supervisions').where({ case_id: caseId }).count({ n: '*' }).first())?.n), 1);
    const events = await db('case_events').where({ case_id: caseId, kind: 'supervision.raised' }).select('actor_username', 'opinion');
    assert.deepEqual(events, [{ actor_username: null, opinion: '已超期，请说明原因' }]);
    const notices = await db('notifications').where({ case_id: caseId }).select('user_id', 'from_user_id', 'kind', 'message');
    assert.deepEqual(notices.map((n) => Number(n.user_id)).sort(), [...recipients].sort());
    assert.ok(notices.every((n) => n.from_user_id === null && n.kind === 'supervision.raised' && String(n.message).includes('2026-11-24 15:00')), JSON.stringify(notices));
    const row = await db('supervisions').leftJoin('cases', 'cases.id', 'supervisions.case_id').where('supervisions.id', first).first('supervisions.*', 'cases.title as case_title');
    assert.deepEqual([supervisionView(row, now).overdue, supervisionView(row, cst('2026-11-24T15:01:00')).overdue], [false, true]);
    assert.deepEqual(supervisionView(row, now).author, null);
  });

  test('the database holds one open extension request per case; a decided one frees the place', async ({ db }) => {
    const caseId = await givenCase(db);
    const first = request(caseId, true);
    await db('extension_requests').insert(first);
    await assert.rejects(db('extension_requests').insert(request(caseId, true)), (e) => isUniqueViolation(e));
    await db('extension_requests').insert(request(caseId, false));
    await db('extension_requests').where({ id: first.id }).update({ status: 'rejected', open_case_id: null });
    await db('extension_requests').insert(request(caseId, true));
    assert.deepEqual((await db('extension_requests').where({ case_id: caseId }).orderBy('status').pluck('status')), ['approved', 'open', 'rejected']);
  });

  test('the clock read back from timeline rows: paused, extended and resumed on the district calendar', async ({ db }) => {
    const caseId = await givenCase(db);
    const add = (kind: `clock.${string}`, local: string, details?: Record<string, unknown>) => appendCaseEvent(db, { caseId, kind, at: cst(local), sourceKey: randomUUID(), ...(details ? { details } : {}) });
    await add('clock.paused', '2026-11-23T08:30:00');
    await add('clock.started', '2026-11-23T09:00:00', { limit: { type: 'workHours', amount: 4 }, tier: 'street' });
    await add('clock.paused', '2026-11-23T10:00:00');
    await add('clock.extended', '2026-11-23T11:00:00', { by: { amount: 1, type: 'workDays' } });
    await add('clock.resumed', '2026-11-24T09:00:00');
    const clock = await caseClock(db, caseId, cst('2026-11-24T09:00:00'));
    // 1 work-hour used; 3 + 8 left from Tuesday 09:00: Tuesday 09–12, 14–18, Wednesday 08–12.
    assert.deepEqual([clock?.state.status, clock?.state.dueAt], ['running', cst('2026-11-25T12:00:00')]);
    assert.equal(clock?.start.tier, 'street');
    assert.equal(await caseClock(db, randomUUID(), cst('2026-11-24T09:00:00')), null, 'no case, no clock');
  });
});
