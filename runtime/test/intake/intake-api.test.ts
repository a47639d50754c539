/**
 * Case intake through the API, on SQLite and MariaDB, without a running engine (cases are accepted
 * as `starting`; the engine tests start them): each channel, the place of a report, the reporter's
 * area, all problems at once, and the idempotency key (retries, conflicts, concurrent retries).
 */
import assert from 'node:assert/strict';
import { after } from 'node:test';
import type { Knex } from 'knex';
import { sampleJpeg } from '../attachments/fixtures/samples.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { call } from '../support/api-server.ts';
import type { Credentials } from '../support/api-server.ts';
import { citizenReport, closeWorlds, GRID_A, GRID_B, inGridA, inGridB, intakeWorld, nowhere, OTHER_COMMUNITY_GRID, PLACE_A, point, staffReport, targets } from './intake-world.ts';

after(closeWorlds);

async function uploadPhoto(base: string, as: Credentials): Promise<string> {
  const res = await fetch(`${base}/api/attachments?kind=photo&name=scene.jpg`, {
    method: 'POST', headers: { 'content-type': 'application/octet-stream', cookie: as.cookie ?? '', 'x-csrf-token': as.csrf ?? '' }, body: sampleJpeg(),
  });
  return (await res.json() as { id: string }).id;
}

const userId = async (db: Knex, username: string) => Number((await db('users').where({ username }).first('id')).id);

describeEachDatabase('case intake through the API (engine not running)', (test) => {
  test('given a grid worker, when they report in their grid with a photo, then the case is accepted as starting with its place, reporter, values, photo and audit record', async ({ db }) => {
    const w = await intakeWorld(db);
    const wgy001 = await w.as('wgy001');
    const photo = await uploadPhoto(w.server.url, wgy001);
    const r = await w.report(wgy001, staffReport({ grid: GRID_A, photos: [photo] }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.status, 'starting');
    assert.equal(r.body.trackingCode, undefined, 'staff follow their cases in the workbench');
    assert.deepEqual(r.body.possibleDuplicates, []);
    const row = await db('cases').where({ id: r.body.caseId }).first();
    assert.deepEqual([row.status, row.channel, row.event_type, row.title, row.reporter_name, row.process_definition_key, row.start_claimed_until],
      ['starting', 'grid', '01002', '暴露垃圾（历下区舜耕路 28 号小区门口）', '刘芳', 'case-handling', null]);
    assert.deepEqual([row.grid_code, row.community_code, row.street_code, row.district_code], Object.values(PLACE_A));
    assert.deepEqual(JSON.parse(row.start_variables), {
      caseId: r.body.caseId, eventType: '01002', ...PLACE_A, channel: 'grid', selfHandled: false, urgent: false, reporterUsername: 'wgy001',
    });
    assert.equal(JSON.parse(row.form_values).grid, GRID_A);
    const party = await db('case_parties').where({ case_id: r.body.caseId }).select('relation', 'user_id');
    assert.deepEqual(party.map((p) => [p.relation, Number(p.user_id)]), [['reporter', await userId(db, 'wgy001')]]);
    assert.equal((await db('attachments').where({ id: photo }).first('case_id')).case_id, r.body.caseId, 'the photo joined the case');
    const audit = await db('audit_log').where({ action: 'case.report', target_id: r.body.caseId }).first('actor_username', 'entry');
    assert.equal(audit.actor_username, 'wgy001');
    assert.equal(JSON.parse(audit.entry).details.channel, 'grid');
  });

  test('given a grid worker, when they report in another grid of their community, then it is accepted; in another community it is refused naming the field', async ({ db }) => {
    const w = await intakeWorld(db);
    const wgy001 = await w.as('wgy001');
    const neighbour = await w.report(wgy001, staffReport({ grid: GRID_B, location: inGridB() }));
    assert.equal(neighbour.status, 201, neighbour.text);
    const byGrid = await w.report(wgy001, staffReport({ grid: OTHER_COMMUNITY_GRID }));
    assert.deepEqual([byGrid.status, byGrid.body.error.code, targets(byGrid)], [403, 'intake.outsideArea', ['/body/values/grid']]);
    const byLocation = await w.report(wgy001, staffReport({ location: point(117.099, 36.6606) }));
    assert.deepEqual([byLocation.status, targets(byLocation)], [403, ['/body/values/location']]);
  });

  test('given a citizen, when they report anonymously with a location only, then the grid comes from the boundaries, no contact is kept, and a tracking code is shown once', async ({ db }) => {
    const w = await intakeWorld(db);
    const sm01 = await w.as('sm01');
    const r = await w.report(sm01, citizenReport({ location: inGridB() }));
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.trackingCode, /^[2-9A-HJKMNP-Z]{12}$/);
    const row = await db('cases').where({ id: r.body.caseId }).first();
    assert.deepEqual([row.grid_code, row.channel, row.reporter_name, row.reporter_phone], [GRID_B, 'citizen', null, null]);
    assert.equal(JSON.parse(row.start_variables).reporterUsername, null, 'the process does not learn who reported anonymously');
    assert.equal('reporterName' in JSON.parse(row.form_values), false);
    const codes = await db('case_tracking_codes').where({ case_id: r.body.caseId }).pluck('code_digest');
    assert.equal(codes.length, 1);
    assert.notEqual(codes[0], r.body.trackingCode, 'only the digest is stored');
    const own = await call(w.server.url, 'GET', `/api/cases/${r.body.caseId}`, { as: sm01 });
    assert.deepEqual([own.status, own.body.channel, own.body.eventType, own.body.reporterName], [200, 'citizen', '01004', null], 'the citizen still follows their own report');
    const grid = await w.report(sm01, citizenReport({ grid: GRID_A }));
    assert.deepEqual([grid.status, targets(grid)], [400, ['/body/values/grid']], 'citizens do not choose grids');
  });

  test('given a 12345 operator, when they register a call, then the channel is hotline, the caller\'s contact is kept and the caller gets a tracking code', async ({ db }) => {
    const w = await intakeWorld(db);
    const r = await w.report(await w.as('rx01'), staffReport({ eventType: '04001', reporterName: '赵先生', reporterPhone: '13900009999', location: inGridA(0, -300) }));
    assert.equal(r.status, 201, r.text);
    assert.equal(typeof r.body.trackingCode, 'string');
    const row = await db('cases').where({ id: r.body.caseId }).first();
    assert.deepEqual([row.channel, row.reporter_name, row.reporter_phone, row.grid_code], ['hotline', '赵先生', '13900009999', GRID_A]);
    assert.equal(JSON.parse(row.start_variables).urgent, true, 'an urgent subclass makes the case urgent');
  });

  test('given boundaries, when a location is in a base grid and a department grid, then the base grid is chosen; outside every boundary, the location is named', async ({ db }) => {
    const w = await intakeWorld(db);
    const sm01 = await w.as('sm01');
    const overlap = await w.report(sm01, citizenReport({ location: point(117.024, 36.695) }));
    assert.equal((await db('cases').where({ id: overlap.body.caseId }).first('grid_code')).grid_code, '370102004001001');
    const outside = await w.report(sm01, citizenReport({ location: nowhere() }));
    assert.deepEqual([outside.status, outside.body.error.code, targets(outside)], [400, 'form.invalid', ['/body/values/location']]);
    const unknown = await w.report(await w.as('jddd01'), staffReport({ grid: '370102999999999' }));
    assert.deepEqual([unknown.status, targets(unknown)], [400, ['/body/values/grid']]);
  });

  test('given a report with several mistakes, when it is sent, then every problem is named at once and nothing is stored', async ({ db }) => {
    const w = await intakeWorld(db);
    const before = (await db('cases').count({ n: '*' }))[0]?.n;
    const r = await w.report(await w.as('wgy001'), staffReport({ eventType: '99999', description: undefined, reporterPhone: '12345', selfHandled: true }));
    assert.equal(r.status, 400);
    assert.deepEqual(targets(r).sort(), ['/body/values/description', '/body/values/eventType', '/body/values/reporterPhone', '/body/values/selfHandleResult']);
    assert.equal((await db('cases').count({ n: '*' }))[0]?.n, before);
  });

  test('given an idempotency key, when a report is retried, then the same case comes back; another body under the key is refused naming the header', async ({ db }) => {
    const w = await intakeWorld(db);
    const jddd01 = await w.as('jddd01');
    const missing = await call(w.server.url, 'POST', '/api/cases', { as: jddd01, body: { values: staffReport() } });
    assert.deepEqual([missing.status, targets(missing)], [400, ['/headers/idempotency-key']]);
    const values = staffReport({ eventType: '01003', location: inGridA(0, 400) });
    const first = await w.report(jddd01, values, { key: 'retry-1' });
    const again = await w.report(jddd01, { ...values }, { key: 'retry-1' });
    assert.deepEqual([first.status, again.status], [201, 201]);
    assert.deepEqual(again.body, first.body, 'the same response');
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal((await db('cases').where({ event_type: '01003' }).count({ n: '*' }))[0]?.n, 1);
    const other = await w.report(jddd01, { ...values, description: '另一件事：路灯不亮已有三天' }, { key: 'retry-1' });
    assert.deepEqual([other.status, other.body.error.code, targets(other)], [409, 'intake.idempotencyConflict', ['/headers/idempotency-key']]);
    const otherUser = await w.report(await w.as('qddd01'), values, { key: 'retry-1' });
    assert.equal(otherUser.status, 201, 'keys are per user');
    assert.notEqual(otherUser.body.caseId, first.body.caseId);
  });

  test('given a tracked report, when it is retried, then the retry carries a new code for the same case (codes are not kept in clear)', async ({ db }) => {
    const w = await intakeWorld(db);
    const sm01 = await w.as('sm01');
    const values = citizenReport({ eventType: '01005', location: inGridA(0, -600) });
    const [first, again] = [await w.report(sm01, values, { key: 'tracked-1' }), await w.report(sm01, values, { key: 'tracked-1' })];
    assert.equal(again.body.caseId, first.body.caseId);
    assert.notEqual(again.body.trackingCode, first.body.trackingCode);
    for (const code of [first.body.trackingCode, again.body.trackingCode]) {
      assert.equal((await call(w.server.url, 'GET', `/api/public/track/${code}`)).status, 200, 'both codes track the case');
    }
  });

  test('given five identical requests at once, when they race, then one case is created and all five get it', async ({ db }) => {
    const w = await intakeWorld(db);
    const wgy002 = await w.as('wgy002');
    const values = staffReport({ eventType: '01006', grid: GRID_B, location: inGridB() });
    const responses = await Promise.all(Array.from({ length: 5 }, () => w.report(wgy002, values, { key: 'race-1' })));
    assert.deepEqual(responses.map((r) => r.status), [201, 201, 201, 201, 201], responses.map((r) => r.text).join('\n'));
    assert.equal(new Set(responses.map((r) => r.body.caseId)).size, 1);
    assert.equal((await db('cases').where({ event_type: '01006' }).count({ n: '*' }))[0]?.n, 1);
    assert.equal((await db('intake_requests').where({ idempotency_key: 'race-1' }).count({ n: '*' }))[0]?.n, 1);
    assert.equal((await db('audit_log').where({ action: 'case.report', target_id: responses[0]?.body.caseId }).count({ n: '*' }))[0]?.n, 1);
  });

  test('given the channel, when a cookie session claims "api", then it is refused; a bearer client may report as api', async ({ db }) => {
    const w = await intakeWorld(db);
    const cookie = await w.report(await w.as('jddd01'), staffReport(), { channel: 'api' });
    assert.deepEqual([cookie.status, targets(cookie)], [400, ['/body/channel']]);
    const api = await w.report(await w.bearer('jddd01'), staffReport({ eventType: '01007' }), { channel: 'api' });
    assert.equal(api.status, 201, api.text);
    assert.equal((await db('cases').where({ id: api.body.caseId }).first('channel')).channel, 'api');
    assert.equal(typeof api.body.trackingCode, 'string', 'systems forwarding reports get a code for their users');
  });
});
