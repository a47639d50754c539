/** User accounts API: scoped lists and details (phones masked), unlocking, roles and account state. */
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { digestOf, UserError } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { userSql } from '../access/subject-maps.ts';
import type { MaskTarget } from '../access/masking.ts';
import type { SessionStore } from '../auth/session.store.ts';
import { refusal } from '../http/forbidden.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { actorOf, signedIn } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf, notFound, page, Paging, revealAudited } from '../http/scoped.ts';
import { isoOf } from '../db/values.ts';

/** A user account as the API shows it. */
export interface UserView extends Record<string, unknown> {
  username: string;
  displayName: string;
  orgUnit: string;
  department: string | null;
  roles: string[];
  status: string;
  phone: string | null;
  lockedUntil: string | null;
}

const USER = { 'zh-CN': '用户', en: 'user' };
const Username = Type.Object({ username: Type.String({ pattern: '^[a-z][a-z0-9_.-]{2,40}$' }) }, { additionalProperties: false });
const target: MaskTarget = { subject: 'User', sql: userSql, from: (db) => db('users'), idColumn: 'users.username', idField: 'username' };

async function views(db: Knex, rows: Record<string, unknown>[]): Promise<UserView[]> {
  const ids = rows.map((r) => Number(r.id));
  const roles = ids.length ? await db('user_roles').whereIn('user_id', ids).select('user_id', 'role_code').orderBy('role_code') as { user_id: number; role_code: string }[] : [];
  return rows.map((r) => ({
    username: String(r.username), displayName: String(r.display_name), orgUnit: String(r.org_unit_code), department: (r.department_code as string | null) ?? null,
    roles: roles.filter((x) => x.user_id === Number(r.id)).map((x) => x.role_code), status: String(r.status), phone: (r.phone as string | null) ?? null,
    lockedUntil: isoOf(r.locked_until),
  }));
}

const columns = ['users.id', 'users.username', 'users.display_name', 'users.org_unit_code', 'users.department_code', 'users.status', 'users.phone', 'users.locked_until'];

/** Finds a user the signed-in user may manage: 404 when they may not even see it, 403 (with the reason) when they may only see it. */
async function managed(db: Knex, user: SignedInUser, username: string): Promise<{ id: number; username: string }> {
  const base = () => db('users').where('users.username', username);
  const row = await whereAllowed(base(), user.ability, 'administer', 'User', userSql, user.principal).first('users.id', 'users.username') as { id: number; username: string } | undefined;
  if (row) return row;
  const visible = await whereAllowed(base(), user.ability, 'read', 'User', userSql, user.principal).first('users.username', 'users.org_unit_code', 'users.department_code') as
    { username: string; org_unit_code: string; department_code: string | null } | undefined;
  if (!visible) throw notFound(USER);
  throw refusal(user, 'administer', 'User', { username: visible.username, orgUnitCode: visible.org_unit_code, departmentCode: visible.department_code });
}

async function audited(db: Knex, ctx: RequestContext, user: SignedInUser, clock: () => Date, action: string, username: string, before: unknown, after: unknown, change: (trx: Knex.Transaction) => Promise<void>): Promise<void> {
  await db.transaction(async (trx) => {
    await change(trx);
    await new AuditLog(db).append(trx, {
      occurredAt: clock().toISOString(), actor: actorOf(user), action, target: { type: 'user', id: username }, outcome: 'success', ...clientOf(ctx),
      beforeDigest: digestOf(before), afterDigest: digestOf(after), details: { before, after },
    });
  });
}

/** The users router (mounted at /api/users). */
export function usersRouter(db: Knex, sessions: SessionStore, clock: () => Date, registry: RegisteredRoute[]): Router {
  const routes = [
    defineRoute({
      method: 'get', path: '/', summary: 'User accounts within the signed-in user\'s scope', access: { action: 'read', subject: 'User' },
      query: Type.Object({ q: Type.Optional(Type.String({ maxLength: 50 })), orgUnit: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,15}$' })), ...Paging }, { additionalProperties: false }),
      handler: async ({ query }, ctx) => {
        const user = signedIn(ctx);
        const q = whereAllowed(db('users'), user.ability, 'read', 'User', userSql, user.principal);
        if (query.q) q.where((b) => b.where('users.username', 'like', `%${query.q}%`).orWhere('users.display_name', 'like', `%${query.q}%`));
        if (query.orgUnit) q.where('users.org_unit_code', query.orgUnit);
        const { rows, total } = await page(q, columns, [{ column: 'users.username' }], query);
        return { items: await revealAudited(db, ctx, user, target, await views(db, rows), clock), total };
      },
    }),
    defineRoute({
      method: 'get', path: '/:username', summary: 'One user account', access: { action: 'read', subject: 'User' }, params: Username,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const row = await whereAllowed(db('users').where('users.username', params.username), user.ability, 'read', 'User', userSql, user.principal).first(columns) as Record<string, unknown> | undefined;
        if (!row) throw notFound(USER);
        return (await revealAudited(db, ctx, user, target, await views(db, [row]), clock))[0];
      },
    }),
    defineRoute({
      method: 'post', path: '/:username/unlock', summary: 'Lift a sign-in lock', access: { action: 'administer', subject: 'User' }, params: Username,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const row = await managed(db, user, params.username);
        await audited(db, ctx, user, clock, 'user.unlock', row.username, null, null, async (trx) => {
          await trx('users').where({ id: row.id }).update({ failed_attempts: 0, locked_until: null, updated_at: clock() });
        });
        return { ok: true };
      },
    }),
    defineRoute({
      method: 'put', path: '/:username/roles', summary: 'Replace the roles of a user (a permission change)', access: { action: 'administer', subject: 'User' }, params: Username,
      body: Type.Object({ roles: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]{1,40}$' }), { maxItems: 20, uniqueItems: true }) }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => {
        const user = signedIn(ctx);
        const row = await managed(db, user, params.username);
        const known = new Set((await db('roles').where({ active: true }).select('code') as { code: string }[]).map((r) => r.code));
        const unknown = body.roles.filter((r) => !known.has(r));
        if (unknown.length > 0) {
          throw new UserError('users.unknownRole', { 'zh-CN': `角色不存在：${unknown.join('、')}`, en: `No such role: ${unknown.join(', ')}` }, {
            details: unknown.map((r) => ({ target: `/body/roles/${body.roles.indexOf(r)}`, message: { 'zh-CN': '角色不存在', en: 'no such role' } })),
          });
        }
        const before = (await db('user_roles').where({ user_id: row.id }).select('role_code').orderBy('role_code') as { role_code: string }[]).map((r) => r.role_code);
        const after = [...body.roles].sort();
        await audited(db, ctx, user, clock, 'user.setRoles', row.username, before, after, async (trx) => {
          await trx('user_roles').where({ user_id: row.id }).delete();
          if (after.length > 0) await trx('user_roles').insert(after.map((role_code) => ({ user_id: row.id, role_code })));
        });
        return { roles: after };
      },
    }),
    defineRoute({
      method: 'put', path: '/:username/status', summary: 'Enable or disable an account (disabling ends its sessions)', access: { action: 'administer', subject: 'User' }, params: Username,
      body: Type.Object({ status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => {
        const user = signedIn(ctx);
        const row = await managed(db, user, params.username);
        const before = (await db('users').where({ id: row.id }).first('status') as { status: string }).status;
        await audited(db, ctx, user, clock, 'user.setStatus', row.username, before, body.status, async (trx) => {
          await trx('users').where({ id: row.id }).update({ status: body.status, updated_at: clock() });
          if (body.status === 'disabled') await sessions.revokeAll(trx, row.id);
        });
        return { status: body.status };
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/users', routes, registry);
}
