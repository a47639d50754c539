/**
 * Sign-in with OpenID Connect (authorization code flow with PKCE, state and nonce), for districts
 * that have an identity provider. The provider vouches for who the user is; GridFlow still decides
 * whether they may sign in: the username claim must name an active local account (accounts are
 * never created here). Pending authorization requests live in `oidc_logins` (single use, 10 minutes)
 * and are bound to the browser that started them by a short-lived cookie holding the state, so a
 * callback URL cannot sign another browser in. Tokens of the provider are neither logged nor returned.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { Knex } from 'knex';
import * as client from 'openid-client';
import { Type } from '@sinclair/typebox';
import { OperationalError, UserError } from '@gridflow/engine';
import type { AuditActor } from '@gridflow/engine';
import { AuditLog, auditClient } from '../audit/audit.store.ts';
import type { OidcConfig, SecurityConfig } from '../config.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import type { RequestContext } from '../http/request-context.ts';
import type { AuthService, ClientInfo } from './auth.service.ts';
import { secureCookies, setSessionCookie } from './auth.router.ts';

/** A pending authorization request expires after this long. */
const PENDING_MS = 10 * 60_000;
/** Seconds allowed for each request to the identity provider. */
const IDP_TIMEOUT_SECONDS = 10;

/** A path of this site: starts with one `/` (not `//` or `/\`, which browsers take for another host), no spaces or backslashes. */
const LocalPath = Type.String({ minLength: 1, maxLength: 512, pattern: String.raw`^/(?![/\\])[^\\\s]*$` });

/** GET /api/auth/oidc/login */
const LoginQuery = Type.Object({
  /** Where to go after signing in (a path of this site). Default `/`. */
  returnTo: Type.Optional(LocalPath),
}, { additionalProperties: false });

/** GET /api/auth/oidc/callback: the authorization response (RFC 6749 §4.1.2, RFC 9207 `iss`, OIDC session management). */
const CallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
  state: Type.String({ minLength: 1, maxLength: 64 }),
  error: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  error_description: Type.Optional(Type.String({ maxLength: 1024 })),
  error_uri: Type.Optional(Type.String({ maxLength: 1024 })),
  iss: Type.Optional(Type.String({ maxLength: 1024 })),
  session_state: Type.Optional(Type.String({ maxLength: 1024 })),
}, { additionalProperties: false });

/** Options for tests. */
export interface OidcRouterOptions {
  /** Allow an http:// issuer (tests against a local provider only). */
  allowInsecure?: boolean;
  clock?: () => Date;
}

/** Name of the cookie binding a pending sign-in to the browser (with the __Host- prefix when Secure). */
export function oidcStateCookieName(secure: boolean): string {
  return secure ? '__Host-gridflow_oidc_state' : 'gridflow_oidc_state';
}

interface PendingLogin {
  codeVerifier: string;
  nonce: string;
  returnTo: string | null;
}

const asDate = (v: unknown) => (v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v)));

/** Error codes from the provider are shown and audited only as plain tokens. */
const plainCode = (value: unknown) => String(value ?? 'unknown').replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64) || 'unknown';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const unreachable = (cause?: unknown) => new OperationalError({
  'zh-CN': '暂时无法连接统一身份认证服务（OpenID Connect），请稍后再试',
  en: 'The identity provider (OpenID Connect) cannot be reached; try again later',
}, cause === undefined ? {} : { cause });

const stateUnknown = () => new UserError('auth.oidcState', {
  'zh-CN': '登录请求无效、已使用或已过期（10 分钟），请重新登录',
  en: 'The sign-in request is unknown, already used or expired (10 minutes); please sign in again',
}, { status: 400 });

const stateNotThisBrowser = () => new UserError('auth.oidcStateMismatch', {
  'zh-CN': '登录请求不是从此浏览器发起的或已过期，请重新登录',
  en: 'The sign-in was not started in this browser, or it expired; please sign in again',
}, { status: 400 });

/** Why a sign-in through the provider failed, for the user and the audit log. */
interface Failure {
  reason: 'idpError' | 'missingCode' | 'tokenExchange' | 'verification' | 'noUsernameClaim' | 'userinfo';
  error?: string;
}

function failureError(f: Failure, claim: string): UserError {
  const code = f.error ? `（${f.error}）` : '';
  const codeEn = f.error ? ` (${f.error})` : '';
  switch (f.reason) {
    case 'idpError':
      return new UserError('auth.oidcRefused', { 'zh-CN': `统一身份认证服务拒绝了登录${code}`, en: `The identity provider refused the sign-in${codeEn}` }, { status: 401 });
    case 'missingCode':
      return new UserError('auth.oidcRefused', { 'zh-CN': '统一身份认证服务未返回授权码', en: 'The identity provider returned no authorization code' }, { status: 401 });
    case 'tokenExchange':
      return new UserError('auth.oidcTokenExchange', {
        'zh-CN': `向统一身份认证服务换取令牌失败${code}`, en: `Exchanging the authorization code at the identity provider failed${codeEn}`,
      }, { status: 401 });
    case 'verification':
      return new UserError('auth.oidcVerification', {
        'zh-CN': `统一身份认证服务的登录响应未通过校验${code}`, en: `The identity provider's sign-in response failed verification${codeEn}`,
      }, { status: 401 });
    case 'userinfo':
      return new UserError('auth.oidcUserinfo', {
        'zh-CN': `读取统一身份认证服务的用户信息失败${code}`, en: `Reading the user's details from the identity provider failed${codeEn}`,
      }, { status: 401 });
    case 'noUsernameClaim':
      return new UserError('auth.oidcNoUsername', {
        'zh-CN': `统一身份认证服务未提供用户名（声明 ${claim}）`, en: `The identity provider sent no username (claim "${claim}")`,
      }, { status: 401 });
  }
}

/** Transport failures (network, timeout) as opposed to refusals by the provider. */
function isTransportFailure(err: unknown): boolean {
  // fetch's "fetch failed"; openid-client's own TypeErrors (bad arguments) carry an ERR_* code.
  if (err instanceof TypeError) return (err as { code?: unknown }).code === undefined;
  const name = (err as { name?: string } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

/** Classifies an error of the authorization code grant (without keeping its message, which may quote token claims). */
function grantFailure(err: unknown): Failure {
  if (err instanceof client.ResponseBodyError) return { reason: 'tokenExchange', error: plainCode(err.error) };
  if (err instanceof client.AuthorizationResponseError) return { reason: 'idpError', error: plainCode(err.error) };
  if (err instanceof client.ClientError && err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') return { reason: 'tokenExchange', error: 'http' };
  if (err instanceof client.ClientError) return { reason: 'verification', error: plainCode(err.code) };
  return { reason: 'verification', error: plainCode((err as { code?: unknown } | null)?.code ?? (err as Error | null)?.name) };
}

/** The OpenID Connect router (mounted at /api/auth/oidc). */
export function oidcRouter(
  db: Knex, config: OidcConfig, auth: AuthService, security: SecurityConfig, registry: RegisteredRoute[], options: OidcRouterOptions = {},
): Router {
  const clock = options.clock ?? (() => new Date());
  let discovered: Promise<client.Configuration> | undefined;

  /** The provider's configuration, discovered once per process (again after a failure). */
  const provider = (): Promise<client.Configuration> => {
    discovered ??= client.discovery(
      new URL(config.issuer), config.clientId, undefined,
      config.clientSecret ? client.ClientSecretBasic(config.clientSecret) : client.None(),
      { execute: options.allowInsecure ? [client.allowInsecureRequests] : [], timeout: IDP_TIMEOUT_SECONDS },
    ).catch((err: unknown) => {
      discovered = undefined;
      throw unreachable(err);
    });
    return discovered;
  };

  const audit = async (actor: AuditActor, from: ClientInfo, failure: Failure) => {
    await new AuditLog(db).record({
      occurredAt: clock().toISOString(), actor, action: 'session.login', target: { type: 'session', ...(actor.username ? { id: actor.username } : {}) },
      outcome: 'failure', ...auditClient(from),
      details: { method: 'oidc', reason: failure.reason, ...(failure.error ? { error: failure.error } : {}) },
    });
  };

  /** Audits a failed sign-in and returns the error to throw. */
  const fail = async (ctx: RequestContext, failure: Failure, actor: AuditActor = { username: 'oidc:unknown' }) => {
    await audit(actor, ctx.client, failure);
    return failureError(failure, config.usernameClaim);
  };

  /** Takes a pending sign-in (it is deleted, so it can be used once). */
  const takePending = async (state: string): Promise<PendingLogin | undefined> => db.transaction(async (trx) => {
    const row = await trx('oidc_logins').where({ state }).first('state', 'code_verifier', 'nonce', 'return_to', 'created_at') as
      { state: string; code_verifier: string; nonce: string; return_to: string | null; created_at: unknown } | undefined;
    // MySQL / MariaDB compare strings without case: the state must match exactly.
    if (!row || row.state !== state) return undefined;
    // Whoever deletes the row owns it: a concurrent callback with the same state finds nothing to delete.
    if (await trx('oidc_logins').where({ state }).delete() !== 1) return undefined;
    if (asDate(row.created_at).getTime() + PENDING_MS <= clock().getTime()) return undefined;
    return { codeVerifier: row.code_verifier, nonce: row.nonce, returnTo: row.return_to };
  });

  const clearStateCookie = (req: Request, res: Response) => {
    res.clearCookie(oidcStateCookieName(secureCookies(req, security.cookieSecure)), { path: '/' });
  };

  const routes = [
    defineRoute({
      method: 'get', path: '/login', summary: 'Sign in with the OpenID Connect identity provider (redirects to it)', access: 'public', query: LoginQuery,
      handler: async ({ query }, _ctx, req, res) => {
        const idp = await provider();
        const state = client.randomState();
        const nonce = client.randomNonce();
        const codeVerifier = client.randomPKCECodeVerifier();
        const now = clock();
        await db('oidc_logins').where('created_at', '<', new Date(now.getTime() - PENDING_MS)).delete();
        await db('oidc_logins').insert({ state, code_verifier: codeVerifier, nonce, return_to: query.returnTo ?? null, created_at: now });
        const url = client.buildAuthorizationUrl(idp, {
          redirect_uri: config.redirectUri, scope: config.scopes, state, nonce,
          code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
        });
        const secure = secureCookies(req, security.cookieSecure);
        res.cookie(oidcStateCookieName(secure), state, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: PENDING_MS });
        res.redirect(302, url.href);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get', path: '/callback', summary: 'Return from the OpenID Connect identity provider (opens a session)', access: 'public', query: CallbackQuery,
      handler: async ({ query }, ctx, req, res) => {
        const bound = parseCookies(req.headers.cookie ?? '')[oidcStateCookieName(secureCookies(req, security.cookieSecure))];
        if (!bound || !sameText(bound, query.state)) throw stateNotThisBrowser();
        clearStateCookie(req, res);
        const pending = await takePending(query.state);
        if (!pending) throw stateUnknown();
        if (query.error) throw await fail(ctx, { reason: 'idpError', error: plainCode(query.error) });
        if (!query.code) throw await fail(ctx, { reason: 'missingCode' });

        const idp = await provider();
        // The authorization response as the provider sent it, on the registered redirect URI (not on what the Host header claims).
        const currentUrl = new URL(config.redirectUri);
        for (const [key, value] of Object.entries(query)) if (typeof value === 'string') currentUrl.searchParams.set(key, value);
        let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
        try {
          tokens = await client.authorizationCodeGrant(idp, currentUrl, {
            pkceCodeVerifier: pending.codeVerifier, expectedState: query.state, expectedNonce: pending.nonce, idTokenExpected: true,
          });
        } catch (err) {
          if (isTransportFailure(err)) {
            discovered = undefined;
            await audit({ username: 'oidc:unknown' }, ctx.client, { reason: 'tokenExchange', error: 'unreachable' });
            throw unreachable();
          }
          throw await fail(ctx, grantFailure(err));
        }

        const claims = tokens.claims();
        if (!claims) throw await fail(ctx, { reason: 'verification', error: 'noIdToken' });
        const subject = { username: `oidc:${claims.sub}`.slice(0, 64) };
        let username: unknown = claims[config.usernameClaim];
        // Providers may keep profile claims out of the ID token (OIDC Core §5.4): ask the UserInfo endpoint then.
        if (username === undefined && idp.serverMetadata().userinfo_endpoint) {
          try {
            const info = await client.fetchUserInfo(idp, tokens.access_token, claims.sub);
            username = info[config.usernameClaim];
          } catch (err) {
            if (isTransportFailure(err)) {
              await audit(subject, ctx.client, { reason: 'userinfo', error: 'unreachable' });
              throw unreachable();
            }
            throw await fail(ctx, { reason: 'userinfo', error: grantFailure(err).error ?? 'unknown' }, subject);
          }
        }
        if (typeof username !== 'string' || username.trim() === '' || username.length > 64) {
          throw await fail(ctx, { reason: 'noUsernameClaim' }, subject);
        }

        const signed = await auth.loginExternal(username, 'oidc', ctx.client);
        setSessionCookie(req, res, signed.token, security.cookieSecure);
        res.redirect(302, pending.returnTo ?? '/');
        return undefined;
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/auth/oidc', routes, registry);
}
