/**
 * Sign-in sessions. The token given to the client is random (256 bits); only its SHA-256 is
 * stored, so a copy of the database cannot be used to sign in. A session ends when idle too long,
 * when its absolute lifetime runs out, or when revoked (sign-out, sign-out everywhere, password change).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { dateOf } from '../db/values.ts';

/** Browser sessions travel in a cookie (and need a CSRF token); bearer sessions in the Authorization header. */
export type SessionKind = 'cookie' | 'bearer';

/** Lifetimes of sessions. */
export interface SessionLimits {
  idleMinutes: number;
  maxHours: number;
}

/** A live session. */
export interface Session {
  id: string;
  userId: number;
  kind: SessionKind;
  authMethod: string;
  csrfToken: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** Why a presented token does not give a session. */
export type SessionRefusal = 'unknown' | 'revoked' | 'idle' | 'expired';

/** Last-seen times are written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const asDate = (v: unknown) => dateOf(v) ?? new Date(0);

/** The sessions table. */
export class SessionStore {
  constructor(private readonly db: Knex, private readonly limits: SessionLimits, private readonly clock: () => Date = () => new Date()) {}

  /** Opens a session; returns the token (shown once) and the session. */
  async create(db: Knex | Knex.Transaction, input: { userId: number; kind: SessionKind; authMethod: string; ip?: string; userAgent?: string }): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    const session: Session = {
      id: hashToken(token), userId: input.userId, kind: input.kind, authMethod: input.authMethod,
      csrfToken: input.kind === 'cookie' ? randomBytes(24).toString('base64url') : null,
      createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + this.limits.maxHours * 3_600_000),
    };
    await db('sessions').insert({
      id: session.id, user_id: session.userId, kind: session.kind, auth_method: session.authMethod, csrf_token: session.csrfToken,
      ip: input.ip?.slice(0, 64) ?? null, user_agent: input.userAgent?.slice(0, 255) ?? null,
      created_at: now, last_seen_at: now, expires_at: session.expiresAt,
    });
    return { token, session };
  }

  /** The live session of a token, or why there is none. Refreshes the idle timer. */
  async resolve(token: string): Promise<Session | SessionRefusal> {
    const row = await this.db('sessions').where({ id: hashToken(token) }).first() as Record<string, unknown> | undefined;
    if (!row) return 'unknown';
    if (row.revoked_at) return 'revoked';
    const now = this.clock();
    const session: Session = {
      id: String(row.id), userId: Number(row.user_id), kind: row.kind as SessionKind, authMethod: String(row.auth_method),
      csrfToken: (row.csrf_token as string | null) ?? null,
      createdAt: asDate(row.created_at), lastSeenAt: asDate(row.last_seen_at), expiresAt: asDate(row.expires_at),
    };
    if (session.expiresAt <= now) return 'expired';
    if (session.lastSeenAt.getTime() + this.limits.idleMinutes * 60_000 <= now.getTime()) return 'idle';
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.db('sessions').where({ id: session.id }).update({ last_seen_at: now });
      session.lastSeenAt = now;
    }
    return session;
  }

  /** Ends one session. */
  async revoke(db: Knex | Knex.Transaction, id: string): Promise<void> {
    await db('sessions').where({ id }).whereNull('revoked_at').update({ revoked_at: this.clock() });
  }

  /** Ends every session of a user (but `except`); returns how many were live. */
  async revokeAll(db: Knex | Knex.Transaction, userId: number, except?: string): Promise<number> {
    const q = db('sessions').where({ user_id: userId }).whereNull('revoked_at').where('expires_at', '>', this.clock());
    if (except) q.whereNot({ id: except });
    return q.update({ revoked_at: this.clock() });
  }

  /** Deletes sessions that ended more than a day ago. */
  async purge(): Promise<number> {
    const dayAgo = new Date(this.clock().getTime() - 86_400_000);
    return this.db('sessions').where('expires_at', '<', dayAgo).orWhere('revoked_at', '<', dayAgo).delete();
  }
}
