import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn } from '../support/api-server.ts';
import { startApiServer } from '../support/api-server.ts';
import { settlePendingSubmissions } from '../../src/forms/form-submissions.ts';
import type { ApiServer, Credentials } from '../support/api-server.ts';

const GRID = '370102002001001';

async function givenCase(db: Knex, reporter: string, taskKey: string, assignee: string): Promise<{ caseId: string; taskId: string }> {
  const caseId = randomUUID();
  const taskId = `t-${randomUUID()}`;
  const now = new Date('2026-11-23T08:00:00Z');
  const user = await db('users').where({ username: reporter }).first('id');
  await db('cases').insert({
    id: caseId, process_definition_key: 'closed-loop', process_instance_id: `pi-${caseId}`, status: 'running', title: '消防通道堵塞',
    grid_code: GRID, community_code: GRID.slice(0, 12), street_code: GRID.slice(0, 9), district_code: GRID.slice(0, 6),
    reporter_name: '张伟', reporter_phone: '13853100101', address: '示范区解放路 1 号院 2 号楼', location_lon: 117.05, location_lat: 36.67, created_at: now, updated_at: now,
  });
  await db('case_parties').insert({ case_id: caseId, relation: 'reporter', user_id: user.id, created_at: now });
  await db('tasks').insert({ id: taskId, case_id: caseId, process_instance_id: `pi-${caseId}`, task_definition_key: taskKey, name: taskKey, assignee, status: 'open', created_at: now, last_event_id: 1 });
  return { caseId, taskId };
}

describe('personal data and separation of duties', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let server: ApiServer;
  const as: Record<string, Credentials> = {};

  before(async () => {
    database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    server = await startApiServer(database.db);
    for (const u of ['wgy001', 'jdld01', 'sqgzry01', 'admin', 'sj01']) as[u] = await signIn(server.url, u);
  });
  after(async () => {
    await server.close();
    await database.drop();
  });

  it('shows personal data in clear only to roles that may unmask it, and audits every such read', async () => {
    const { caseId } = await givenCase(database.db, 'wgy001', 'handle', 'wgy001');
    const leader = await call(server.url, 'GET', `/api/cases/${caseId}`, { as: as.jdld01 });
    assert.equal(leader.status, 200, 'the street leader sees the case in their street');
    assert.equal(leader.body.reporterPhone, '138****0101');
    assert.equal(leader.body.reporterName, '张*');
    assert.equal(leader.body.address, '示范区解放路****');
    assert.equal(leader.body.location, null);
    assert.equal(await database.db('audit_log').where({ action: 'personalData.read', target_id: caseId }).first(), undefined, 'masked reads are not sensitive reads');

    const staff = await call(server.url, 'GET', `/api/cases/${caseId}`, { as: as.sqgzry01 });
    assert.equal(staff.body.reporterPhone, '13853100101', 'community staff may unmask within their community');
    assert.deepEqual(staff.body.location, { lon: 117.05, lat: 36.67 });
    const record = await database.db('audit_log').where({ action: 'personalData.read', target_id: caseId }).first();
    const entry = JSON.parse(record.entry);
    assert.equal(entry.actor.username, 'sqgzry01');
    assert.deepEqual(entry.details.records[0].fields.sort(), ['address', 'location', 'reporterName', 'reporterPhone']);
    assert.ok(entry.ip);
  });

  it('masks phones in user lists for everyone but the system administrator, whose reads are audited', async () => {
    const staff = await call(server.url, 'GET', '/api/users?q=wgy00', { as: as.sqgzry01 });
    assert.ok(staff.body.items.length > 0);
    assert.ok(staff.body.items.every((u: { phone: string | null }) => u.phone === null || /^\d{3}\*{4}\d{4}$/.test(u.phone)));
    const admin = await call(server.url, 'GET', '/api/users/wgy001', { as: as.admin });
    assert.equal(admin.body.phone, '13853100101');
    assert.ok(await database.db('audit_log').where({ action: 'personalData.read', actor_username: 'admin' }).first());
  });

  it('refuses the reporter closing their own case, naming the rule, while other steps pass', async () => {
    const close = await givenCase(database.db, 'wgy001', 'close', 'wgy001');
    const refused = await call(server.url, 'POST', `/api/tasks/${close.taskId}/complete`, { as: as.wgy001, body: {} });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'auth.separationOfDuties');
    assert.equal(refused.body.error.message, '职责分离：上报人不得结案本人上报的事件');
    const handle = await givenCase(database.db, 'wgy001', 'handle', 'wgy001');
    const passed = await call(server.url, 'POST', `/api/tasks/${handle.taskId}/complete`, { as: as.wgy001, body: {} });
    assert.equal(passed.status, 503, 'authorized; only the engine is missing in this test');
    const other = await givenCase(database.db, 'wgy002', 'close', 'wgy001');
    assert.equal((await call(server.url, 'POST', `/api/tasks/${other.taskId}/complete`, { as: as.wgy001, body: {} })).status, 503, 'closing a case someone else reported is allowed');
  });

  it('refuses an administrator changing their own roles, audits permission changes with before and after', async () => {
    const self = await call(server.url, 'PUT', '/api/users/admin/roles', { as: as.admin, body: { roles: ['system-admin', 'auditor'] } });
    assert.equal(self.status, 403);
    assert.equal(self.body.error.code, 'auth.separationOfDuties');
    const changed = await call(server.url, 'PUT', '/api/users/wgy002/roles', { as: as.admin, body: { roles: ['grid-worker', 'community-staff'] } });
    assert.equal(changed.status, 200);
    const record = await database.db('audit_log').where({ action: 'user.setRoles', target_id: 'wgy002' }).first();
    const entry = JSON.parse(record.entry);
    assert.deepEqual(entry.details, { before: ['grid-worker'], after: ['community-staff', 'grid-worker'] });
    assert.ok(entry.beforeDigest && entry.afterDigest && entry.beforeDigest !== entry.afterDigest);
    const unknown = await call(server.url, 'PUT', '/api/users/wgy002/roles', { as: as.admin, body: { roles: ['root'] } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.details[0].target, '/body/roles/0');
  });

  it('answers an out-of-scope object exactly like a missing one', async () => {
    const { caseId } = await givenCase(database.db, 'wgy001', 'handle', 'wgy001');
    const outOfScope = await call(server.url, 'GET', `/api/cases/${caseId}`, { as: as.sj01 });
    assert.equal(outOfScope.status, 403, 'the auditor has no case permission at all');
    const otherStreet = await signIn(server.url, 'wgy004');
    const hidden = await call(server.url, 'GET', `/api/cases/${caseId}`, { as: otherStreet });
    const missing = await call(server.url, 'GET', `/api/cases/${randomUUID()}`, { as: otherStreet });
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.error.message, missing.body.error.message);
    assert.equal(hidden.body.error.code, missing.body.error.code);
  });

  it('lets the auditor search, export and verify the audit log, and nobody else', async () => {
    const list = await call(server.url, 'GET', '/api/audit?action=session.login&limit=3', { as: as.sj01 });
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 3);
    const csv = await call(server.url, 'GET', '/api/audit/export.csv?limit=10', { as: as.sj01 });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(csv.text, /^\uFEFF?id,occurredAt,actor/);
    const verify = await call(server.url, 'GET', '/api/audit/verify', { as: as.sj01 });
    assert.equal(verify.body.ok, true);
    assert.equal((await call(server.url, 'GET', '/api/audit', { as: as.admin })).status, 403, 'the system administrator may not read the audit log (三员分立)');
    assert.ok(await database.db('audit_log').where({ action: 'audit.export', actor_username: 'sj01' }).first(), 'exports are audited');
  });
  it('serves a task form without hidden fields, with each field\'s access and personal data masked by role', async () => {
    const { caseId, taskId } = await givenCase(database.db, 'wgy001', 'handle', 'wgy001');
    const values = { eventType: '01001', description: '楼道堆放杂物', reporterName: '张伟', reporterPhone: '13853100101', location: { type: 'Point', coordinates: [117.05, 36.67] } };
    await database.db('cases').where({ id: caseId }).update({ form_key: 'event-report', form_version: 1, form_values: JSON.stringify(values) });
    await database.db('tasks').where({ id: taskId }).update({ form_key: 'event-report', form_version: 1 });
    const leader = await call(server.url, 'GET', `/api/tasks/${taskId}/form`, { as: as.jdld01 });
    assert.equal(leader.status, 200);
    assert.equal(leader.body.form.key, 'event-report');
    assert.equal(leader.body.access.description, 'readOnly', 'the report is read-only at later tasks');
    assert.equal(leader.body.values.reporterPhone, '138****0101');
    assert.equal(leader.body.values.location, null);
    assert.equal(leader.body.form.schema['x-field-rules'], undefined, 'other roles\' rules are not sent');
    const staff = await call(server.url, 'GET', `/api/tasks/${taskId}/form`, { as: as.sqgzry01 });
    assert.equal(staff.body.values.reporterPhone, '13853100101');
    const audited = await database.db('audit_log').where({ action: 'personalData.read', actor_username: 'sqgzry01', target_id: caseId });
    assert.ok(audited.some((r) => JSON.parse(r.entry).details.form === 'event-report'));

    await database.db('cases').where({ id: caseId }).update({ form_values: JSON.stringify({ ...values, anonymous: true }) });
    const anonymous = await call(server.url, 'GET', `/api/tasks/${taskId}/form`, { as: as.sqgzry01 });
    assert.equal(anonymous.body.values.reporterPhone, undefined, 'hidden fields are never sent');
    assert.equal(anonymous.body.access.reporterPhone, 'hidden', 'a field only a reaction hides keeps its schema (the renderer may show it again), never its value');
    assert.equal(anonymous.body.rules.reporterPhone, 'readOnly');
  });
  it('validates a task\'s form on completion, stores nothing invalid, and applies a submission only once the engine completed the task', async () => {
    const { caseId, taskId } = await givenCase(database.db, 'wgy002', 'verify', 'wgy001');
    await database.db('cases').where({ id: caseId }).update({ form_key: 'event-report', form_version: 1, form_values: JSON.stringify({ eventType: '01001', description: '楼道堆放杂物', reporterPhone: '13853100101' }) });
    await database.db('tasks').where({ id: taskId }).update({ form_key: 'event-report', form_version: 1 });
    const readOnly = await call(server.url, 'POST', `/api/tasks/${taskId}/complete`, { as: as.wgy001, body: { values: { description: '改写', nope: 1 } } });
    assert.equal(readOnly.status, 400);
    assert.equal(readOnly.body.error.code, 'form.invalid');
    assert.deepEqual(readOnly.body.error.details.map((d: { target: string }) => d.target).sort(), ['/body/values/description', '/body/values/nope']);
    assert.equal(await database.db('form_submissions').where({ task_id: taskId }).first(), undefined, 'nothing stored');

    const noEngine = await call(server.url, 'POST', `/api/tasks/${taskId}/complete`, { as: as.wgy001, body: { values: { description: '楼道堆放杂物' } } });
    assert.equal(noEngine.status, 503);
    assert.equal((await database.db('form_submissions').where({ task_id: taskId }).first()).status, 'rejected', 'a submission the engine did not take is not applied');

    // A crash between the engine completing the task and GridFlow applying the submission:
    await database.db('form_submissions').insert({
      id: randomUUID(), case_id: caseId, task_id: taskId, form_key: 'event-report', form_version: 1, submitted_values: '{}',
      case_values: JSON.stringify({ set: { description: '已核查' }, unset: [] }), submitted_by: 1, status: 'pending', created_at: new Date(),
    });
    await database.db('tasks').where({ id: taskId }).update({ status: 'completed' });
    assert.deepEqual(await settlePendingSubmissions(database.db), { accepted: 1, rejected: 0 });
    const values = JSON.parse((await database.db('cases').where({ id: caseId }).first('form_values')).form_values);
    assert.equal(values.description, '已核查');
    assert.equal(values.reporterPhone, '13853100101', 'fields the step did not edit are kept');
  });
});
