/**
 * Notifications API (mounted at /api/notifications): the signed-in user's own notifications only;
 * plus, for operators, their deliveries through channels (deliveries.router.ts).
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';
import { notFound } from '../http/scoped.ts';
import { notificationsOf } from './notifications.ts';
import { deliveryRoutes } from './deliveries.router.ts';

/** The notifications router. */
export function notificationsRouter(db: Knex, clock: () => Date, registry: RegisteredRoute[]): Router {
  const routes = [
    defineRoute({
      method: 'get', path: '/', summary: 'My notifications, newest first (unread only on request)', access: 'signedIn',
      query: Type.Object({ unread: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, { additionalProperties: false }),
      handler: async ({ query }, ctx) => {
        const user = signedIn(ctx);
        const [{ n } = { n: 0 }] = await db('notifications').where({ user_id: user.principal.userId }).whereNull('read_at').count({ n: '*' }) as { n: number }[];
        return { items: await notificationsOf(db, user.principal.userId, query.unread ?? false, query.limit ?? 50), unread: Number(n) };
      },
    }),
    defineRoute({
      method: 'post', path: '/:id/read', summary: 'Mark one of my notifications read', access: 'signedIn',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const mine = await db('notifications').where({ id: params.id, user_id: user.principal.userId }).first('id');
        if (!mine) throw notFound({ 'zh-CN': '通知', en: 'notification' });
        await db('notifications').where({ id: params.id }).whereNull('read_at').update({ read_at: clock() });
        return { ok: true };
      },
    }),
    defineRoute({
      method: 'post', path: '/read-all', summary: 'Mark all my notifications read', access: 'signedIn',
      handler: async (_input, ctx) => {
        const user = signedIn(ctx);
        const marked = await db('notifications').where({ user_id: user.principal.userId }).whereNull('read_at').update({ read_at: clock() });
        return { ok: true, marked };
      },
    }),
    ...deliveryRoutes(db, clock),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/notifications', routes, registry);
}
