/** Contracts of the notifications API: deliveries through channels, for operators (schemas are the types). */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Nullable, PageOf } from './common.ts';

/** State of a delivery: waiting (or being sent), done, or given up. */
export const NotificationDeliveryStatus = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]);
export type NotificationDeliveryStatus = Static<typeof NotificationDeliveryStatus>;

/** One delivery of a notification through one channel. */
export const NotificationDeliveryView = Type.Object({
  id: Type.String({ description: 'Delivery id: the idempotency key the channel sends on every attempt' }),
  notificationId: Type.Integer(),
  channel: Type.String({ description: 'Channel id, e.g. `webhook`' }),
  status: NotificationDeliveryStatus,
  attempts: Type.Integer({ minimum: 0, description: 'Attempts made so far' }),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time', description: 'When it is due (pending only)' })),
  lastError: Nullable(Type.String({ description: 'Why the last attempt failed' })),
  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  kind: Type.String({ description: 'Notification kind, e.g. `task.urge`' }),
  caseId: Nullable(Type.String()),
  taskId: Nullable(Type.String()),
  recipient: Type.Object({ username: Type.String(), displayName: Type.String() }, { additionalProperties: false }),
}, { additionalProperties: false });
export type NotificationDeliveryView = Static<typeof NotificationDeliveryView>;

/** GET /api/notifications/deliveries */
export const NotificationDeliveryList = PageOf(NotificationDeliveryView);
export type NotificationDeliveryList = Static<typeof NotificationDeliveryList>;
