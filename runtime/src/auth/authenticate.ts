/**
 * Resolves the session of a request (bearer token or session cookie) into the signed-in user and
 * their ability, and enforces CSRF protection for cookie sessions: unsafe methods must carry the
 * session's CSRF token in `X-CSRF-Token` (the token is only readable by our own pages).
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { Knex } from 'knex';
import { defineAbility, passwordExpired, UserError } from '@gridflow/engine';
import type { PasswordPolicy } from '@gridflow/engine';
import { loadPrincipal } from '../access/policy.loader.ts';
import type { PolicyLoader } from '../access/policy.loader.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import type { SessionKind, SessionRefusal, SessionStore } from './session.store.ts';
import { dateOf } from '../db/values.ts';

/** Name of the session cookie (with the __Host- prefix when Secure). */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-gridflow_session' : 'gridflow_session';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token presented by a request and how. */
function presentedToken(req: Request): { token: string; via: SessionKind } | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice(7).trim(), via: 'bearer' };
  const cookies = parseCookies(req.headers.cookie ?? '');
  const token = cookies['__Host-gridflow_session'] ?? cookies.gridflow_session;
  return token ? { token, via: 'cookie' } : undefined;
}

/** Turns presented session tokens into signed-in users. */
export class Authenticator {
  constructor(
    private readonly db: Knex, private readonly sessions: SessionStore, private readonly policies: PolicyLoader,
    private readonly passwordPolicy: PasswordPolicy, private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The signed-in user of a token presented in a cookie or as a bearer token, or why there is none. */
  async resolve(token: string, via: SessionKind): Promise<SignedInUser | SessionRefusal> {
    const session = await this.sessions.resolve(token);
    if (typeof session === 'string') return session;
    if (session.kind !== via) return 'unknown';
    const policy = await this.policies.policy();
    const loaded = await loadPrincipal(this.db, policy, session.userId);
    if (!loaded) return 'unknown';
    const { principal, account } = loaded;
    const mustChangePassword = session.authMethod === 'password' && (account.mustChangePassword
      || passwordExpired(dateOf(account.passwordChangedAt), this.passwordPolicy, this.clock()));
    return { session, principal, ability: defineAbility(principal, policy), policy, mustChangePassword };
  }

  /** Express middleware that fills `res.locals.ctx.user` when a valid session is presented. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      (async () => {
        const ctx = res.locals.ctx as RequestContext;
        const presented = presentedToken(req);
        if (!presented) return;
        const user = await this.resolve(presented.token, presented.via);
        // A stale session does not stop public routes (such as signing in again); signed-in routes report it.
        if (typeof user === 'string') {
          ctx.sessionEnded = user;
          return;
        }
        if (user.session.kind === 'cookie' && !SAFE_METHODS.has(req.method)) {
          const sent = req.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !user.session.csrfToken || !sameToken(sent, user.session.csrfToken)) {
            throw new UserError('auth.csrf', { 'zh-CN': '请求校验失败（CSRF），请刷新页面后重试', en: 'Request verification failed (CSRF); reload the page and try again' }, { status: 403 });
          }
        }
        ctx.user = user;
      })().then(() => next(), next);
    };
  }
}
