/**
 * Signing in and out with local accounts: argon2id verification, lockout after repeated failures,
 * forced password change, sign-out everywhere. Every attempt is audited with the client's address.
 * Refusals never tell an unknown username from a wrong password, and unknown usernames lock too.
 */
import type { Knex } from 'knex';
import { hash, verify } from '@node-rs/argon2';
import { afterAttempt, checkPassword, isLocked, passwordExpired, UserError } from '@gridflow/engine';
import type { AuditActor, LockoutPolicy, LockoutState, PasswordPolicy } from '@gridflow/engine';
import { AuditLog, auditClient } from '../audit/audit.store.ts';
import { hashPassword } from '../users/passwords.service.ts';
import type { Session, SessionKind, SessionStore } from './session.store.ts';
import { dateOf } from '../db/values.ts';

/** Where a request came from, for the audit log. */
export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** A successful sign-in. */
export interface SignedIn {
  token: string;
  session: Session;
  mustChangePassword: boolean;
}

const failed = () => new UserError('auth.failed', { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' }, { status: 401 });
const locked = (minutes: number) => new UserError('auth.locked', {
  'zh-CN': `登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`, en: `Too many failed sign-ins: the account is locked, try again in ${minutes} minutes`,
}, { status: 423 });

/** At most this many unknown usernames are tracked for lockout (oldest forgotten first). */
const UNKNOWN_TRACKED = 10_000;

/** Signing in and out. */
export class AuthService {
  private readonly unknown = new Map<string, LockoutState>();
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly db: Knex,
    private readonly sessions: SessionStore,
    private readonly policy: { password: PasswordPolicy; lockout: LockoutPolicy },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Verifies a username and password and opens a session. */
  async login(username: string, password: string, kind: SessionKind, client: ClientInfo): Promise<SignedIn> {
    const now = this.clock();
    const user = await this.db('users').where({ username }).first() as Record<string, unknown> | undefined;
    if (!user) return this.refuseUnknown(username, password, now, client);
    const state: LockoutState = { failedAttempts: Number(user.failed_attempts ?? 0), lockedUntil: dateOf(user.locked_until) };
    if (isLocked(state, now)) {
      await this.audit({ username }, 'session.login', 'failure', client, { reason: 'locked' });
      throw locked(Math.ceil(((state.lockedUntil?.getTime() ?? 0) - now.getTime()) / 60_000));
    }
    const passwordOk = typeof user.password_hash === 'string' && await verify(user.password_hash, password);
    const ok = passwordOk && user.status === 'active';
    const next = afterAttempt(state, ok, now, this.policy.lockout);
    const actor: AuditActor = { userId: Number(user.id), username, orgUnit: String(user.org_unit_code) };
    if (!ok) {
      await this.db.transaction(async (trx) => {
        await trx('users').where({ id: user.id }).update({ failed_attempts: next.failedAttempts, locked_until: next.lockedUntil });
        await this.audit(actor, 'session.login', 'failure', client, { reason: passwordOk ? 'disabled' : 'badPassword' }, trx);
        if (next.lockedUntil && !state.lockedUntil) await this.audit(actor, 'user.lock', 'success', client, { until: next.lockedUntil.toISOString() }, trx);
      });
      if (next.lockedUntil) throw locked(this.policy.lockout.lockMinutes);
      throw failed();
    }
    const expired = passwordExpired(dateOf(user.password_changed_at), this.policy.password, now);
    const mustChangePassword = Boolean(user.must_change_password) || expired;
    return this.db.transaction(async (trx) => {
      await trx('users').where({ id: user.id }).update({ failed_attempts: 0, locked_until: null });
      const opened = await this.sessions.create(trx, { userId: Number(user.id), kind, authMethod: 'password', ...client });
      await this.audit(actor, 'session.login', 'success', client, { kind, mustChangePassword }, trx);
      return { ...opened, mustChangePassword };
    });
  }

  /** Opens a session for a user already authenticated elsewhere (OpenID Connect). */
  async loginExternal(username: string, method: string, client: ClientInfo): Promise<SignedIn> {
    const user = await this.db('users').where({ username, status: 'active' }).first('id', 'org_unit_code') as { id: number; org_unit_code: string } | undefined;
    if (!user) {
      await this.audit({ username }, 'session.login', 'failure', client, { method, reason: 'noSuchActiveUser' });
      throw new UserError('auth.noAccount', { 'zh-CN': '该身份没有对应的可用账号，请联系系统管理员', en: 'No active GridFlow account for this identity; ask your administrator' }, { status: 403 });
    }
    return this.db.transaction(async (trx) => {
      const opened = await this.sessions.create(trx, { userId: user.id, kind: 'cookie', authMethod: method, ...client });
      await this.audit({ userId: user.id, username, orgUnit: user.org_unit_code }, 'session.login', 'success', client, { kind: 'cookie', method }, trx);
      return { ...opened, mustChangePassword: false };
    });
  }

  /** Ends the current session. */
  async logout(session: Session, actor: AuditActor, client: ClientInfo): Promise<void> {
    await this.db.transaction(async (trx) => {
      await this.sessions.revoke(trx, session.id);
      await this.audit(actor, 'session.logout', 'success', client, {}, trx);
    });
  }

  /** Ends every session of the user, the current one included. */
  async logoutAll(userId: number, actor: AuditActor, client: ClientInfo): Promise<number> {
    return this.db.transaction(async (trx) => {
      const ended = await this.sessions.revokeAll(trx, userId);
      await this.audit(actor, 'session.logoutAll', 'success', client, { ended }, trx);
      return ended;
    });
  }

  /** Changes the user's own password; other sessions end. */
  async changePassword(session: Session, actor: AuditActor, current: string, next: string, client: ClientInfo): Promise<void> {
    const user = await this.db('users').where({ id: session.userId }).first('password_hash', 'username') as { password_hash: string | null; username: string };
    if (!user.password_hash || !(await verify(user.password_hash, current))) {
      await this.audit(actor, 'user.changePassword', 'failure', client, { reason: 'badPassword' });
      throw new UserError('auth.badCurrentPassword', { 'zh-CN': '当前密码不正确', en: 'The current password is wrong' }, { status: 400, details: [{ target: 'currentPassword', message: { 'zh-CN': '当前密码不正确', en: 'The current password is wrong' } }] });
    }
    const problems = checkPassword(next, this.policy.password, user.username);
    if (current === next) problems.push({ 'zh-CN': '新密码不能与当前密码相同', en: 'The new password must differ from the current one' });
    if (problems.length > 0) {
      throw new UserError('auth.weakPassword', { 'zh-CN': '新密码不符合密码策略', en: 'The new password does not meet the password policy' }, {
        details: problems.map((message) => ({ target: 'newPassword', message })),
      });
    }
    const passwordHash = await hashPassword(next);
    const now = this.clock();
    await this.db.transaction(async (trx) => {
      await trx('users').where({ id: session.userId }).update({ password_hash: passwordHash, must_change_password: false, password_changed_at: now, updated_at: now });
      const ended = await this.sessions.revokeAll(trx, session.userId, session.id);
      await this.audit(actor, 'user.changePassword', 'success', client, { otherSessionsEnded: ended }, trx);
    });
  }

  /** Unknown usernames cost the same hashing work and lock the same way as known ones. */
  private async refuseUnknown(username: string, password: string, now: Date, client: ClientInfo): Promise<never> {
    this.dummyHash ??= hash('gridflow-dummy-password');
    await verify(await this.dummyHash, password);
    const key = username.toLowerCase().slice(0, 64);
    const state = this.unknown.get(key) ?? { failedAttempts: 0, lockedUntil: null };
    await this.audit({ username: key }, 'session.login', 'failure', client, { reason: isLocked(state, now) ? 'locked' : 'unknownUser' });
    if (isLocked(state, now)) throw locked(Math.ceil(((state.lockedUntil?.getTime() ?? 0) - now.getTime()) / 60_000));
    const next = afterAttempt(state, false, now, this.policy.lockout);
    this.unknown.delete(key);
    this.unknown.set(key, next);
    if (this.unknown.size > UNKNOWN_TRACKED) this.unknown.delete(this.unknown.keys().next().value ?? '');
    if (next.lockedUntil) throw locked(this.policy.lockout.lockMinutes);
    throw failed();
  }

  private async audit(actor: AuditActor, action: string, outcome: 'success' | 'failure', client: ClientInfo, details: Record<string, unknown>, trx?: Knex.Transaction): Promise<void> {
    const entry = {
      occurredAt: this.clock().toISOString(), actor, action, target: { type: 'session', ...(actor.username ? { id: actor.username } : {}) }, outcome,
      ...auditClient(client), details,
    } as const;
    const log = new AuditLog(this.db);
    if (trx) await log.append(trx, entry);
    else await log.record(entry);
  }
}
