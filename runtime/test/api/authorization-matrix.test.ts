/**
 * The authorization matrix: every role of the demo district × every API route × an in-scope and an
 * out-of-scope object → the expected allow/deny from the role permissions in the definitions (see
 * matrix-world.ts for the oracle). Lists must hold exactly what the oracle allows; personal data must
 * appear in clear only where the role may unmask it. A route without a probe here fails the test,
 * so the matrix grows with the routes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { sampleJpeg } from '../attachments/fixtures/samples.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn, signInBearer, startApiServer } from '../support/api-server.ts';
import type { ApiResponse, Credentials } from '../support/api-server.ts';
import { buildWorld, oracleAny, oracleCase, oracleUser } from './matrix-world.ts';
import type { Actor, FixtureCase, World } from './matrix-world.ts';
import { registerProbe } from './matrix-registers.ts';
import type { RegisterProbe } from './matrix-registers.ts';
import { addClockFixtures, clockAnonymous, clockProbe } from './matrix-clock.ts';
import type { ClockProbe } from './matrix-clock.ts';
import { deliveryProbe, seedDeliveries } from './matrix-notifications.ts';
import type { DeliveryProbe } from './matrix-notifications.ts';
import { seedWhistles, whistleOf, whistleProbe, WHISTLE_STATS_PATH } from './matrix-whistles.ts';
import type { WhistleProbe } from './matrix-whistles.ts';
import { assessmentPath, assessmentProbe } from './matrix-assessment.ts';
import type { AssessmentProbe } from './matrix-assessment.ts';

const RAW_PHONE = '13900001111';
let anonymousLogins = 0;

/** What a route does, and how to call it on an object. */
type Probe =
  | { kind: 'public'; call: (c: Credentials) => [string, string, unknown?]; expect: number }
  | { kind: 'session'; call: (c: Credentials) => [string, string, unknown?]; fresh?: boolean; expect?: number }
  | { kind: 'list'; subject: 'Case' | 'Task' | 'User' | 'OrgUnit' | 'Definition' | 'AuditRecord'; action: 'read' | 'export' | 'verify'; path: string }
  | { kind: 'caseObject'; subject: 'Case' | 'Task'; action: 'read' | 'claim' | 'complete' | 'merge' | 'suspend' | 'coordinate' | 'supervise' | 'whistle'; call: (c: FixtureCase) => [string, string, unknown?] }
  | { kind: 'upload'; path: string }
  | { kind: 'withdraw' }
  | { kind: 'report'; path: string }
  | { kind: 'userObject'; action: 'read' | 'administer'; call: (username: string, w: World) => [string, string, unknown?] }
  | RegisterProbe
  | ClockProbe
  | DeliveryProbe
  | WhistleProbe
  | AssessmentProbe;

const probes: Record<string, Probe> = {
  'get /api/health': { kind: 'public', call: () => ['GET', '/api/health'], expect: 200 },
  'get /api/docs': { kind: 'public', call: () => ['GET', '/api/docs'], expect: 200 },
  'get /api/docs/openapi.json': { kind: 'public', call: () => ['GET', '/api/docs/openapi.json'], expect: 200 },
  'post /api/auth/login': { kind: 'public', call: () => ['POST', '/api/auth/login', { username: `nobody${++anonymousLogins}`, password: 'x' }], expect: 401 },
  'post /api/auth/logout': { kind: 'session', fresh: true, call: () => ['POST', '/api/auth/logout'] },
  'post /api/auth/logout-all': { kind: 'session', fresh: true, call: () => ['POST', '/api/auth/logout-all'] },
  'get /api/auth/me': { kind: 'session', call: () => ['GET', '/api/auth/me'] },
  'get /api/notifications': { kind: 'session', call: () => ['GET', '/api/notifications'], expect: 200 },
  // Nobody's notification 999999999: every user gets 404 (their own only).
  'post /api/notifications/:id/read': { kind: 'session', call: () => ['POST', '/api/notifications/999999999/read', {}], expect: 404 },
  'post /api/notifications/read-all': { kind: 'session', call: () => ['POST', '/api/notifications/read-all', {}], expect: 200 },
  // Deliveries through channels: operators (administer User) see and retry those of users they may administer.
  'get /api/notifications/deliveries': { kind: 'deliveryList', path: '/api/notifications/deliveries?limit=200' },
  'post /api/notifications/deliveries/:id/retry': { kind: 'deliveryObject', call: (id) => ['POST', `/api/notifications/deliveries/${id}/retry`] },
  'post /api/auth/password': { kind: 'session', call: () => ['POST', '/api/auth/password', { currentPassword: 'wrong', newPassword: 'Another#2026' }] },
  'get /api/definitions': { kind: 'list', subject: 'Definition', action: 'read', path: '/api/definitions' },
  'get /api/org/units': { kind: 'list', subject: 'OrgUnit', action: 'read', path: '/api/org/units' },
  // The departments of the definitions: directory data every signed-in user may read.
  'get /api/org/departments': { kind: 'session', call: () => ['GET', '/api/org/departments'], expect: 200 },
  'get /api/users': { kind: 'list', subject: 'User', action: 'read', path: '/api/users?limit=200' },
  'get /api/users/:username': { kind: 'userObject', action: 'read', call: (u) => ['GET', `/api/users/${u}`] },
  'post /api/users/:username/unlock': { kind: 'userObject', action: 'administer', call: (u) => ['POST', `/api/users/${u}/unlock`] },
  'put /api/users/:username/roles': { kind: 'userObject', action: 'administer', call: (u, w) => ['PUT', `/api/users/${u}/roles`, { roles: [w.actors.find((a) => a.username === u)?.role ?? 'grid-worker'] }] },
  'put /api/users/:username/status': { kind: 'userObject', action: 'administer', call: (u) => ['PUT', `/api/users/${u}/status`, { status: 'active' }] },
  'get /api/cases': { kind: 'list', subject: 'Case', action: 'read', path: '/api/cases?limit=200' },
  'get /api/cases/:id': { kind: 'caseObject', subject: 'Case', action: 'read', call: (c) => ['GET', `/api/cases/${c.id}`] },
  'get /api/cases/:id/timeline': { kind: 'caseObject', subject: 'Case', action: 'read', call: (c) => ['GET', `/api/cases/${c.id}/timeline`] },
  'post /api/cases': { kind: 'report', path: '/api/cases' },
  'get /api/cases/:id/duplicates': { kind: 'caseObject', subject: 'Case', action: 'read', call: (c) => ['GET', `/api/cases/${c.id}/duplicates`] },
  // Merging a case into itself is refused after the permission checks (400), so nothing changes.
  // Suspending needs the engine (absent here: 503 after the checks); resuming a running case is refused (409) after them.
  'post /api/cases/:id/suspend': { kind: 'caseObject', subject: 'Case', action: 'suspend', call: (c) => ['POST', `/api/cases/${c.id}/suspend`, { reason: '矩阵' }] },
  'post /api/cases/:id/resume': { kind: 'caseObject', subject: 'Case', action: 'suspend', call: (c) => ['POST', `/api/cases/${c.id}/resume`, { reason: '矩阵' }] },
  'post /api/cases/:id/merge': { kind: 'caseObject', subject: 'Case', action: 'merge', call: (c) => ['POST', `/api/cases/${c.id}/merge`, { into: c.id, reason: '矩阵' }] },
  'get /api/public/track/:code': { kind: 'public', call: () => ['GET', '/api/public/track/ABCDEFGHJKMN'], expect: 404 },
  'get /api/tasks': { kind: 'list', subject: 'Task', action: 'read', path: '/api/tasks?limit=200' },
  'get /api/tasks/:id': { kind: 'caseObject', subject: 'Task', action: 'read', call: (c) => ['GET', `/api/tasks/${c.taskId}`] },
  'get /api/tasks/:id/form': { kind: 'caseObject', subject: 'Task', action: 'read', call: (c) => ['GET', `/api/tasks/${c.taskId}/form`] },
  'post /api/tasks/:id/claim': { kind: 'caseObject', subject: 'Task', action: 'claim', call: (c) => ['POST', `/api/tasks/${c.taskId}/claim`] },
  'post /api/tasks/:id/complete': { kind: 'caseObject', subject: 'Task', action: 'complete', call: (c) => ['POST', `/api/tasks/${c.taskId}/complete`, {}] },
  // Task operations: bodies that are refused after the permission checks (or need the engine), so nothing changes.
  'post /api/tasks/:id/unclaim': { kind: 'caseObject', subject: 'Task', action: 'claim', call: (c) => ['POST', `/api/tasks/${c.taskId}/unclaim`, {}] },
  'post /api/tasks/:id/transfer': { kind: 'caseObject', subject: 'Task', action: 'complete', call: (c) => ['POST', `/api/tasks/${c.taskId}/transfer`, { to: 'nobody', reason: '矩阵' }] },
  'post /api/tasks/:id/delegate': { kind: 'caseObject', subject: 'Task', action: 'complete', call: (c) => ['POST', `/api/tasks/${c.taskId}/delegate`, { to: 'nobody', reason: '矩阵' }] },
  'post /api/tasks/:id/resolve': { kind: 'caseObject', subject: 'Task', action: 'complete', call: (c) => ['POST', `/api/tasks/${c.taskId}/resolve`, { reason: '矩阵' }] },
  'post /api/tasks/:id/return': { kind: 'caseObject', subject: 'Task', action: 'complete', call: (c) => ['POST', `/api/tasks/${c.taskId}/return`, { to: 'register', reason: '矩阵' }] },
  'post /api/tasks/:id/cc': { kind: 'caseObject', subject: 'Task', action: 'complete', call: (c) => ['POST', `/api/tasks/${c.taskId}/cc`, { users: ['nobody'], reason: '矩阵' }] },
  'post /api/tasks/:id/urge': { kind: 'caseObject', subject: 'Task', action: 'read', call: (c) => ['POST', `/api/tasks/${c.taskId}/urge`, { message: '矩阵' }] },
  // 加签 / 减签 need the engine (absent here: 503 after the permission checks), so nothing changes.
  'post /api/tasks/:id/participants': { kind: 'caseObject', subject: 'Task', action: 'coordinate', call: (c) => ['POST', `/api/tasks/${c.taskId}/participants`, { participant: 'D01' }] },
  'delete /api/tasks/:id/participants/:participant': { kind: 'caseObject', subject: 'Task', action: 'coordinate', call: (c) => ['DELETE', `/api/tasks/${c.taskId}/participants/D01`] },
  // The case clock: no fixture clock runs, so an extension request is refused (409) after the permission checks.
  'get /api/cases/:id/clock': { kind: 'caseObject', subject: 'Case', action: 'read', call: (c) => ['GET', `/api/cases/${c.id}/clock`] },
  'post /api/tasks/:id/extension-requests': { kind: 'caseObject', subject: 'Task', action: 'complete', call: (c) => ['POST', `/api/tasks/${c.taskId}/extension-requests`, { amount: 1, reason: '矩阵' }] },
  'get /api/cases/:id/extension-requests': { kind: 'caseObject', subject: 'Case', action: 'read', call: (c) => ['GET', `/api/cases/${c.id}/extension-requests`] },
  // Every fixture case has a decided request and a replied supervision (matrix-clock.ts): allowed callers get 409.
  'post /api/extension-requests/:id/approve': { kind: 'extensionDecision', op: 'approve' },
  'post /api/extension-requests/:id/reject': { kind: 'extensionDecision', op: 'reject' },
  // Each supervisor is the assignee of their fixture case's task: supervising oneself is refused (409) after the permission checks.
  'post /api/cases/:id/supervisions': { kind: 'caseObject', subject: 'Case', action: 'supervise', call: (c) => ['POST', `/api/cases/${c.id}/supervisions`, { opinion: '矩阵', replyWithin: { amount: 1, type: 'workDays' } }] },
  'get /api/cases/:id/supervisions': { kind: 'caseObject', subject: 'Case', action: 'read', call: (c) => ['GET', `/api/cases/${c.id}/supervisions`] },
  'post /api/supervisions/:id/reply': { kind: 'supervisionReply' },
  'get /api/supervisions': { kind: 'supervisionList', path: '/api/supervisions?limit=200' },
  // 吹哨: every fixture case has a closed whistle (matrix-whistles.ts); blowing a new one needs the engine (absent: 503 after the checks).
  'post /api/cases/:id/whistles': { kind: 'caseObject', subject: 'Case', action: 'whistle', call: (c) => ['POST', `/api/cases/${c.id}/whistles`, { kind: 'daily', reason: '矩阵', departments: ['D01'], leadDepartment: 'D01' }] },
  'get /api/cases/:id/whistles/suggestion': { kind: 'caseObject', subject: 'Case', action: 'whistle', call: (c) => ['GET', `/api/cases/${c.id}/whistles/suggestion`] },
  'get /api/cases/:id/whistles': { kind: 'caseObject', subject: 'Case', action: 'read', call: (c) => ['GET', `/api/cases/${c.id}/whistles`] },
  'get /api/whistles/:id': { kind: 'caseObject', subject: 'Case', action: 'read', call: (c) => ['GET', `/api/whistles/${whistleOf(c)}`] },
  'get /api/whistles/stats': { kind: 'whistleStats', path: WHISTLE_STATS_PATH },
  // 考核: `export` on Case lets a user in; its scope decides the units listed and explained (matrix-assessment.ts).
  'get /api/assessment': { kind: 'assessment', route: 'list' },
  'get /api/assessment/explain': { kind: 'assessment', route: 'explain' },
  'get /api/assessment/export': { kind: 'assessment', route: 'export' },
  // Only the completer may withdraw a step; no fixture task was completed, so it answers 404 (403 without the permission).
  'post /api/tasks/:id/withdraw': { kind: 'withdraw' },
  'post /api/attachments': { kind: 'upload', path: '/api/attachments?kind=photo&name=x.jpg' },
  'get /api/attachments/:id': { kind: 'caseObject', subject: 'Case', action: 'read', call: (c) => ['GET', `/api/attachments/${c.attachmentId ?? 'none'}`] },
  'get /api/audit': { kind: 'list', subject: 'AuditRecord', action: 'read', path: '/api/audit?limit=5' },
  'get /api/audit/export.csv': { kind: 'list', subject: 'AuditRecord', action: 'export', path: '/api/audit/export.csv?limit=5' },
  'get /api/audit/verify': { kind: 'list', subject: 'AuditRecord', action: 'verify', path: '/api/audit/verify' },
  'get /api/registers': { kind: 'registers', action: 'read', path: '/api/registers' },
  'get /api/registers/:register': { kind: 'registers', action: 'read', path: '/api/registers/population' },
  'get /api/registers/:register/records': { kind: 'recordList', path: '/api/registers/population/records?limit=200' },
  'post /api/registers/:register/records': { kind: 'recordCreate', path: '/api/registers/population/records' },
  'post /api/registers/:register/import': { kind: 'recordImport', path: '/api/registers/population/import?name=empty.csv' },
  'get /api/registers/:register/records/:id': { kind: 'recordObject', action: 'read', call: (r) => ['GET', `/api/registers/population/records/${r.id}`] },
  'put /api/registers/:register/records/:id': { kind: 'recordObject', action: 'edit', call: (r) => ['PUT', `/api/registers/population/records/${r.id}`, { version: 999, values: { remarks: '矩阵' } }] },
  'post /api/registers/:register/records/:id/archive': { kind: 'recordObject', action: 'edit', call: (r) => ['POST', `/api/registers/population/records/${r.id}/archive`, { version: 999, reason: '矩阵' }] },
  'post /api/registers/:register/records/:id/restore': { kind: 'recordObject', action: 'edit', call: (r) => ['POST', `/api/registers/population/records/${r.id}/restore`, { version: 999, reason: '矩阵' }] },
  'get /api/registers/:register/records/:id/history': { kind: 'recordObject', action: 'read', call: (r) => ['GET', `/api/registers/population/records/${r.id}/history`] },
  'get /api/registers/:register/records/:id/links': { kind: 'recordObject', action: 'read', call: (r) => ['GET', `/api/registers/population/records/${r.id}/links`] },
  'post /api/registers/:register/records/:id/links': { kind: 'recordObject', action: 'edit', call: (r) => ['POST', `/api/registers/population/records/${r.id}/links`, { relation: 'residence', target: r.id, kind: '矩阵' }] },
  'delete /api/registers/:register/records/:id/links/:linkId': { kind: 'recordObject', action: 'edit', call: (r) => ['DELETE', `/api/registers/population/records/${r.id}/links/${r.linkId}`] },
};

/** Uploads raw bytes as an attachment. */
async function upload(base: string, as: Credentials, path: string, body: Buffer): Promise<ApiResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (as.cookie) headers.cookie = as.cookie;
  if (as.csrf) headers['x-csrf-token'] = as.csrf;
  const res = await fetch(`${base}${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text, headers: res.headers };
}

/** Uploads one photo and gives every fixture case an attachment row of it. */
async function attachToEveryCase(db: Knex, base: string, as: Credentials, w: World): Promise<void> {
  const uploaded = await upload(base, as, '/api/attachments?kind=photo&name=scene.jpg', sampleJpeg());
  assert.equal(uploaded.status, 200, uploaded.text);
  const row = await db('attachments').where({ id: uploaded.body.id }).first();
  for (const c of w.cases) {
    c.attachmentId = randomUUID();
    await db('attachments').insert({ ...row, id: c.attachmentId, case_id: c.id });
  }
}

/** Authorization passed: the request got past scope and permission checks (it may still fail for other reasons, e.g. no engine). */
const passed = (r: ApiResponse) => ![401, 403, 404].includes(r.status);

function send(base: string, as: Credentials, [method, path, body]: [string, string, unknown?]) {
  return call(base, method, path, { as, ...(body !== undefined ? { body } : {}) });
}

async function runMatrix(db: Knex) {
  await prepareDemoDatabase(db);
  const world = await buildWorld(db);
  const clockFixtures = await addClockFixtures(db, world);
  const deliveries = await seedDeliveries(db, world);
  await seedWhistles(db, world);
  const server = await startApiServer(db);
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => { if (!ok) failures.push(what); };
  let cells = 0;
  try {
    const routes = server.app.locals.routes;
    const unprobed = routes.map((r) => `${r.method} ${r.path}`).filter((key) => !probes[key]);
    assert.deepEqual(unprobed, [], `routes without a matrix probe (add them to the matrix): ${unprobed.join(', ')}`);
    const sessions = new Map<string, Credentials>();
    for (const a of world.actors) {
      const s = await signIn(server.url, a.username);
      assert.equal(s.response.status, 200, `sign-in of ${a.username}`);
      sessions.set(a.role, s);
    }
    await attachToEveryCase(db, server.url, sessions.get('grid-worker') as Credentials, world);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const probe = probes[key] as Probe;
      // Anonymous callers get nothing but public routes.
      if (probe.kind !== 'public') {
        const anonymous = probe.kind === 'extensionDecision' || probe.kind === 'supervisionReply' || probe.kind === 'supervisionList' ? await clockAnonymous(server.url, probe, world, clockFixtures)
          : probe.kind === 'withdraw' ? await send(server.url, {}, ['POST', '/api/tasks/x/withdraw', { reason: '矩阵' }])
          : probe.kind === 'assessment' ? await call(server.url, 'GET', assessmentPath(probe))
          : probe.kind === 'list' || probe.kind === 'upload' || probe.kind === 'report' ? await call(server.url, probe.kind === 'list' ? 'GET' : 'POST', probe.path)
          : probe.kind === 'caseObject' ? await send(server.url, {}, probe.call(world.inScope.get('grid-worker') as FixtureCase))
            : probe.kind === 'userObject' ? await send(server.url, {}, probe.call('wgy001', world))
              : probe.kind === 'recordObject' ? await send(server.url, {}, probe.call(world.recordOutOfScope))
                : probe.kind === 'registers' || probe.kind === 'recordList' || probe.kind === 'deliveryList' || probe.kind === 'whistleStats' ? await call(server.url, 'GET', probe.path)
                  : probe.kind === 'deliveryObject' ? await send(server.url, {}, probe.call(deliveries.byUser.get('wgy001') ?? ''))
                  : probe.kind === 'recordCreate' || probe.kind === 'recordImport' ? await call(server.url, 'POST', probe.path, { body: {} }) : await send(server.url, {}, probe.call({}));
        check(anonymous.status === 401, `${key} anonymous → ${anonymous.status}, expected 401`);
      }
      for (const a of world.actors) {
        let as = sessions.get(a.role) as Credentials;
        const cell = `${key} as ${a.role} (${a.username})`;
        cells++;
        if (probe.kind === 'public') {
          const r = await send(server.url, as, probe.call(as));
          check(r.status === probe.expect, `${cell} → ${r.status}, expected ${probe.expect}`);
        } else if (probe.kind === 'session') {
          const creds = probe.fresh ? await signInBearer(server.url, a.username) : as;
          const r = await send(server.url, creds, probe.call(creds));
          check(probe.expect === undefined ? passed(r) : r.status === probe.expect, `${cell} → ${r.status}, expected ${probe.expect ?? 'to pass authorization'}`);
          // Signing out everywhere ends the actor's matrix session too.
          if (probe.fresh) {
            as = await signIn(server.url, a.username);
            sessions.set(a.role, as);
          }
        } else if (probe.kind === 'upload') {
          const r = await upload(server.url, as, probe.path, Buffer.from('plain text, not a photo'));
          // Uploads are for reports and for task forms.
          if (oracleAny(a, 'report', 'Case') || oracleAny(a, 'complete', 'Task')) check(passed(r), `${cell} → ${r.status}, expected to pass authorization`);
          else check(r.status === 403, `${cell} → ${r.status}, expected 403`);
        } else if (probe.kind === 'report') {
          // An empty report: past authorization it is refused by the form (nothing is created).
          const r = await call(server.url, 'POST', probe.path, { as, body: { values: {} }, headers: { 'idempotency-key': `matrix-${a.role}` } });
          if (oracleAny(a, 'report', 'Case')) check(r.status === 400 && r.body?.error?.code === 'form.invalid', `${cell} → ${r.status}, expected 400 form.invalid`);
          else check(r.status === 403, `${cell} → ${r.status}, expected 403`);
        } else if (probe.kind === 'withdraw') {
          const r = await send(server.url, as, ['POST', `/api/tasks/${(world.inScope.get(a.role) as FixtureCase).taskId}/withdraw`, { reason: '矩阵' }]);
          check(r.status === (oracleAny(a, 'complete', 'Task') ? 404 : 403), `${cell} → ${r.status}`);
        } else if (probe.kind === 'list') {
          await checkList(server.url, world, a, as, probe, cell, check);
        } else if (probe.kind === 'registers' || probe.kind === 'recordList' || probe.kind === 'recordCreate' || probe.kind === 'recordImport' || probe.kind === 'recordObject') {
          await registerProbe(server.url, world, a, as, probe, cell, check);
        } else if (probe.kind === 'extensionDecision' || probe.kind === 'supervisionReply' || probe.kind === 'supervisionList') {
          await clockProbe(server.url, world, clockFixtures, a, as, probe, cell, check);
        } else if (probe.kind === 'deliveryList' || probe.kind === 'deliveryObject') {
          await deliveryProbe(server.url, world, deliveries, a, as, probe, cell, check);
        } else if (probe.kind === 'whistleStats') {
          await whistleProbe(server.url, world, a, as, probe, cell, check);
        } else if (probe.kind === 'assessment') {
          await assessmentProbe(server.url, world, a, as, probe, cell, check);
        } else if (probe.kind === 'caseObject') {
          for (const [label, c] of [['in scope', world.inScope.get(a.role) as FixtureCase], ['out of scope', world.outOfScope]] as const) {
            const r = await send(server.url, as, probe.call(c));
            const expected = oracleCase(world, a, probe.action, probe.subject, c);
            const denial = oracleAny(a, probe.action, probe.subject) && oracleAny(a, 'read', probe.subject) ? 404 : 403;
            if (expected) check(passed(r), `${cell} ${label} → ${r.status}, expected allowed`);
            else check(r.status === denial || (r.status === 403 && oracleCase(world, a, 'read', probe.subject, c)), `${cell} ${label} → ${r.status}, expected ${denial}`);
            if (probe.action === 'read' && r.status === 200 && key === 'get /api/tasks/:id/form') checkFormMasking(world, a, c, r, cell, check);
            if (probe.action === 'read' && r.status === 200 && key === 'get /api/cases/:id') checkMasking(world, a, probe.subject, c, r, cell, check);
          }
        } else {
          const own = world.users.find((u) => u.username === a.username);
          const outside = world.users.find((u) => !oracleUser(world, a, 'read', u)) ?? world.users[0];
          for (const [label, u] of [['own', own], ['out of scope', outside]] as const) {
            if (!u) continue;
            const r = await send(server.url, as, probe.call(u.username, world));
            const expected = oracleUser(world, a, probe.action, u);
            if (expected) check(passed(r), `${cell} ${label} user ${u.username} → ${r.status}, expected allowed`);
            else check([403, 404].includes(r.status), `${cell} ${label} user ${u.username} → ${r.status}, expected denied`);
            if (r.status === 200 && probe.action === 'read') check(!/"phone":"1\d{10}"/.test(r.text) || oracleUser(world, a, 'unmask', u), `${cell}: phone in clear`);
          }
          const inScope = world.users.find((u) => u.username !== a.username && oracleUser(world, a, probe.action, u));
          if (inScope) {
            const r = await send(server.url, as, probe.call(inScope.username, world));
            check(passed(r), `${cell} in-scope user ${inScope.username} → ${r.status}, expected allowed`);
          }
        }
      }
    }
  } finally {
    await server.close();
  }
  assert.deepEqual(failures, [], `${failures.length} matrix cell(s) wrong`);
  assert.ok(cells >= world.actors.length * 20, `the matrix ran ${cells} cells`);
}

async function checkList(base: string, w: World, a: Actor, as: Credentials, probe: Extract<Probe, { kind: 'list' }>, cell: string, check: (ok: boolean, what: string) => void) {
  const r = await call(base, 'GET', probe.path, { as });
  if (!oracleAny(a, probe.action, probe.subject)) {
    check(r.status === 403, `${cell} → ${r.status}, expected 403`);
    return;
  }
  check(r.status === 200, `${cell} → ${r.status}, expected 200`);
  if (r.status !== 200) return;
  if (probe.subject === 'Case' || probe.subject === 'Task') {
    const seen = new Set((r.body.items as { id: string }[]).map((i) => i.id));
    for (const c of w.cases) {
      const id = probe.subject === 'Case' ? c.id : c.taskId;
      const expected = oracleCase(w, a, 'read', probe.subject, c);
      check(seen.has(id) === expected, `${cell}: ${probe.subject} ${id.slice(0, 13)} (grid ${c.grid}) listed=${seen.has(id)}, expected ${expected}`);
    }
    check(r.body.total === seen.size, `${cell}: total ${r.body.total} ≠ ${seen.size} listed`);
    if (probe.subject === 'Case') {
      for (const item of r.body.items as { id: string; reporterPhone: string }[]) {
        const c = w.cases.find((x) => x.id === item.id) as FixtureCase;
        const mayUnmask = oracleCase(w, a, 'unmask', 'Case', c);
        const inClear = item.reporterPhone === RAW_PHONE;
        check(inClear === Boolean(mayUnmask), `${cell}: case ${item.id.slice(0, 8)} phone in clear=${inClear}, expected ${mayUnmask}`);
      }
    }
  }
  if (probe.subject === 'User') {
    const seen = new Set((r.body.items as { username: string }[]).map((i) => i.username));
    for (const u of w.users) {
      const expected = oracleUser(w, a, 'read', u);
      check(seen.has(u.username) === expected, `${cell}: user ${u.username} listed=${seen.has(u.username)}, expected ${expected}`);
    }
  }
}

function checkMasking(w: World, a: Actor, subject: 'Case' | 'Task', c: FixtureCase, r: ApiResponse, cell: string, check: (ok: boolean, what: string) => void) {
  if (subject !== 'Case') return;
  const mayUnmask = oracleCase(w, a, 'unmask', 'Case', c);
  check((r.body.reporterPhone === RAW_PHONE) === mayUnmask, `${cell}: phone in clear=${r.body.reporterPhone === RAW_PHONE}, expected ${mayUnmask}`);
  if (!mayUnmask) {
    check(r.body.reporterPhone === '139****1111', `${cell}: masked phone ${r.body.reporterPhone}`);
    check(r.body.location === null && r.body.reporterName === '王**', `${cell}: location/name not masked`);
  }
}

function checkFormMasking(w: World, a: Actor, c: FixtureCase, r: ApiResponse, cell: string, check: (ok: boolean, what: string) => void) {
  const mayUnmask = oracleCase(w, a, 'unmask', 'Case', c);
  check((r.body.values.reporterPhone === RAW_PHONE) === mayUnmask, `${cell}: form phone in clear=${r.body.values.reporterPhone === RAW_PHONE}, expected ${mayUnmask}`);
}

describeEachDatabase('authorization matrix over the demo district', (test) => {
  test('every role × every route × in-scope and out-of-scope objects: allowed exactly as the definitions say, nothing leaks', async ({ db }) => {
    await runMatrix(db);
  });
});
