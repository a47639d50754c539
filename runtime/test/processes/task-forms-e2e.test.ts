/**
 * Task forms end to end: the standard case-handling process of the demo district on the real
 * engine (started by GridFlow's EngineHost, tasks projected through the outbox), every step done
 * through the HTTP API by the user whose scoped candidate group the step names, each form checked
 * on the server (field rules of the step and role, conditional requirements, attachments).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { eventually } from '@gridflow/engine/testing';
import { loadConfig } from '../../src/config.ts';
import { EngineHost } from '../../src/engine-host/engine-host.ts';
import { loadPlugins } from '../../src/plugins/load-plugins.ts';
import { sampleJpeg } from '../attachments/fixtures/samples.ts';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer, Credentials } from '../support/api-server.ts';

const GRID = '370102002001001';
const place = { gridCode: GRID, communityCode: '370102002001', streetCode: '370102002', districtCode: '370102' };
const report = {
  eventType: '01001', title: '楼道堆放杂物堵塞消防通道', description: '3 号楼 2 单元楼道堆满纸箱，堵塞消防通道', address: '历下区解放路 12 号 3 号楼',
  location: { type: 'Point', coordinates: [117.02, 36.66] }, urgent: false, anonymous: false, reporterName: '王小明', reporterPhone: '13900001111',
};

async function upload(base: string, as: Credentials): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', cookie: as.cookie ?? '', 'x-csrf-token': as.csrf ?? '' };
  const res = await fetch(`${base}/api/attachments?kind=photo&name=scene.jpg`, { method: 'POST', headers, body: sampleJpeg() });
  const body = await res.json() as { id: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.id;
}

describe('task forms of the standard case-handling process, end to end on the real engine', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let host: EngineHost;
  let server: ApiServer;
  const as: Record<string, Credentials> = {};
  let caseId = '';

  /** The open task of the case at a step, as the user sees it in their inbox. */
  const taskAt = (user: string, key: string) => eventually(`${key} in ${user}'s inbox`, async () => {
    const inbox = await call(server.url, 'GET', '/api/tasks?limit=200', { as: as[user] });
    return (inbox.body.items as { id: string; caseId: string; taskKey: string }[]).find((t) => t.caseId === caseId && t.taskKey === key);
  }, 30_000);
  const complete = (user: string, taskId: string, values: Record<string, unknown>) => call(server.url, 'POST', `/api/tasks/${taskId}/complete`, { as: as[user], body: { values } });

  before(async () => {
    database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gf-e2e-')) });
    host = await EngineHost.start(database.db, config.engine, await loadPlugins(config.plugins), pino({ level: 'silent' }));
    server = await startApiServer(database.db, { engine: host });
    for (const u of ['wgy001', 'jddd01', 'bmcz01', 'bmcz02', 'sqgzry01']) as[u] = await signIn(server.url, u);
    // What intake records for a grid worker's report (the intake API comes with case handling).
    const started = await host.cases.start({ processKey: 'case-handling', orgUnitCode: GRID, variables: { ...place, eventType: report.eventType, selfHandled: false, urgent: false, reporterUsername: 'wgy001' } });
    caseId = started.caseId;
    const reporter = await database.db('users').where({ username: 'wgy001' }).first('id');
    await database.db('cases').where({ id: caseId }).update({
      title: report.title, grid_code: GRID, community_code: place.communityCode, street_code: place.streetCode, district_code: place.districtCode,
      reporter_name: report.reporterName, reporter_phone: report.reporterPhone, address: report.address, form_key: 'event-report', form_version: 1, form_values: JSON.stringify(report),
    });
    await database.db('case_parties').insert({ case_id: caseId, relation: 'reporter', user_id: reporter.id, created_at: new Date() });
  });
  after(async () => {
    await server?.close();
    await host?.stop();
    await database?.drop();
  });

  it('accept: the street dispatcher decides; a refusal needs its reason; the report itself stays read-only', async () => {
    const task = await taskAt('jddd01', 'accept');
    const form = await call(server.url, 'GET', `/api/tasks/${task.id}/form`, { as: as.jddd01 });
    assert.equal(form.status, 200);
    assert.deepEqual([form.body.access.acceptDecision, form.body.access.rejectReason, form.body.access.description, form.body.access.reporterPhone], ['required', 'hidden', 'readOnly', 'readOnly']);
    assert.equal(form.body.values.description, report.description, 'the task form shows the report');
    const noReason = await complete('jddd01', task.id, { acceptDecision: '不予立案' });
    assert.equal(noReason.status, 400);
    assert.deepEqual(noReason.body.error.details.map((d: { target: string }) => d.target), ['/body/values/rejectReason']);
    const rewrite = await complete('jddd01', task.id, { acceptDecision: '立案', description: '改写' });
    assert.deepEqual(rewrite.body.error.details.map((d: { target: string }) => d.target), ['/body/values/description']);
    assert.equal((await complete('wgy001', task.id, { acceptDecision: '立案' })).status, 404, 'a grid worker has no business with this step');
    const done = await complete('jddd01', task.id, { acceptDecision: '立案', acceptOpinion: '符合立案条件' });
    assert.equal(done.status, 200, done.text);
  });

  it('dispatch: the form opens with the responsibility list\'s suggestion; a department is required when dispatching to departments', async () => {
    const task = await taskAt('jddd01', 'dispatch');
    const form = await call(server.url, 'GET', `/api/tasks/${task.id}/form`, { as: as.jddd01 });
    assert.equal(form.status, 200, form.text);
    assert.deepEqual([form.body.values.handlingLevel, form.body.values.primaryDepartment, form.body.values.assistingDepartments], ['department', 'D01', ['D14']]);
    const missing = await complete('jddd01', task.id, { handlingLevel: 'department', primaryDepartment: null });
    assert.deepEqual([...new Set(missing.body.error.details.map((d: { target: string }) => d.target))], ['/body/values/primaryDepartment']);
    assert.equal((await complete('jddd01', task.id, { handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: [], dispatchOpinion: '请城管执法处置' })).status, 200);
  });

  it('handle: only the dispatched department gets the task; its photos must be its own uploads and join the case', async () => {
    const task = await taskAt('bmcz01', 'handleDepartment');
    const inbox = await call(server.url, 'GET', '/api/tasks?limit=200', { as: as.bmcz02 });
    assert.equal(inbox.body.items.some((t: { caseId: string }) => t.caseId === caseId), false, 'another department does not see it');
    const foreign = await upload(server.url, as.wgy001 as Credentials);
    const own = await upload(server.url, as.bmcz01 as Credentials);
    const stolen = await complete('bmcz01', task.id, { handleResult: '已处置', handleDescription: '已清理楼道杂物', handlePhotos: [own, foreign] });
    assert.equal(stolen.status, 400);
    assert.deepEqual(stolen.body.error.details.map((d: { target: string }) => d.target), ['/body/values/handlePhotos/1']);
    const noDescription = await complete('bmcz01', task.id, { handleResult: '已处置' });
    assert.deepEqual(noDescription.body.error.details.map((d: { target: string }) => d.target), ['/body/values/handleDescription']);
    assert.equal((await complete('bmcz01', task.id, { handleResult: '已处置', handleDescription: '已清理楼道杂物', handlePhotos: [own] })).status, 200);
    assert.equal((await database.db('attachments').where({ id: own }).first('case_id')).case_id, caseId, 'the photo joined the case');
    assert.equal((await database.db('attachments').where({ id: foreign }).first('case_id')).case_id, null);
  });

  it('verify, close and return visit complete the loop; the case keeps every step\'s values', async () => {
    const verify = await taskAt('wgy001', 'verify');
    const failedWithout = await complete('wgy001', verify.id, { verifyPassed: false });
    assert.deepEqual(failedWithout.body.error.details.map((d: { target: string }) => d.target), ['/body/values/verifyOpinion']);
    assert.equal((await complete('wgy001', verify.id, { verifyPassed: true })).status, 200);
    const close = await taskAt('jddd01', 'close');
    assert.equal((await complete('jddd01', close.id, { closeOpinion: '核查通过，同意结案' })).status, 200);
    const visit = await taskAt('wgy001', 'returnVisit');
    const visitForm = await call(server.url, 'GET', `/api/tasks/${visit.id}/form`, { as: as.wgy001 });
    assert.equal(visitForm.body.values.reporterPhone, report.reporterPhone, 'the reporter\'s phone in clear for the return visit by their grid worker');
    assert.equal((await complete('wgy001', visit.id, { satisfaction: '满意', visitMethod: '电话' })).status, 200);
    await eventually('the case to end', async () => ((await database.db('cases').where({ id: caseId }).first('status')).status === 'ended' ? true : undefined), 30_000);
    const values = JSON.parse((await database.db('cases').where({ id: caseId }).first('form_values')).form_values);
    assert.deepEqual(
      [values.description, values.acceptDecision, values.primaryDepartment, values.handleDescription, values.verifyPassed, values.closeOpinion, values.satisfaction],
      [report.description, '立案', 'D01', '已清理楼道杂物', true, '核查通过，同意结案', '满意'],
    );
    const submissions = await database.db('form_submissions').where({ case_id: caseId }).select('status', 'form_key');
    assert.deepEqual(submissions.filter((s) => s.status === 'accepted').map((s) => s.form_key).sort(), ['case-accept', 'case-close', 'case-dispatch', 'case-handle', 'case-return-visit', 'case-verify']);
    assert.equal(submissions.filter((s) => s.status !== 'accepted').length, 0, 'refused submissions are never stored');
  });

  it('the timeline holds every step with its actor, role, time, opinion and attachments, in order', async () => {
    const timeline = await eventually('the case ended in the timeline', async () => {
      const r = await call(server.url, 'GET', `/api/cases/${caseId}/timeline`, { as: as.jddd01 });
      return (r.body.items as { kind: string }[]).some((e) => e.kind === 'case.ended') ? r.body.items as { kind: string; step: { key: string } | null; actor: { username: string; roles: string[] } | null; opinion: string | null; attachments: string[] }[] : undefined;
    });
    const completed = timeline.filter((e) => e.kind === 'step.completed').map((e) => [e.step?.key, e.actor?.username, e.opinion]);
    assert.deepEqual(completed, [
      ['accept', 'jddd01', '符合立案条件'], ['dispatch', 'jddd01', '请城管执法处置'], ['handleDepartment', 'bmcz01', '已清理楼道杂物'],
      ['verify', 'wgy001', null], ['close', 'jddd01', '核查通过，同意结案'], ['returnVisit', 'wgy001', null],
    ]);
    assert.deepEqual(timeline.filter((e) => e.kind === 'step.arrived').map((e) => e.step?.key), ['accept', 'dispatch', 'handleDepartment', 'verify', 'close', 'returnVisit']);
    assert.ok(timeline.some((e) => e.kind === 'dispatch.suggested'), 'the suggestion is on the timeline');
    const handled = timeline.find((e) => e.kind === 'step.completed' && e.step?.key === 'handleDepartment');
    assert.equal(handled?.attachments.length, 1, 'the handling photo is on its step');
    assert.deepEqual(handled?.actor?.roles, ['department-handler']);
    assert.equal(timeline.at(-1)?.kind, 'case.ended');
    assert.equal((await call(server.url, 'GET', `/api/cases/${caseId}/timeline`, { as: as.bmcz02 })).status, 404, 'another department cannot read it');
  });
});
