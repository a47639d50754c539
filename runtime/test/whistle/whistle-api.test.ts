/**
 * The whistle API without the engine, on SQLite and MariaDB: who may blow a whistle (the street
 * leader or dispatcher of the case's street; not community staff, not another street), bad input
 * refused with every bad field named and nothing written, no whistle without the engine, the
 * suggestion from the responsibility list, whistles visible to the case's readers and the summoned
 * departments only, and the statistics counted from the recorded report-ins.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { describeEachDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer, Credentials } from '../support/api-server.ts';
import { PLACE } from './whistle-world.ts';

const NOW = new Date('2026-11-23T02:00:00Z');

async function insertCase(db: Knex, values: Record<string, unknown> = {}): Promise<string> {
  const id = randomUUID();
  await db('cases').insert({
    id, process_definition_key: 'whistle-case', process_instance_id: `pi-${id}`, status: 'running', title: '占道经营', event_type: '01001', created_at: NOW, updated_at: NOW,
    grid_code: PLACE.grid, community_code: PLACE.community, street_code: PLACE.street, district_code: PLACE.district, ...values,
  });
  return id;
}

/** A whistle as the process would have recorded it: D01 reported in on time, D02 not at all (late). */
async function insertWhistle(db: Knex, caseId: string): Promise<string> {
  const id = randomUUID();
  await db('whistles').insert({
    id, case_id: caseId, kind: 'emergency', reason: '管道爆裂', lead_department: 'D01', status: 'open', process_instance_id: `wpi-${id}`, started_by: 1,
    street_code: PLACE.street, district_code: PLACE.district, report_in_due_at: new Date(NOW.getTime() + 15 * 60_000), handle_due_at: new Date(NOW.getTime() + 86_400_000), created_at: NOW,
  });
  await db('whistle_departments').insert([
    { whistle_id: id, department_code: 'D01', lead: true, reported_at: new Date(NOW.getTime() + 5 * 60_000), late: false },
    { whistle_id: id, department_code: 'D02', lead: false, late: true, urged_at: new Date(NOW.getTime() + 15 * 60_000) },
  ]);
  await db('case_parties').insert(['D01', 'D02'].map((code) => ({ case_id: caseId, relation: 'whistle', department_code: code, created_at: NOW })));
  return id;
}

const counts = async (db: Knex, caseId: string) => ({
  whistles: Number((await db('whistles').where({ case_id: caseId }).count({ n: '*' }).first())?.n),
  parties: Number((await db('case_parties').where({ case_id: caseId }).count({ n: '*' }).first())?.n),
  events: Number((await db('case_events').where({ case_id: caseId }).count({ n: '*' }).first())?.n),
});

describeEachDatabase('whistle API', (test) => {
  let server: ApiServer;
  const as: Record<string, Credentials> = {};
  const post = (user: string, path: string, body: unknown) => call(server.url, 'POST', path, { as: as[user], body });
  const get = (user: string, path: string) => call(server.url, 'GET', path, { as: as[user] });
  const valid = { kind: 'emergency', reason: '自来水管道爆裂', departments: ['D01', 'D02'], leadDepartment: 'D01' };

  test('who may blow a whistle, and bad input named field by field with nothing written', async ({ db }) => {
    await prepareDemoDatabase(db);
    server = await startApiServer(db, { clock: () => NOW });
    try {
      for (const u of ['jdld01', 'jddd01', 'jddd02', 'sqgzry01', 'bmcz01']) as[u] = await signIn(server.url, u);
      const caseId = await insertCase(db);
      const before = await counts(db, caseId);
      const community = await post('sqgzry01', `/api/cases/${caseId}/whistles`, valid);
      assert.deepEqual([community.status, community.body.error.code], [403, 'auth.forbidden'], 'community staff may not whistle');
      assert.equal((await post('bmcz01', `/api/cases/${caseId}/whistles`, valid)).status, 403, 'nor a department');
      assert.equal((await post('jddd02', `/api/cases/${caseId}/whistles`, valid)).status, 404, 'nor another street');
      assert.equal((await get('sqgzry01', `/api/cases/${caseId}/whistles/suggestion`)).status, 403);

      const bad = await post('jdld01', `/api/cases/${caseId}/whistles`, { kind: 'storm', reason: '暴雨积水', departments: ['D01', 'X99'], leadDepartment: 'D05' });
      assert.deepEqual([bad.status, bad.body.error.code], [400, 'whistle.invalid']);
      assert.deepEqual(bad.body.error.details.map((d: { target: string }) => d.target), ['/body/kind', '/body/departments/1', '/body/leadDepartment']);
      assert.match(bad.body.error.details[0].message, /daily（日常哨）/);
      const shape = await post('jdld01', `/api/cases/${caseId}/whistles`, { kind: 'daily', reason: '', departments: [], leadDepartment: 'D01' });
      assert.deepEqual([shape.status, shape.body.error.code], [400, 'request.invalid']);
      assert.deepEqual(shape.body.error.details.map((d: { target: string }) => d.target).sort(), ['/body/departments', '/body/reason']);

      const noEngine = await post('jddd01', `/api/cases/${caseId}/whistles`, valid);
      assert.equal(noEngine.status, 503, 'a whistle needs the engine');
      assert.deepEqual(await counts(db, caseId), before, 'refusals change nothing');

      const ended = await insertCase(db, { status: 'ended' });
      assert.equal((await post('jdld01', `/api/cases/${ended}/whistles`, valid)).body.error.code, 'whistle.caseNotRunning');
    } finally {
      await server.close();
    }
  });

  test('suggestion, visibility and statistics', async ({ db }) => {
    await prepareDemoDatabase(db);
    server = await startApiServer(db, { clock: () => NOW });
    try {
      for (const u of ['jdld01', 'bmcz01', 'bmcz02', 'bmcz03', 'jddd02', 'sj01']) as[u] = await signIn(server.url, u);
      const caseId = await insertCase(db);
      const suggestion = await get('jdld01', `/api/cases/${caseId}/whistles/suggestion`);
      assert.equal(suggestion.status, 200, suggestion.text);
      assert.deepEqual(suggestion.body.departments, [
        { code: 'D01', name: '区综合行政执法局', role: 'primary' }, { code: 'D14', name: suggestion.body.departments[1].name, role: 'assisting' },
      ]);
      const unknown = await insertCase(db, { event_type: null });
      assert.deepEqual((await get('jdld01', `/api/cases/${unknown}/whistles/suggestion`)).body.source, 'none');

      const whistleId = await insertWhistle(db, caseId);
      const seen = await get('bmcz02', `/api/whistles/${whistleId}`);
      assert.equal(seen.status, 200, seen.text);
      assert.deepEqual(seen.body.departments.map((d: { code: string; status: string; late: boolean }) => [d.code, d.status, d.late]), [['D01', 'reportedIn', false], ['D02', 'summoned', true]]);
      assert.equal(seen.body.kindName, '应急哨');
      assert.equal((await get('bmcz03', `/api/whistles/${whistleId}`)).status, 404, 'a department not summoned does not see it');
      assert.equal((await get('jddd02', `/api/whistles/${whistleId}`)).status, 404, 'nor another street');
      assert.equal((await get('sj01', `/api/whistles/${whistleId}`)).status, 403, 'nor a role that reads no cases');
      assert.equal((await get('bmcz01', `/api/cases/${caseId}/whistles`)).body.items.length, 1);

      const period = `from=${encodeURIComponent(new Date(NOW.getTime() - 3600_000).toISOString())}&to=${encodeURIComponent(new Date(NOW.getTime() + 3600_000).toISOString())}`;
      const stats = await get('jdld01', `/api/whistles/stats?${period}`);
      assert.equal(stats.status, 200, stats.text);
      const inStreet = Number((await db('cases').where({ street_code: PLACE.street }).count({ n: '*' }).first())?.n);
      assert.ok(inStreet >= 2);
      assert.deepEqual([stats.body.cases, stats.body.whistledCases, stats.body.whistleRate, stats.body.whistles], [inStreet, 1, 1 / inStreet, 1]);
      assert.deepEqual(stats.body.departments.map((d: Record<string, unknown>) => [d.code, d.summoned, d.reportedIn, d.reportedInOnTime, d.reportInRate, d.onTimeRate]), [
        ['D01', 1, 1, 1, 1, 1], ['D02', 1, 0, 0, 0, 0],
      ]);
      const outside = await get('jddd02', `/api/whistles/stats?${period}`);
      assert.deepEqual([outside.body.cases, outside.body.whistles, outside.body.departments], [0, 0, []], 'another street counts none of them');
      const backwards = await get('jdld01', `/api/whistles/stats?from=${encodeURIComponent(NOW.toISOString())}&to=${encodeURIComponent(NOW.toISOString())}`);
      assert.deepEqual([backwards.status, backwards.body.error.details[0].target], [400, '/query/from']);
    } finally {
      await server.close();
    }
  });
});
