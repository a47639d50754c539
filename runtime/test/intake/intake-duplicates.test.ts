/**
 * Possible duplicates, the public tracking view and the refusals of merging, on SQLite and MariaDB
 * without a running engine (merging with the engine is in intake-engine.test.ts).
 */
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { describeEachDatabase } from '../support/databases.ts';
import { call } from '../support/api-server.ts';
import { citizenReport, closeWorlds, inGridA, intakeWorld, staffReport, targets } from './intake-world.ts';

after(closeWorlds);

describeEachDatabase('possible duplicates, tracking and merge refusals (engine not running)', (test) => {
  test('given an open case, when the same type is reported 84 m away, then it is flagged; another type, or 300 m away, is not', async ({ db }) => {
    const w = await intakeWorld(db);
    const wgy001 = await w.as('wgy001');
    const first = await w.report(wgy001, staffReport({ eventType: '02001' }));
    const near = await w.report(wgy001, staffReport({ eventType: '02001', location: inGridA(71, 44.5) }));
    assert.equal(near.status, 201, near.text);
    assert.deepEqual(near.body.possibleDuplicates.map((d: { caseId: string; distanceM: number }) => [d.caseId, d.distanceM]), [[first.body.caseId, 84]]);
    assert.equal(near.body.possibleDuplicates[0].title, '非法小广告（历下区舜耕路 28 号小区门口）');
    const stored = await db('case_duplicates').where({ case_id: near.body.caseId }).select('candidate_id', 'distance_m');
    assert.deepEqual(stored.map((d) => [d.candidate_id, Number(d.distance_m)]), [[first.body.caseId, 84]]);
    const otherType = await w.report(wgy001, staffReport({ eventType: '02002', location: inGridA(71, 44.5) }));
    assert.deepEqual(otherType.body.possibleDuplicates, []);
    const far = await w.report(wgy001, staffReport({ eventType: '02001', location: inGridA(0, 300) }));
    assert.deepEqual(far.body.possibleDuplicates, []);
    const listed = await call(w.server.url, 'GET', `/api/cases/${first.body.caseId}/duplicates`, { as: await w.as('jddd01') });
    assert.deepEqual(listed.body.items.map((d: { caseId: string }) => d.caseId), [near.body.caseId], 'the dispatcher sees the flag from either case');
  });

  test('given old or closed cases, when the same type is reported nearby, then they are not flagged', async ({ db }) => {
    const w = await intakeWorld(db);
    const wgy001 = await w.as('wgy001');
    const old = await w.report(wgy001, staffReport({ eventType: '02003' }));
    await db('cases').where({ id: old.body.caseId }).update({ created_at: new Date(Date.now() - 73 * 3_600_000) });
    const closed = await w.report(wgy001, staffReport({ eventType: '02003' }));
    await db('cases').where({ id: closed.body.caseId }).update({ status: 'ended' });
    const again = await w.report(wgy001, staffReport({ eventType: '02003' }));
    assert.deepEqual(again.body.possibleDuplicates, []);
  });

  test('given a citizen, when their report is near someone else\'s, then it is flagged but they are not shown the other case', async ({ db }) => {
    const w = await intakeWorld(db);
    const staff = await w.report(await w.as('wgy001'), staffReport({ eventType: '02004' }));
    const mine = await w.report(await w.as('sm01'), citizenReport({ eventType: '02004' }));
    assert.deepEqual(mine.body.possibleDuplicates, []);
    assert.deepEqual(await db('case_duplicates').where({ case_id: mine.body.caseId }).pluck('candidate_id'), [staff.body.caseId]);
  });

  test('given a tracking code, when anyone looks it up, then they see status and times, without staff, reporter or place; other codes are not found', async ({ db }) => {
    const w = await intakeWorld(db);
    const r = await w.report(await w.as('rx01'), staffReport({ eventType: '02005', reporterName: '钱女士', reporterPhone: '13911112222', address: '舜耕路 66 号' }));
    const caseId = r.body.caseId as string;
    await db('tasks').insert({
      id: `track-${caseId}`, case_id: caseId, process_instance_id: `pi-${caseId}`, task_definition_key: 'accept', name: '受理立案', assignee: 'jddd01',
      status: 'open', created_at: new Date(), last_event_id: 1,
    });
    const code = String(r.body.trackingCode);
    const view = await call(w.server.url, 'GET', `/api/public/track/${code.toLowerCase().slice(0, 4)}-${code.slice(4)}`);
    assert.equal(view.status, 200, view.text);
    assert.deepEqual([view.body.status, view.body.eventType, view.body.merged], ['starting', { code: '02005', name: '广告牌匾破损' }, false]);
    assert.deepEqual(view.body.steps.map((s: { name: string; status: string }) => [s.name, s.status]), [['受理立案', 'open']]);
    for (const secret of ['钱', '13911112222', '舜耕路', 'jddd01', 'rx01', caseId, '370102']) assert.equal(view.text.includes(secret), false, `the view hides ${secret}`);
    assert.equal((await call(w.server.url, 'GET', '/api/public/track/ABCDEFGHJKMN')).status, 404);
  });

  test('merge refusals: without the permission 403, out of scope 404, into itself 400, a case not yet started 409, a closed target 409', async ({ db }) => {
    const w = await intakeWorld(db);
    const a = await w.report(await w.as('wgy001'), staffReport({ eventType: '02006' }));
    const b = await w.report(await w.as('wgy001'), staffReport({ eventType: '02006' }));
    const merge = async (who: string, id: string, into: string) => call(w.server.url, 'POST', `/api/cases/${id}/merge`, { as: await w.as(who), body: { into, reason: '同一地点同一问题' } });
    assert.equal((await merge('wgy001', b.body.caseId, a.body.caseId)).status, 403, 'grid workers do not merge');
    assert.equal((await merge('jddd02', b.body.caseId, a.body.caseId)).status, 404, 'another street\'s dispatcher does not see the case');
    const self = await merge('jddd01', b.body.caseId, b.body.caseId);
    assert.deepEqual([self.status, targets(self)], [400, ['/body/into']]);
    assert.equal((await merge('jddd01', b.body.caseId, a.body.caseId)).body.error.code, 'intake.mergeStarting');
    await db('cases').whereIn('id', [a.body.caseId, b.body.caseId]).update({ status: 'running', process_instance_id: db.raw('id') });
    await db('cases').where({ id: a.body.caseId }).update({ status: 'ended' });
    const closed = await merge('jddd01', b.body.caseId, a.body.caseId);
    assert.deepEqual([closed.status, closed.body.error.code, targets(closed)], [409, 'intake.mergeTargetClosed', ['/body/into']]);
    const missing = await merge('jddd01', b.body.caseId, '00000000-0000-0000-0000-000000000000');
    assert.deepEqual([missing.status, targets(missing)], [404, ['/body/into']]);
    assert.equal((await db('cases').where({ id: b.body.caseId }).first('status')).status, 'running', 'nothing changed');
  });
});
