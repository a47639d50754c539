/**
 * 街道吹哨、部门报到 end to end on the real engine, with the process generated from the standard
 * template: an 应急哨 summons two departments; one reports in on time, the other after the deadline
 * (flagged late and urged when the timer fires); both give opinions, the lead consolidates, the
 * street rates (incomplete ratings are sent back) and the whistle ends resolved. An unresolved
 * 日常哨 goes to the district. Time: GridFlow's clock is shifted so that the report-in deadline
 * falls a few seconds after the whistle in real time, when the engine's timer fires.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '@gridflow/engine/testing';
import { complete, newCase, openStep, startWhistleWorld, whistleWhen } from './whistle-world.ts';
import type { WhistleWorld } from './whistle-world.ts';

const MINUTE = 60_000;
/** Seconds (real time) between the whistle and the report-in deadline in the late scenario. */
const DEADLINE_IN_MS = 6_000;

describe('whistles on the real engine', () => {
  let w: WhistleWorld;
  const db = () => w.database.db;
  const timeline = async (caseId: string) => (await db()('case_events').where({ case_id: caseId }).orderBy('id').pluck('kind')) as string[];
  const notices = async (username: string, kind: string) => (await db()('notifications as n').join('users as u', 'u.id', 'n.user_id')
    .where({ 'u.username': username, 'n.kind': kind }).select('n.message', 'n.task_id')) as { message: string; task_id: string | null }[];

  before(async () => { w = await startWhistleWorld(); });
  after(async () => { await w?.stop(); });

  it('应急哨: on-time and late report-ins, opinions, consolidation, ratings (again when incomplete), resolved', async () => {
    const caseId = await newCase(w);
    await eventually('the case running', async () => ((await db()('cases').where({ id: caseId }).first('status'))?.status === 'running' ? true : undefined));
    const suggested = await w.get('jdld01', `/api/cases/${caseId}/whistles/suggestion`);
    assert.equal(suggested.status, 200, suggested.text);
    assert.deepEqual([suggested.body.source, suggested.body.departments.map((d: { code: string }) => d.code), suggested.body.leadDepartment], ['responsibilities', ['D01', 'D14'], 'D01']);
    assert.deepEqual(suggested.body.kinds.map((k: { code: string }) => k.code), ['daily', 'tough', 'emergency']);

    // 应急哨: 15 minutes to report in; GridFlow's clock runs 15 minutes minus a few seconds behind.
    w.setOffset(-15 * MINUTE + DEADLINE_IN_MS);
    const started = await w.post('jdld01', `/api/cases/${caseId}/whistles`, { kind: 'emergency', reason: '自来水管道爆裂，需多部门到场', departments: ['D01', 'D02'], leadDepartment: 'D01' });
    assert.equal(started.status, 200, started.text);
    const whistleId = String(started.body.id);
    assert.equal(started.body.status, 'open');
    assert.deepEqual(started.body.departments.map((d: { code: string; lead: boolean; status: string }) => [d.code, d.lead, d.status]), [['D01', true, 'summoned'], ['D02', false, 'summoned']]);
    assert.equal(new Date(started.body.reportInDueAt).getTime() - new Date(started.body.createdAt).getTime(), 15 * MINUTE);
    assert.equal((await w.post('jddd01', `/api/cases/${caseId}/whistles`, { kind: 'daily', reason: '再吹一次', departments: ['D03'], leadDepartment: 'D03' })).body.error.code, 'whistle.alreadyOpen');

    // The summoned departments see the case; one not summoned does not, and cannot report in.
    assert.equal((await w.get('bmcz02', `/api/cases/${caseId}`)).status, 200);
    assert.equal((await w.get('bmcz03', `/api/cases/${caseId}`)).status, 404);
    const d01 = await openStep(w, whistleId, 'reportIn', 'D01');
    const d02 = await openStep(w, whistleId, 'reportIn', 'D02');
    assert.equal((await db()('tasks').where({ id: d01 }).first('case_id'))?.case_id, caseId, 'whistle tasks belong to the case');
    assert.equal((await w.post('bmcz03', `/api/tasks/${d01}/complete`, { values: {} })).status, 404, 'a department not summoned cannot report in');
    assert.equal((await w.post('bmcz02', `/api/tasks/${d01}/complete`, { values: {} })).status, 404, 'nor for another summoned department');

    await complete(w, 'bmcz01', d01, { reportInNote: '已到现场，关闭阀门' });
    const onTime = await whistleWhen(w, whistleId, 'D01 reported in', (v) => v.departments[0].reportedInAt !== null);
    assert.deepEqual([onTime.departments[0].late, onTime.departments[0].reportNote], [false, '已到现场，关闭阀门']);
    assert.ok(new Date(onTime.departments[0].reportedInAt) < new Date(onTime.reportInDueAt));

    // The deadline passes: the timer flags D02 late and urges its people.
    const flagged = await whistleWhen(w, whistleId, 'D02 flagged late', (v) => v.departments[1].late === true, 'jdld01', 40_000);
    assert.equal(flagged.departments[1].reportedInAt, null);
    assert.ok(flagged.departments[1].urgedAt, 'urged');
    const urged = await notices('bmcz02', 'whistle.late');
    assert.equal(urged.length, 1);
    assert.equal(urged[0]?.task_id, d02, 'the notice links the report-in task');
    assert.equal((await notices('bmcz01', 'whistle.late')).length, 0, 'the department on time is not urged');

    await complete(w, 'bmcz02', d02, {});
    const late = await whistleWhen(w, whistleId, 'D02 reported in', (v) => v.departments[1].reportedInAt !== null);
    assert.equal(late.departments[1].late, true);
    assert.ok(new Date(late.departments[1].reportedInAt) > new Date(late.reportInDueAt), 'reported in after the deadline');

    // Opinions: each department's own values, none leaking to the other or into the case's values.
    const o1 = await openStep(w, whistleId, 'giveOpinion', 'D01');
    const o2 = await openStep(w, whistleId, 'giveOpinion', 'D02');
    const missing = await w.post('bmcz01', `/api/tasks/${o1}/complete`, { values: { whistleOpinion: '更换破损管段' } });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error.details.map((d: { target: string }) => d.target), ['/body/values/whistleResult']);
    await complete(w, 'bmcz01', o1, { whistleOpinion: '更换破损管段', whistleResult: '已关阀抢修' });
    const form2 = await w.get('bmcz02', `/api/tasks/${o2}/form`);
    assert.equal(form2.status, 200, form2.text);
    assert.deepEqual(form2.body.values, {}, 'D02 does not see D01\'s opinion');
    await complete(w, 'bmcz02', o2, { whistleOpinion: '配合疏导交通', whistleResult: '已设置围挡' });
    const opinions = await whistleWhen(w, whistleId, 'both opinions', (v) => v.departments.every((d: { status: string }) => d.status === 'opinionGiven'));
    assert.deepEqual(opinions.departments.map((d: { opinion: string; result: string }) => [d.opinion, d.result]), [['更换破损管段', '已关阀抢修'], ['配合疏导交通', '已设置围挡']]);
    const values = JSON.parse(String((await db()('cases').where({ id: caseId }).first('form_values'))?.form_values ?? '{}')) as Record<string, unknown>;
    assert.equal(values.whistleOpinion, undefined, 'whistle values stay out of the case\'s values');

    // The lead consolidates; the street rates — first incompletely (sent back), then every department.
    await complete(w, 'bmcz01', await openStep(w, whistleId, 'consolidate'), { whistleResolved: true, whistleSummary: '管道修复，供水恢复' });
    const firstRate = await openStep(w, whistleId, 'rate');
    await complete(w, 'jdld01', firstRate, { ratings: [{ department: 'D01', rating: '优秀' }] });
    const again = await eventually('the rating step again', async () => {
      const id = await openStep(w, whistleId, 'rate');
      return id !== firstRate ? id : undefined;
    });
    assert.match((await notices('jdld01', 'whistle.ratingsRefused'))[0]?.message ?? '', /D02/);
    await complete(w, 'jdld01', again, { ratings: [{ department: 'D01', rating: '优秀', comment: '到场迅速' }, { department: 'D02', rating: '一般', comment: '报到迟到' }] });
    const closed = await whistleWhen(w, whistleId, 'the whistle resolved', (v) => v.status === 'resolved');
    assert.deepEqual(closed.departments.map((d: { rating: string }) => d.rating), ['优秀', '一般']);
    assert.equal(closed.resolved, true);
    assert.ok(closed.closedAt);
    assert.equal((await notices('jdld01', 'whistle.closed')).length, 1, 'the street leader who blew the whistle is told');

    const kinds = await timeline(caseId);
    for (const k of ['whistle.started', 'whistle.reportedIn', 'whistle.late', 'whistle.opinion', 'whistle.consolidated', 'whistle.ratingsRefused', 'whistle.rated', 'whistle.closed']) assert.ok(kinds.includes(k), `timeline has ${k}`);
    assert.equal(kinds.filter((k) => k === 'whistle.reportedIn').length, 2);
    const handlers = await db()('case_parties').where({ case_id: caseId }).orderBy(['relation', 'department_code']).select('relation', 'department_code');
    assert.deepEqual(handlers.map((p) => `${p.relation}:${p.department_code}`), ['whistle:D01', 'whistle:D02'], 'summoned departments are parties by the whistle, not handlers');
    const list = await w.get('bmcz02', `/api/cases/${caseId}/whistles`);
    assert.deepEqual([list.status, list.body.items.length, list.body.items[0].id], [200, 1, whistleId]);

    const stats = await w.get('jdld01', `/api/whistles/stats?from=${encodeURIComponent(new Date(Date.now() - 2 * 3600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`);
    assert.equal(stats.status, 200, stats.text);
    const byCode = Object.fromEntries(stats.body.departments.map((d: { code: string }) => [d.code, d]));
    assert.deepEqual([byCode.D01.summoned, byCode.D01.reportedIn, byCode.D01.onTimeRate], [1, 1, 1]);
    assert.deepEqual([byCode.D02.summoned, byCode.D02.reportInRate, byCode.D02.onTimeRate], [1, 1, 0]);
    assert.ok(stats.body.whistledCases >= 1 && stats.body.whistleRate > 0);
    w.setOffset(0);
  });

  it('日常哨 left unresolved goes to the district, which coordinates; the whistle ends unresolved', async () => {
    w.setOffset(0);
    const caseId = await newCase(w);
    await eventually('the case running', async () => ((await db()('cases').where({ id: caseId }).first('status'))?.status === 'running' ? true : undefined));
    const started = await w.post('jddd01', `/api/cases/${caseId}/whistles`, { kind: 'daily', reason: '占道经营屡禁不止', departments: ['D01'], leadDepartment: 'D01' });
    assert.equal(started.status, 200, started.text);
    const whistleId = String(started.body.id);
    await complete(w, 'bmcz01', await openStep(w, whistleId, 'reportIn', 'D01'), {});
    await complete(w, 'bmcz01', await openStep(w, whistleId, 'giveOpinion', 'D01'), { whistleOpinion: '需市场监管联合执法', whistleResult: '已劝离，次日复发' });
    await complete(w, 'bmcz01', await openStep(w, whistleId, 'consolidate'), { whistleResolved: false, whistleSummary: '街道层面无法根治' });
    const escalated = await whistleWhen(w, whistleId, 'escalated', (v) => v.status === 'escalated');
    assert.ok(escalated.escalatedAt);
    assert.equal((await notices('qddd01', 'whistle.escalated')).length, 1, 'the district dispatchers are told');
    const district = await openStep(w, whistleId, 'districtCoordinate');
    assert.equal((await w.post('jdld01', `/api/tasks/${district}/complete`, { values: {} })).status, 403, 'the street sees the district\'s step but cannot do it');
    await complete(w, 'qddd01', district, { districtResolved: false, districtOpinion: '纳入区级专项整治' });
    await complete(w, 'jdld01', await openStep(w, whistleId, 'rate'), { ratings: [{ department: 'D01', rating: '良好' }] });
    const closed = await whistleWhen(w, whistleId, 'closed unresolved', (v) => v.status === 'unresolved');
    assert.deepEqual([closed.resolved, closed.districtResolved, closed.districtOpinion, closed.departments[0].late], [false, false, '纳入区级专项整治', false]);
    const kinds = await timeline(caseId);
    assert.ok(kinds.includes('whistle.escalated') && kinds.includes('whistle.districtCoordinated'));
  });
});
