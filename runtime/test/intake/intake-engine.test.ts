/**
 * Intake on the real engine (the demo district's case-handling process started by GridFlow's
 * EngineHost, tasks projected through the outbox): each channel starts the process with the right
 * variables, retries start one instance, a merged duplicate's instance leaves the engine, and a
 * report accepted while the engine is unreachable is started by the reconciler.
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
import { engineFetch, EngineHttpError } from '../../src/engine-sync/engine-connection.ts';
import { loadPlugins } from '../../src/plugins/load-plugins.ts';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer } from '../support/api-server.ts';
import { citizenReport, closeWorlds, GRID_A, inGridA, intakeWorld, staffReport } from './intake-world.ts';
import type { IntakeWorld } from './intake-world.ts';

describe('intake on the real engine', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let host: EngineHost;
  let w: IntakeWorld;
  let offline: ApiServer | undefined;

  /** The open task of a case in a user's inbox. */
  const taskOf = (user: string, caseId: string) => eventually(`a task of ${caseId.slice(0, 8)} in ${user}'s inbox`, async () => {
    const inbox = await call(w.server.url, 'GET', '/api/tasks?limit=200', { as: await w.as(user) });
    return (inbox.body.items as { id: string; caseId: string; taskKey: string }[]).find((t) => t.caseId === caseId);
  }, 30_000);
  const instanceOf = async (caseId: string) => String((await database.db('cases').where({ id: caseId }).first('process_instance_id')).process_instance_id);
  const variable = (instanceId: string, name: string) => engineFetch<{ type: string; value: unknown }>(host.connection, 'GET', `/engine-rest/process-instance/${instanceId}/variables/${name}`);

  before(async () => {
    database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gf-intake-')) });
    host = await EngineHost.start(database.db, config.engine, await loadPlugins(config.plugins), pino({ level: 'silent' }));
    w = await intakeWorld(database.db, host);
  });
  after(async () => {
    await offline?.close();
    await closeWorlds();
    await host?.stop();
    await database?.drop();
  });

  it('given a grid worker who handled it on the spot (自行处置), when they report, then the process goes straight to closing', async () => {
    const r = await w.report(await w.as('wgy001'), staffReport({ grid: GRID_A, selfHandled: true, selfHandleResult: '已当场清理干净' }));
    assert.deepEqual([r.status, r.body.status], [201, 'running'], r.text);
    const task = await taskOf('jddd01', r.body.caseId);
    assert.equal(task.taskKey, 'close');
    assert.deepEqual(await variable(await instanceOf(r.body.caseId), 'selfHandled'), { type: 'Boolean', value: true, valueInfo: {} });
  });

  it('given a citizen\'s anonymous report, when it starts, then the process does not name the reporter and the tracking view shows the first step', async () => {
    const r = await w.report(await w.as('sm01'), citizenReport({ eventType: '03001' }));
    assert.deepEqual([r.status, r.body.status], [201, 'running'], r.text);
    assert.equal((await taskOf('jddd01', r.body.caseId)).taskKey, 'accept');
    assert.equal((await variable(await instanceOf(r.body.caseId), 'reporterUsername')).value, null);
    const view = await call(w.server.url, 'GET', `/api/public/track/${r.body.trackingCode}`);
    assert.deepEqual([view.body.status, view.body.steps.map((s: { name: string }) => s.name)], ['running', ['受理立案']]);
    assert.equal(/jddd|street-dispatcher|sm01/.test(view.text), false, 'no staff or reporter identities');
  });

  it('given a 12345 call, when the operator registers it, then the process starts at acceptance with the hotline channel', async () => {
    const r = await w.report(await w.as('rx01'), staffReport({ eventType: '03002', reporterName: '孙先生', reporterPhone: '13700001111' }));
    assert.equal(r.status, 201, r.text);
    assert.equal((await taskOf('jddd01', r.body.caseId)).taskKey, 'accept');
    assert.equal((await variable(await instanceOf(r.body.caseId), 'channel')).value, 'hotline');
  });

  it('given a retried report, when the retry arrives, then the engine has one instance for the case', async () => {
    const values = staffReport({ eventType: '03003', location: inGridA(0, 250) });
    const jddd01 = await w.as('jddd01');
    const [first, again] = [await w.report(jddd01, values, { key: 'engine-retry' }), await w.report(jddd01, values, { key: 'engine-retry' })];
    assert.equal(again.body.caseId, first.body.caseId);
    const instances = await engineFetch<unknown[]>(host.connection, 'GET', `/engine-rest/history/process-instance?processInstanceBusinessKey=${first.body.caseId}`);
    assert.equal(instances.length, 1);
  });

  it('given a flagged duplicate, when the dispatcher merges it, then its instance is gone, its reporter follows the target and its code shows the target', async () => {
    const target = await w.report(await w.as('wgy001'), staffReport({ eventType: '03004' }));
    const duplicate = await w.report(await w.as('sm01'), citizenReport({ eventType: '03004', location: inGridA(30, 30) }));
    const jddd01 = await w.as('jddd01');
    const flagged = await call(w.server.url, 'GET', `/api/cases/${target.body.caseId}/duplicates`, { as: jddd01 });
    assert.deepEqual(flagged.body.items.map((d: { caseId: string }) => d.caseId), [duplicate.body.caseId]);
    const instance = await instanceOf(duplicate.body.caseId);
    const merged = await call(w.server.url, 'POST', `/api/cases/${duplicate.body.caseId}/merge`, { as: jddd01, body: { into: target.body.caseId, reason: '同一地点同一问题' } });
    assert.deepEqual([merged.status, merged.body.instanceEnded], [200, true], merged.text);
    await assert.rejects(engineFetch(host.connection, 'GET', `/engine-rest/process-instance/${instance}`), (e: unknown) => e instanceof EngineHttpError && e.status === 404);
    const history = await engineFetch<{ state: string }>(host.connection, 'GET', `/engine-rest/history/process-instance/${instance}`);
    assert.equal(history.state, 'EXTERNALLY_TERMINATED');
    await eventually('the duplicate\'s task to leave the projection', async () => ((await database.db('tasks').where({ case_id: duplicate.body.caseId, status: 'open' }).first()) ? undefined : true), 30_000);
    const row = await database.db('cases').where({ id: duplicate.body.caseId }).first('status', 'merged_into', 'ended_at');
    assert.deepEqual([row.status, row.merged_into, row.ended_at !== null], ['merged', target.body.caseId, true], 'the engine\'s end event leaves the merge in place');
    const shown = await call(w.server.url, 'GET', `/api/cases/${duplicate.body.caseId}`, { as: jddd01 });
    assert.deepEqual([shown.body.status, shown.body.mergedInto], ['merged', target.body.caseId]);
    assert.equal((await call(w.server.url, 'GET', `/api/cases/${target.body.caseId}`, { as: await w.as('sm01') })).status, 200, 'the citizen follows the target');
    const view = await call(w.server.url, 'GET', `/api/public/track/${duplicate.body.trackingCode}`);
    assert.deepEqual([view.body.merged, view.body.status], [true, 'running']);
    assert.equal(await database.db('audit_log').whereIn('action', ['case.merge', 'case.mergeReceive']).count({ n: '*' }).then((r) => Number(r[0]?.n)), 2);
  });

  it('given the engine unreachable, when a report arrives, then it is accepted as starting and the reconciler starts it; a merge made then is finished by the reconciler', async () => {
    offline = await startApiServer(database.db, { engine: { status: 'up', connection: { url: 'http://127.0.0.1:1', secret: 'x' } } });
    const as = await signIn(offline.url, 'wgy001');
    const r = await call(offline.url, 'POST', '/api/cases', { as, body: { values: staffReport({ eventType: '03005' }) }, headers: { 'idempotency-key': 'offline-1' } });
    assert.deepEqual([r.status, r.body.status], [201, 'starting'], r.text);
    const row = await database.db('cases').where({ id: r.body.caseId }).first('status', 'start_error', 'start_claimed_until');
    assert.deepEqual([row.status, row.start_error !== null, row.start_claimed_until], ['starting', true, null]);
    const report = await host.reconciler.run(0);
    assert.ok(report.casesStarted >= 1);
    assert.equal((await taskOf('jddd01', r.body.caseId)).taskKey, 'accept');

    const other = await w.report(await w.as('wgy001'), staffReport({ eventType: '03005', location: inGridA(20, 0) }));
    const instance = await instanceOf(other.body.caseId);
    const dispatcher = await signIn(offline.url, 'jddd01');
    const merged = await call(offline.url, 'POST', `/api/cases/${other.body.caseId}/merge`, { as: dispatcher, body: { into: r.body.caseId, reason: '重复上报' } });
    assert.deepEqual([merged.status, merged.body.instanceEnded], [200, false], merged.text);
    assert.equal((await host.reconciler.run(0)).mergedEnded, 1);
    const history = await engineFetch<{ state: string }>(host.connection, 'GET', `/engine-rest/history/process-instance/${instance}`);
    assert.equal(history.state, 'EXTERNALLY_TERMINATED');
    const recorded = await engineFetch<{ name: string; value: unknown }[]>(host.connection, 'GET', `/engine-rest/history/variable-instance?processInstanceId=${instance}&variableName=mergedInto`);
    assert.deepEqual(recorded.map((v) => v.value), [r.body.caseId], 'the engine\'s history records why the instance ended');
  });
});
