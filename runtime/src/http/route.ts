/**
 * Declared API routes. Every route states its access requirement and the schema of its path
 * parameters, query and body (unknown fields are refused); the handler only sees valid input.
 * The declarations are kept, so tests (the authorization matrix) and docs enumerate every route.
 */
import type { NextFunction, Request, Response, Router } from 'express';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { UserError } from '@gridflow/engine';
import type { AccessAction, AccessSubject } from '@gridflow/engine';
import { contextOf, signedIn } from './request-context.ts';
import type { RequestContext, SignedInUser } from './request-context.ts';
import { validator } from './validation.ts';

/** A permission for an action on a subject (in some scope). */
export interface AccessRule {
  action: AccessAction;
  subject: AccessSubject;
}
/** Who may call a route: anyone, any signed-in user, or a user with some permission for an action on a subject (or for any of several). */
export type RouteAccess = 'public' | 'signedIn' | AccessRule | AccessRule[];

type Input<P extends TSchema, Q extends TSchema, B extends TSchema> = { params: Static<P>; query: Static<Q>; body: Static<B> };

/** A declared route. */
export interface RouteSpec<P extends TObject = TObject, Q extends TObject = TObject, B extends TSchema = TSchema, R extends TSchema = TSchema> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path under the router's mount point, e.g. `/:id`. */
  path: string;
  summary: string;
  access: RouteAccess;
  /** Allowed while the user must still change their password (sign-out, password change, who am I). */
  duringPasswordChange?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** The handler reads the raw request body itself (`application/octet-stream`, e.g. file uploads). */
  rawBody?: boolean;
  /** Schema of the JSON body answered with status 200 (documented in the OpenAPI document); the handler must return it. */
  response?: R;
  /** Returns the JSON body (status 200) or sends the response itself and returns undefined. */
  handler(input: Input<P, Q, B>, ctx: RequestContext & { user: SignedInUser | undefined }, req: Request, res: Response): Promise<Static<R> | undefined>;
}

/** A route as registered on the app (with its full path and its schemas, for docs and tests). */
export interface RegisteredRoute {
  method: RouteSpec['method'];
  path: string;
  summary: string;
  access: RouteAccess;
  params?: TObject;
  query?: TObject;
  body?: TSchema;
  rawBody?: boolean;
  response?: TSchema;
}

/** Declares a route with typed input. */
export function defineRoute<P extends TObject, Q extends TObject, B extends TSchema, R extends TSchema = TSchema>(spec: RouteSpec<P, Q, B, R>): RouteSpec<P, Q, B, R> {
  return spec;
}

const forbidden = () => new UserError('auth.forbidden', { 'zh-CN': '无权执行此操作', en: 'You are not allowed to do this' }, { status: 403 });
const mustChange = () => new UserError('auth.passwordChangeRequired', { 'zh-CN': '请先修改密码', en: 'Please change your password first' }, { status: 403 });

function checkAccess(spec: RouteSpec, ctx: RequestContext): void {
  if (spec.access === 'public') return;
  const user = signedIn(ctx);
  if (user.mustChangePassword && !spec.duringPasswordChange) throw mustChange();
  if (spec.access === 'signedIn') return;
  const rules = Array.isArray(spec.access) ? spec.access : [spec.access];
  if (!rules.some((r) => user.ability.can(r.action, r.subject))) throw forbidden();
}

/** Mounts routes on a router and records them (with `prefix`) in `registry`. */
export function mountRoutes(router: Router, prefix: string, routes: RouteSpec<TObject, TObject, TSchema>[], registry: RegisteredRoute[]): Router {
  for (const spec of routes) {
    if (spec.rawBody && spec.body) throw new Error(`${spec.method} ${prefix}${spec.path} reads a raw body: it cannot also declare a JSON body schema`);
    const params = spec.params ? validator(spec.params, 'params', true) : undefined;
    const query = spec.query ? validator(spec.query, 'query', true) : validator(undefined, 'query', true);
    const body = spec.body ? validator(spec.body, 'body', false) : undefined;
    router[spec.method](spec.path, (req: Request, res: Response, next: NextFunction) => {
      const ctx = contextOf(res);
      (async () => {
        checkAccess(spec, ctx);
        const input = {
          params: params ? params({ ...req.params }) : {},
          query: query({ ...(req.query as Record<string, unknown>) }),
          body: body ? body(req.body ?? {}) : refuseBody(req),
        };
        const result = await spec.handler(input as never, ctx as RequestContext & { user: SignedInUser | undefined }, req, res);
        if (result !== undefined && !res.headersSent) res.json(result);
      })().catch(next);
    });
    registry.push(registered(spec, prefix));
  }
  return router;
}

/** The registry entry of a route mounted under `prefix`. */
function registered(spec: RouteSpec, prefix: string): RegisteredRoute {
  const { method, summary, access, params, query, body, rawBody, response } = spec;
  return {
    method, path: `${prefix}${spec.path === '/' ? '' : spec.path}`, summary, access,
    ...(params ? { params } : {}), ...(query ? { query } : {}), ...(body ? { body } : {}), ...(rawBody ? { rawBody } : {}), ...(response ? { response } : {}),
  };
}

function refuseBody(req: Request): Record<string, never> {
  const body = req.body as unknown;
  if (body && typeof body === 'object' && Object.keys(body).length > 0) {
    throw new UserError('request.unexpectedBody', { 'zh-CN': '该接口不接受请求体', en: 'This endpoint takes no request body' });
  }
  return {};
}
