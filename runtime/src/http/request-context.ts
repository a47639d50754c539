/** What the API knows about a request: its id, client, and the signed-in user with their ability. */
import type { Response } from 'express';
import { UserError } from '@gridflow/engine';
import type { AppAbility, AuditActor, Principal } from '@gridflow/engine';
import type { LoadedPolicy } from '../access/policy.loader.ts';
import type { Session, SessionRefusal } from '../auth/session.store.ts';
import type { ClientInfo } from '../auth/auth.service.ts';

/** The signed-in user of a request. */
export interface SignedInUser {
  session: Session;
  principal: Principal;
  ability: AppAbility;
  policy: LoadedPolicy;
  mustChangePassword: boolean;
}

/** Per-request context, kept in `res.locals.ctx`. */
export interface RequestContext {
  requestId: string;
  client: ClientInfo;
  user?: SignedInUser;
  /** Why a presented session is not valid (unknown, revoked, idle, expired). */
  sessionEnded?: SessionRefusal;
}

/** The context of a request. */
export function contextOf(res: Response): RequestContext {
  return res.locals.ctx as RequestContext;
}

/** The signed-in user, or a 401. */
export function signedIn(ctx: RequestContext): SignedInUser {
  if (ctx.sessionEnded === 'idle') {
    throw new UserError('auth.sessionEnded', { 'zh-CN': '长时间未操作，会话已超时，请重新登录', en: 'The session timed out after inactivity; please sign in again' }, { status: 401 });
  }
  if (ctx.sessionEnded) throw new UserError('auth.sessionEnded', { 'zh-CN': '会话已失效，请重新登录', en: 'The session has ended; please sign in again' }, { status: 401 });
  if (!ctx.user) throw new UserError('auth.required', { 'zh-CN': '请先登录', en: 'Please sign in' }, { status: 401 });
  return ctx.user;
}

/** The audit actor of a signed-in user. */
export function actorOf(user: SignedInUser): AuditActor {
  const p = user.principal;
  return { userId: p.userId, username: p.username, role: p.roles.join(','), orgUnit: p.orgUnitCode };
}
