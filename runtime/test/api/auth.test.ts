import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { call, PASSWORD, prepareDemoDatabase, signIn, signInBearer, startApiServer } from '../support/api-server.ts';
import type { ApiServer } from '../support/api-server.ts';

describe('sign-in and sessions', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let server: ApiServer;
  let now = new Date('2026-11-23T09:00:00Z');
  const clock = () => now;
  const advance = (minutes: number) => { now = new Date(now.getTime() + minutes * 60_000); };

  before(async () => {
    database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    server = await startApiServer(database.db, { clock, security: { sessionIdleMinutes: 30, sessionMaxHours: 8 } });
  });
  after(async () => {
    await server.close();
    await database.drop();
  });

  it('signs in with a HttpOnly SameSite cookie and answers who the user is', async () => {
    const { cookie, csrf, response } = await signIn(server.url, 'wgy001');
    assert.equal(response.status, 200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    assert.doesNotMatch(setCookie, /Secure/i, 'no Secure flag over plain HTTP in auto mode');
    const me = await call(server.url, 'GET', '/api/auth/me', { as: { cookie } });
    assert.equal(me.status, 200);
    assert.equal(me.body.username, 'wgy001');
    assert.deepEqual(me.body.roles, ['grid-worker']);
    assert.equal(me.body.csrfToken, csrf);
    assert.ok(me.body.rules.length > 0);
  });

  it('refuses a wrong password and an unknown user with the same message, and audits both with address and agent', async () => {
    const wrong = await call(server.url, 'POST', '/api/auth/login', { body: { username: 'wgy002', password: 'nope' }, headers: { 'user-agent': 'auth-test' } });
    const unknown = await call(server.url, 'POST', '/api/auth/login', { body: { username: 'nobody', password: 'nope' } });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.error.message, unknown.body.error.message);
    assert.equal(wrong.body.error.message, '用户名或密码错误');
    const records = await database.db('audit_log').where({ action: 'session.login', outcome: 'failure' }).select('entry');
    const entry = records.map((r) => JSON.parse(r.entry)).find((e) => e.actor.username === 'wgy002');
    assert.equal(entry.ip, '127.0.0.1');
    assert.equal(entry.userAgent, 'auth-test');
  });

  it('locks an account after 5 failures for 15 minutes, even for the right password, then lets it in', async () => {
    for (let i = 1; i <= 4; i++) assert.equal((await call(server.url, 'POST', '/api/auth/login', { body: { username: 'wgy003', password: `bad${i}` } })).status, 401);
    const fifth = await call(server.url, 'POST', '/api/auth/login', { body: { username: 'wgy003', password: 'bad5' } });
    assert.equal(fifth.status, 423);
    assert.match(fifth.body.error.message, /锁定.*15 分钟/);
    assert.equal((await signIn(server.url, 'wgy003')).response.status, 423, 'locked even with the right password');
    advance(16);
    assert.equal((await signIn(server.url, 'wgy003')).response.status, 200);
    assert.ok(await database.db('audit_log').where({ action: 'user.lock' }).first(), 'the lock is audited');
  });

  it('locks unknown usernames the same way, so a lock does not reveal that an account exists', async () => {
    let last;
    for (let i = 1; i <= 5; i++) last = await call(server.url, 'POST', '/api/auth/login', { body: { username: 'ghost', password: `bad${i}` } });
    assert.equal(last?.status, 423);
  });

  it('ends a session after 30 idle minutes but keeps an active one alive', async () => {
    const active = await signIn(server.url, 'wgy004');
    const idle = await signIn(server.url, 'wgy005');
    for (let i = 0; i < 3; i++) {
      advance(20);
      assert.equal((await call(server.url, 'GET', '/api/auth/me', { as: active })).status, 200);
    }
    const timedOut = await call(server.url, 'GET', '/api/auth/me', { as: idle });
    assert.equal(timedOut.status, 401);
    assert.equal(timedOut.body.error.code, 'auth.sessionEnded');
    assert.match(timedOut.body.error.message, /超时/);
  });

  it('ends a session at its absolute lifetime however active it is', async () => {
    const s = await signIn(server.url, 'wgy006');
    // Never idle for 30 minutes; the lifetime is 8 hours: alive after 16 × 29 = 464 minutes, ended after 493.
    for (let i = 1; i <= 16; i++) {
      advance(29);
      assert.equal((await call(server.url, 'GET', '/api/auth/me', { as: s })).status, 200, `after ${i * 29} minutes`);
    }
    advance(29);
    const ended = await call(server.url, 'GET', '/api/auth/me', { as: s });
    assert.equal(ended.status, 401);
    assert.equal(ended.body.error.code, 'auth.sessionEnded');
  });

  it('requires the CSRF token for changes made with a cookie session, not for bearer tokens', async () => {
    const s = await signIn(server.url, 'wgy007');
    const forged = await call(server.url, 'POST', '/api/auth/logout', { as: { cookie: s.cookie } });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error.code, 'auth.csrf');
    const wrong = await call(server.url, 'POST', '/api/auth/logout', { as: { cookie: s.cookie, csrf: 'x'.repeat(32) } });
    assert.equal(wrong.status, 403);
    assert.equal((await call(server.url, 'GET', '/api/auth/me', { as: { cookie: s.cookie } })).status, 200, 'the forged requests changed nothing');
    assert.equal((await call(server.url, 'POST', '/api/auth/logout', { as: s })).status, 200);
    assert.equal((await call(server.url, 'GET', '/api/auth/me', { as: s })).status, 401);
    const bearer = await signInBearer(server.url, 'wgy008');
    assert.equal((await call(server.url, 'POST', '/api/auth/logout', { as: bearer })).status, 200);
  });

  it('does not accept a bearer token as a cookie or the other way round', async () => {
    const bearer = await signInBearer(server.url, 'wgy009');
    assert.equal((await call(server.url, 'GET', '/api/auth/me', { as: { cookie: `gridflow_session=${bearer.bearer}` } })).status, 401);
  });

  it('forces a password change at first sign-in: everything else is refused until it is done', async () => {
    await database.db('users').where({ username: 'wgy010' }).update({ must_change_password: true });
    const s = await signIn(server.url, 'wgy010');
    assert.equal(s.response.body.me.mustChangePassword, true);
    const blocked = await call(server.url, 'GET', '/api/org/units', { as: s });
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.error.code, 'auth.passwordChangeRequired');
    const weak = await call(server.url, 'POST', '/api/auth/password', { as: s, body: { currentPassword: PASSWORD, newPassword: 'short' } });
    assert.equal(weak.status, 400);
    assert.ok(weak.body.error.details.every((d: { target: string }) => d.target === 'newPassword'));
    const other = await signIn(server.url, 'wgy010');
    assert.equal((await call(server.url, 'POST', '/api/auth/password', { as: s, body: { currentPassword: PASSWORD, newPassword: 'Changed#2026x' } })).status, 200);
    assert.equal((await call(server.url, 'GET', '/api/org/units', { as: s })).status, 200);
    assert.equal((await call(server.url, 'GET', '/api/auth/me', { as: other })).status, 401, 'other sessions end with a password change');
    assert.equal((await signIn(server.url, 'wgy010', 'Changed#2026x')).response.status, 200);
  });

  it('signs out of all sessions at once', async () => {
    const a = await signIn(server.url, 'sqgzry01');
    const b = await signInBearer(server.url, 'sqgzry01');
    const out = await call(server.url, 'POST', '/api/auth/logout-all', { as: a });
    assert.equal(out.status, 200);
    assert.equal(out.body.ended, 2);
    assert.equal((await call(server.url, 'GET', '/api/auth/me', { as: a })).status, 401);
    assert.equal((await call(server.url, 'GET', '/api/auth/me', { as: b })).status, 401);
  });

  it('rejects unknown fields, oversized bodies and unknown endpoints with clear errors', async () => {
    const extra = await call(server.url, 'POST', '/api/auth/login', { body: { username: 'wgy001', password: PASSWORD, admin: true } });
    assert.equal(extra.status, 400);
    assert.deepEqual(extra.body.error.details.map((d: { target: string }) => d.target), ['/body/admin']);
    const big = await call(server.url, 'POST', '/api/auth/login', { body: { username: 'wgy001', password: 'x'.repeat(2_000_000) } });
    assert.equal(big.status, 413);
    const missing = await call(server.url, 'GET', '/api/nothing-here');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.requestId, missing.headers.get('x-request-id'));
    assert.ok(!missing.text.includes('at '), 'no stack trace');
  });

  it('sends security headers', async () => {
    const res = await call(server.url, 'GET', '/api/health');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(res.headers.get('content-security-policy'));
    assert.ok(res.headers.get('x-frame-options'));
    assert.equal(res.headers.get('x-powered-by'), null);
  });
});

describe('rate limits', () => {
  it('limits sign-in attempts per client address', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      await prepareDemoDatabase(database.db);
      const server = await startApiServer(database.db, { security: { loginRateLimit: 3 } });
      try {
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await call(server.url, 'POST', '/api/auth/login', { body: { username: `x${i}`, password: 'y' } })).status);
        assert.deepEqual(statuses, [401, 401, 401, 429]);
      } finally {
        await server.close();
      }
    } finally {
      await database.drop();
    }
  });
});
