/**
 * Sign-in with OpenID Connect against a real provider (panva's oidc-provider, in-process on 127.0.0.1)
 * and a real SQLite database holding the demo district: the browser is played with fetch, following
 * redirects by hand and keeping each origin's cookies.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { pino } from 'pino';
import Provider from 'oidc-provider';
import { demoDistrictPackageDir } from '@gridflow/definitions';
import { passwordPolicy } from '@gridflow/engine';
import { PolicyLoader } from '../../src/access/policy.loader.ts';
import { AuditLog } from '../../src/audit/audit.store.ts';
import { authRouter } from '../../src/auth/auth.router.ts';
import { AuthService } from '../../src/auth/auth.service.ts';
import { Authenticator } from '../../src/auth/authenticate.ts';
import { oidcRouter } from '../../src/auth/oidc.ts';
import { SessionStore } from '../../src/auth/session.store.ts';
import type { OidcConfig, SecurityConfig } from '../../src/config.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { DefinitionsService } from '../../src/definitions/definitions.service.ts';
import type { RegisteredRoute } from '../../src/http/route.ts';
import type { RequestContext } from '../../src/http/request-context.ts';
import { errorHandler } from '../../src/server/error-handler.ts';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';

const CLIENT_ID = 'gridflow';
const CLIENT_SECRET = 'gridflow-test-client-secret-0123456789';

/** A browser's cookies, per origin (enough here: every cookie of the test is host-only). */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  cookies(url: string | URL): Map<string, string> {
    const host = new URL(url).host;
    let jar = this.jars.get(host);
    if (!jar) this.jars.set(host, (jar = new Map()));
    return jar;
  }

  /** One request (no redirect following); keeps the cookies it sets. */
  async get(url: string | URL, extraCookies: Record<string, string> = {}): Promise<Response> {
    const jar = this.cookies(url);
    const cookie = [...jar, ...Object.entries(extraCookies)].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(5000) });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some((a) => /^max-age=(0|-)/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() <= Date.now()));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }
}

/** The provider's storage: a Map (its own in-memory adapter works the same but warns at every start). */
type Stored = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };
const stored = new Map<string, Stored>();
class MapAdapter {
  constructor(private readonly model: string) {}
  private key(id: string) { return `${this.model}:${id}`; }
  async upsert(id: string, payload: Stored) {
    stored.set(this.key(id), payload);
    if (payload.uid) stored.set(`uid:${payload.uid}`, { id });
    if (payload.userCode) stored.set(`userCode:${payload.userCode}`, { id });
  }
  async find(id: string) { return stored.get(this.key(id)); }
  async findByUid(uid: string) { return this.find(String(stored.get(`uid:${uid}`)?.id)); }
  async findByUserCode(code: string) { return this.find(String(stored.get(`userCode:${code}`)?.id)); }
  async consume(id: string) { const p = stored.get(this.key(id)); if (p) p.consumed = Math.floor(Date.now() / 1000); }
  async destroy(id: string) { stored.delete(this.key(id)); }
  async revokeByGrantId(grantId: string) { for (const [k, v] of stored) if (v.grantId === grantId) stored.delete(k); }
}

describe('sign-in with OpenID Connect', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let app: Server;
  let idp: Server;
  let appUrl: string;
  let issuer: string;
  /** Who signs in at the provider next (the provider's login page is played by the test). */
  let idpUser = 'wgy001';
  /** Requests the provider answered, by path. */
  const idpHits: string[] = [];
  /** Time shift of GridFlow's OIDC clock (pending sign-ins expire after 10 minutes). */
  let shiftMs = 0;
  /** While set, the provider answers 503 to everything. */
  let idpDown = false;

  const listen = async (server: Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  before(async () => {
    database = await createTestDatabase('sqlite');
    const { db } = database;
    await migrateLatest(db);
    await new DefinitionsService(db).import(demoDistrictPackageDir, 'tester');

    let appHandler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
    let idpHandler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
    app = createServer((req, res) => appHandler(req, res));
    idp = createServer((req, res) => idpHandler(req, res));
    appUrl = await listen(app);
    issuer = await listen(idp);
    const redirectUri = `${appUrl}/api/auth/oidc/callback`;

    // The identity provider: a confidential client for GridFlow, accounts whose username is their id.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const provider = new Provider(issuer, {
      adapter: MapAdapter,
      clients: [{
        client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [redirectUri, `${appUrl}/api/auth/oidc-sub/callback`],
        response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic',
      }],
      jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
      cookies: { keys: ['test-cookie-key-0123456789'] },
      claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
      features: { devInteractions: { enabled: false } },
      ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
      findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id, preferred_username: id, name: `User ${id}` }) }),
      // GridFlow is a first-party client: consent is implied.
      loadExistingGrant: async (ctx: {
        oidc: { client: { clientId: string }; session: { accountId: string; grantIdFor(id: string): string | undefined }; result?: { consent?: { grantId?: string } } };
      }) => {
        const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
        if (grantId) return provider.Grant.find(grantId);
        const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope('openid profile');
        await grant.save();
        return grant;
      },
    });
    const providerCallback = provider.callback();
    idpHandler = (req, res) => {
      idpHits.push(new URL(req.url ?? '/', issuer).pathname);
      if (idpDown) {
        res.statusCode = 503;
        res.end();
        return;
      }
      if (!req.url?.startsWith('/interaction/')) {
        providerCallback(req, res);
        return;
      }
      // The login page: the user (idpUser) signs in at once.
      (async () => {
        const details = await provider.interactionDetails(req, res);
        assert.equal(details.prompt.name, 'login');
        await provider.interactionFinished(req, res, { login: { accountId: idpUser } }, { mergeWithLastSubmission: false });
      })().catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    };

    // GridFlow: the sign-in routes as the server mounts them.
    const security: SecurityConfig = {
      passwordPolicy: passwordPolicy(undefined), lockout: { maxFailures: 5, lockMinutes: 15 }, sessionIdleMinutes: 30, sessionMaxHours: 12,
      cookieSecure: 'auto', loginRateLimit: 20, apiRateLimit: 600,
    };
    const oidc: OidcConfig = { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri, usernameClaim: 'preferred_username', scopes: 'openid profile' };
    security.oidc = oidc;
    const sessions = new SessionStore(db, { idleMinutes: 30, maxHours: 12 });
    const authenticator = new Authenticator(db, sessions, new PolicyLoader(db), security.passwordPolicy);
    const auth = new AuthService(db, sessions, { password: security.passwordPolicy, lockout: security.lockout });
    const registry: RegisteredRoute[] = [];
    const server = express();
    server.use(express.json());
    server.use((req, res, next) => {
      const ctx: RequestContext = { requestId: 'test', client: { ip: '127.0.0.1', ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}) } };
      res.locals.ctx = ctx;
      next();
    });
    server.use(authenticator.middleware());
    server.use('/api/auth/oidc', oidcRouter(db, oidc, auth, security, registry, { allowInsecure: true, clock: () => new Date(Date.now() + shiftMs) }));
    server.use('/api/auth', authRouter(auth, authenticator, security, registry));
    // A second instance (its own discovery cache) for the provider-down case.
    server.use('/api/auth/oidc-fresh', oidcRouter(db, oidc, auth, security, [], { allowInsecure: true }));
    // One that takes the username from a claim of the ID token itself.
    const bySub: OidcConfig = { ...oidc, usernameClaim: 'sub', redirectUri: `${appUrl}/api/auth/oidc-sub/callback` };
    server.use('/api/auth/oidc-sub', oidcRouter(db, bySub, auth, security, [], { allowInsecure: true }));
    server.use(errorHandler(pino({ level: 'silent' })));
    appHandler = server;
    assert.deepEqual(registry.filter((r) => r.path.startsWith('/api/auth/oidc')).map((r) => [r.method, r.path, r.access]), [
      ['get', '/api/auth/oidc/login', 'public'], ['get', '/api/auth/oidc/callback', 'public'],
    ]);
  });

  after(async () => {
    app?.closeAllConnections();
    idp?.closeAllConnections();
    await Promise.all([app, idp].map((s) => s && new Promise((resolve) => s.close(resolve))));
    await database?.drop();
  });

  /** Starts a sign-in at GridFlow and goes through the provider; returns the callback URL it sends the browser to (not yet visited). */
  async function throughProvider(browser: Browser, user: string, returnTo?: string, base = '/api/auth/oidc'): Promise<URL> {
    idpUser = user;
    let res = await browser.get(`${appUrl}${base}/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`);
    assert.equal(res.status, 302, await res.clone().text());
    for (let hops = 0; hops < 10; hops++) {
      const target = res.headers.get('location');
      if (!target) assert.fail(`no redirect (${res.status}): ${await res.text()}`);
      const location: URL = new URL(target, res.url);
      if (location.href.startsWith(`${appUrl}${base}/callback`)) return location;
      assert.equal(location.origin, issuer, `only the provider is visited on the way: ${location.href}`);
      res = await browser.get(location);
      assert.ok([302, 303].includes(res.status), `the provider redirects (${res.status}): ${await res.clone().text()}`);
    }
    return assert.fail('too many redirects');
  }

  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
  const stateCookie = (browser: Browser) => browser.cookies(appUrl).get('gridflow_oidc_state') ?? assert.fail('the sign-in is bound to the browser');
  const logins = async (username: string) => (await new AuditLog(database.db).search({ action: 'session.login', actor: username }))
    .map((r) => ({ outcome: r.outcome, ...r.details }));

  it('signs a user in through the provider and opens a cookie session', async () => {
    const browser = new Browser();
    const hitsBefore = idpHits.length;
    const callback = await throughProvider(browser, 'wgy001', '/cases?view=mine');
    assert.equal(callback.searchParams.get('iss'), issuer, 'the provider names itself (RFC 9207)');
    const res = await browser.get(callback);
    assert.equal(res.status, 302, await res.clone().text());
    assert.equal(res.headers.get('location'), '/cases?view=mine');
    assert.ok(browser.cookies(appUrl).get('gridflow_session'), 'a session cookie is set');
    assert.equal(browser.cookies(appUrl).has('gridflow_oidc_state'), false, 'the pending sign-in cookie is cleared');
    const sessionCookie = res.headers.getSetCookie().find((c) => c.startsWith('gridflow_session=')) ?? '';
    assert.match(sessionCookie, /HttpOnly/i);
    assert.match(sessionCookie, /SameSite=Lax/i);
    assert.ok(idpHits.slice(hitsBefore).includes('/me'), 'the username comes from UserInfo when the ID token has no profile claims');

    const me = await browser.get(`${appUrl}/api/auth/me`);
    assert.equal(me.status, 200);
    const body = await me.json() as { username: string; mustChangePassword: boolean; csrfToken?: string };
    assert.equal(body.username, 'wgy001');
    assert.equal(body.mustChangePassword, false);
    assert.ok(body.csrfToken, 'a cookie session has a CSRF token');
    assert.deepEqual((await logins('wgy001'))[0], { outcome: 'success', kind: 'cookie', method: 'oidc' });
    assert.equal(await database.db('oidc_logins').count({ n: '*' }).first().then((r) => Number(r?.n)), 0, 'the pending sign-in is used up');
  });

  it('takes the username from the ID token when the configured claim is there', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, 'wgy001', undefined, '/api/auth/oidc-sub');
    const hitsBefore = idpHits.length;
    const res = await browser.get(callback);
    assert.equal(res.status, 302, await res.clone().text());
    assert.equal(res.headers.get('location'), '/');
    assert.deepEqual(idpHits.slice(hitsBefore), ['/token'], 'no UserInfo request');
    const me = await browser.get(`${appUrl}/api/auth/me`);
    assert.equal((await me.json() as { username: string }).username, 'wgy001');
  });

  it('refuses a provider user without a GridFlow account (403, audited, no session)', async () => {
    const browser = new Browser();
    const res = await browser.get(await throughProvider(browser, 'stranger01'));
    assert.equal(res.status, 403);
    const error = await errorOf(res);
    assert.equal(error.code, 'auth.noAccount');
    assert.match(error.message, /没有对应的可用账号/);
    assert.equal(browser.cookies(appUrl).has('gridflow_session'), false);
    assert.deepEqual(await logins('stranger01'), [{ outcome: 'failure', method: 'oidc', reason: 'noSuchActiveUser' }]);
  });

  it('refuses a replayed callback (400)', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, 'wgy001');
    const state = stateCookie(browser);
    assert.equal((await browser.get(callback)).status, 302);
    // The same browser again: its pending sign-in cookie is gone.
    const again = await browser.get(callback);
    assert.equal(again.status, 400);
    assert.equal((await errorOf(again)).code, 'auth.oidcStateMismatch');
    // Even with the cookie put back, the state was used once and is gone.
    const replay = await new Browser().get(callback, { gridflow_oidc_state: state });
    assert.equal(replay.status, 400);
    const error = await errorOf(replay);
    assert.equal(error.code, 'auth.oidcState');
    assert.match(error.message, /已使用或已过期/);
  });

  it('refuses a tampered state (400) and the genuine callback still works', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, 'wgy001');
    const state = callback.searchParams.get('state') ?? assert.fail('the callback carries the state');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${state.slice(0, -2)}xy`);
    const mismatch = await browser.get(tampered);
    assert.equal(mismatch.status, 400);
    assert.equal((await errorOf(mismatch)).code, 'auth.oidcStateMismatch');
    const unknown = await new Browser().get(tampered, { gridflow_oidc_state: tampered.searchParams.get('state') ?? '' });
    assert.equal(unknown.status, 400);
    assert.equal((await errorOf(unknown)).code, 'auth.oidcState');
    // A callback URL opened in another browser (login CSRF) does not sign that browser in.
    const elsewhere = await new Browser().get(callback);
    assert.equal(elsewhere.status, 400);
    assert.equal((await errorOf(elsewhere)).code, 'auth.oidcStateMismatch');
    assert.equal((await browser.get(callback)).status, 302, 'the refused attempts did not use up the sign-in');
  });

  it('reports an error sent back by the provider (401, audited)', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, 'wgy001');
    const denied = new URL(callback);
    denied.searchParams.delete('code');
    denied.searchParams.set('error', 'access_denied');
    denied.searchParams.set('error_description', 'End-User aborted interaction');
    const res = await browser.get(denied);
    assert.equal(res.status, 401);
    const error = await errorOf(res);
    assert.equal(error.code, 'auth.oidcRefused');
    assert.match(error.message, /access_denied/);
    const [record] = await new AuditLog(database.db).search({ action: 'session.login', actor: 'oidc:unknown' });
    assert.deepEqual({ outcome: record?.outcome, ...record?.details }, { outcome: 'failure', method: 'oidc', reason: 'idpError', error: 'access_denied' });
  });

  it('reports a refused code exchange (401, audited)', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, 'wgy001');
    const forged = new URL(callback);
    forged.searchParams.set('code', 'not-a-code-the-provider-issued');
    const res = await browser.get(forged);
    assert.equal(res.status, 401);
    const error = await errorOf(res);
    assert.equal(error.code, 'auth.oidcTokenExchange');
    assert.match(error.message, /invalid_grant/);
    assert.doesNotMatch(JSON.stringify(error), /not-a-code/, 'the code is not echoed');
    const [record] = await new AuditLog(database.db).search({ action: 'session.login', actor: 'oidc:unknown' });
    assert.deepEqual({ outcome: record?.outcome, ...record?.details }, { outcome: 'failure', method: 'oidc', reason: 'tokenExchange', error: 'invalid_grant' });
    assert.equal(browser.cookies(appUrl).has('gridflow_session'), false);
  });

  it('lets a pending sign-in expire after 10 minutes', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, 'wgy001');
    shiftMs = 10 * 60_000 + 1000;
    try {
      const res = await browser.get(callback);
      assert.equal(res.status, 400);
      assert.equal((await errorOf(res)).code, 'auth.oidcState');
    } finally {
      shiftMs = 0;
    }
  });

  it('answers 503 while the provider cannot be reached, discovers it again afterwards, then keeps it', async () => {
    const discoveries = () => idpHits.filter((p) => p === '/.well-known/openid-configuration').length;
    const before = discoveries();
    idpDown = true;
    try {
      const res = await new Browser().get(`${appUrl}/api/auth/oidc-fresh/login`);
      assert.equal(res.status, 503);
      assert.equal((await errorOf(res)).code, 'unavailable');
    } finally {
      idpDown = false;
    }
    assert.equal((await new Browser().get(`${appUrl}/api/auth/oidc-fresh/login`)).status, 302, 'a failed discovery is not cached');
    assert.equal((await new Browser().get(`${appUrl}/api/auth/oidc-fresh/login`)).status, 302);
    assert.equal(discoveries() - before, 2, 'discovered once when down, once when back, then cached');
  });

  it('accepts only a path of this site to return to', async () => {
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'cases']) {
      const res = await new Browser().get(`${appUrl}/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
      assert.equal(res.status, 400, returnTo);
      assert.equal((await errorOf(res)).code, 'request.invalid');
    }
    const unknownField = await new Browser().get(`${appUrl}/api/auth/oidc/callback?state=x&code=y&extra=1`);
    assert.equal(unknownField.status, 400);
  });
});
