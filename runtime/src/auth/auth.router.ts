/** Sign-in routes: password sign-in, sign-out (this session or all), who am I, password change. */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { packRules } from '@casl/ability/extra';
import type { SecurityConfig } from '../config.ts';
import { ChangePasswordBody, LoginBody } from '../contracts/auth.ts';
import type { LoginResponse, MeResponse } from '../contracts/auth.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { actorOf, signedIn } from '../http/request-context.ts';
import type { SignedInUser } from '../http/request-context.ts';
import type { AuthService } from './auth.service.ts';
import { sessionCookieName } from './authenticate.ts';
import type { Authenticator } from './authenticate.ts';

/** Whether cookies of this request are Secure. */
export function secureCookies(req: Request, mode: SecurityConfig['cookieSecure']): boolean {
  return mode === 'always' || (mode === 'auto' && req.secure);
}

/** Sets the session cookie (HttpOnly, SameSite=Lax, Secure behind TLS). */
export function setSessionCookie(req: Request, res: Response, token: string, mode: SecurityConfig['cookieSecure']): void {
  const secure = secureCookies(req, mode);
  res.cookie(sessionCookieName(secure), token, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

/** The signed-in user as the API describes them. */
export function describeMe(user: SignedInUser): MeResponse {
  const p = user.principal;
  return {
    username: p.username, displayName: p.displayName, roles: p.roles, orgUnit: p.orgUnitCode, grids: p.grids,
    ...(p.departmentCode ? { department: p.departmentCode } : {}),
    mustChangePassword: user.mustChangePassword,
    ...(user.session.csrfToken ? { csrfToken: user.session.csrfToken } : {}),
    sessionExpiresAt: user.session.expiresAt.toISOString(),
    rules: packRules(user.ability.rules as never),
  };
}

/** The auth router (mounted at /api/auth). */
export function authRouter(auth: AuthService, authenticator: Authenticator, security: SecurityConfig, registry: RegisteredRoute[]): Router {
  const routes = [
    defineRoute({
      method: 'post', path: '/login', summary: 'Sign in with username and password', access: 'public', body: LoginBody,
      handler: async ({ body }, ctx, req, res): Promise<LoginResponse> => {
        const mode = body.mode ?? 'cookie';
        const signed = await auth.login(body.username, body.password, mode, ctx.client);
        if (mode === 'cookie') setSessionCookie(req, res, signed.token, security.cookieSecure);
        const user = await authenticator.resolve(signed.token, mode);
        if (typeof user === 'string') throw new Error(`A session just opened resolved to "${user}"`);
        return { me: describeMe(user), ...(mode === 'bearer' ? { token: signed.token } : {}) };
      },
    }),
    defineRoute({
      method: 'post', path: '/logout', summary: 'Sign out of this session', access: 'signedIn', duringPasswordChange: true,
      handler: async (_input, ctx, req, res) => {
        const user = signedIn(ctx);
        await auth.logout(user.session, actorOf(user), ctx.client);
        res.clearCookie(sessionCookieName(secureCookies(req, security.cookieSecure)), { path: '/' });
        return { ok: true };
      },
    }),
    defineRoute({
      method: 'post', path: '/logout-all', summary: 'Sign out of every session of the user', access: 'signedIn', duringPasswordChange: true,
      handler: async (_input, ctx, req, res) => {
        const user = signedIn(ctx);
        const ended = await auth.logoutAll(user.principal.userId, actorOf(user), ctx.client);
        res.clearCookie(sessionCookieName(secureCookies(req, security.cookieSecure)), { path: '/' });
        return { ended };
      },
    }),
    defineRoute({
      method: 'get', path: '/me', summary: 'The signed-in user, their CSRF token and access rules', access: 'signedIn', duringPasswordChange: true,
      handler: async (_input, ctx) => describeMe(signedIn(ctx)),
    }),
    defineRoute({
      method: 'post', path: '/password', summary: 'Change the own password (ends the other sessions)', access: 'signedIn', duringPasswordChange: true,
      body: ChangePasswordBody,
      handler: async ({ body }, ctx) => {
        const user = signedIn(ctx);
        await auth.changePassword(user.session, actorOf(user), body.currentPassword, body.newPassword, ctx.client);
        return { ok: true };
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/auth', routes, registry);
}
