/**
 * Deliveries of notifications through channels, for operators (mounted with the notifications at
 * /api/notifications/deliveries): who may administer a notification's recipient sees its deliveries
 * and may send a failed one again.
 */
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { UserError } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { userSql } from '../access/subject-maps.ts';
import { NotificationDeliveryList, NotificationDeliveryStatus, NotificationDeliveryView } from '../contracts/notifications.ts';
import { isoOf } from '../db/values.ts';
import { defineRoute } from '../http/route.ts';
import type { RouteSpec } from '../http/route.ts';
import { actorOf, signedIn } from '../http/request-context.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { clientOf, notFound, page, Paging } from '../http/scoped.ts';
import { requeue } from './delivery-queue.ts';

const DELIVERY = { 'zh-CN': '通知投递记录', en: 'notification delivery' };
const ADMINISTER_USER = { action: 'administer', subject: 'User' } as const;
const DeliveryId = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }) }, { additionalProperties: false });
const columns = [
  'd.id', 'd.notification_id', 'd.channel_id', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_error', 'd.delivered_at', 'd.created_at', 'd.updated_at',
  'n.kind', 'n.case_id', 'n.task_id', 'users.username', 'users.display_name',
];

/** Deliveries whose recipient the user may administer. */
function scoped(db: Knex, user: SignedInUser): Knex.QueryBuilder {
  const q = db('notification_deliveries as d').join('notifications as n', 'n.id', 'd.notification_id').join('users', 'users.id', 'n.user_id');
  return whereAllowed(q, user.ability, 'administer', 'User', userSql, user.principal);
}

function viewOf(r: Record<string, unknown>): NotificationDeliveryView {
  const status = String(r.status) as NotificationDeliveryView['status'];
  return {
    id: String(r.id), notificationId: Number(r.notification_id), channel: String(r.channel_id), status, attempts: Number(r.attempts),
    nextAttemptAt: status === 'pending' ? isoOf(r.next_attempt_at) : null, lastError: (r.last_error as string | null) ?? null,
    deliveredAt: isoOf(r.delivered_at), createdAt: isoOf(r.created_at) ?? '', updatedAt: isoOf(r.updated_at) ?? '',
    kind: String(r.kind), caseId: (r.case_id as string | null) ?? null, taskId: (r.task_id as string | null) ?? null,
    recipient: { username: String(r.username), displayName: String(r.display_name) },
  };
}

/** The delivery routes. */
export function deliveryRoutes(db: Knex, clock: () => Date): RouteSpec[] {
  const one = async (user: SignedInUser, id: string) => {
    const row = await scoped(db, user).where('d.id', id).first(columns) as Record<string, unknown> | undefined;
    if (!row) throw notFound(DELIVERY);
    return viewOf(row);
  };
  return [
    defineRoute({
      method: 'get', path: '/deliveries', summary: 'Deliveries of notifications through channels (webhook …), newest first, for recipients the user may administer',
      access: ADMINISTER_USER, response: NotificationDeliveryList,
      query: Type.Object({ status: Type.Optional(NotificationDeliveryStatus), channel: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9.-]{0,63}$' })), ...Paging }, { additionalProperties: false }),
      handler: async ({ query }, ctx) => {
        const q = scoped(db, signedIn(ctx));
        if (query.status) q.where('d.status', query.status);
        if (query.channel) q.where('d.channel_id', query.channel);
        const { rows, total } = await page(q, columns, [{ column: 'd.created_at', order: 'desc' }, { column: 'd.id', order: 'desc' }], query);
        return { items: rows.map(viewOf), total };
      },
    }),
    defineRoute({
      method: 'post', path: '/deliveries/:id/retry', summary: 'Send a failed (or waiting) delivery again now, with a fresh count of attempts',
      access: ADMINISTER_USER, params: DeliveryId, response: NotificationDeliveryView,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const before = await one(user, params.id);
        if (before.status === 'delivered') {
          throw new UserError('notifications.alreadyDelivered', { 'zh-CN': '该通知已送达，无需重发', en: 'This notification was already delivered' }, { status: 409 });
        }
        await db.transaction(async (trx) => {
          if (!(await requeue(trx, params.id, clock()))) {
            throw new UserError('notifications.deliveryInProgress', { 'zh-CN': '该通知正在投递中，请稍后再试', en: 'This notification is being delivered right now; try again shortly' }, { status: 409 });
          }
          await new AuditLog(trx).append(trx, {
            occurredAt: clock().toISOString(), actor: actorOf(user), action: 'notification.retryDelivery', target: { type: 'notificationDelivery', id: params.id },
            outcome: 'success', ...clientOf(ctx), details: { channel: before.channel, status: before.status, attempts: before.attempts, lastError: before.lastError },
          });
        });
        return one(user, params.id);
      },
    }),
  ] as RouteSpec[];
}
