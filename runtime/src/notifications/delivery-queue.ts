/**
 * The durable queue of notification deliveries (table notification_deliveries): rows are written in
 * the transaction of the notification, claimed under a lease by one dispatcher at a time (a guarded
 * UPDATE, so two runtimes on one database never both hold a row), then settled: delivered, retried
 * later with backoff, or failed.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

let routed: readonly string[] = [];

/** Sets the channels new notifications are queued for (once, at start-up of the delivery). */
export function routeNotificationsTo(channelIds: readonly string[]): void {
  routed = Object.freeze([...new Set(channelIds)]);
}

/** The channels new notifications are queued for (none until the delivery has started). */
export function routedChannels(): readonly string[] {
  return routed;
}

/** Queues one delivery of a notification per channel (inside the notification's transaction). */
export async function enqueueDeliveries(trx: Knex | Knex.Transaction, notificationId: number, channelIds: readonly string[], now: Date): Promise<void> {
  if (channelIds.length === 0) return;
  await trx('notification_deliveries').insert(channelIds.map((channel_id) => ({
    id: randomUUID(), notification_id: notificationId, channel_id, status: 'pending', attempts: 0, next_attempt_at: now, created_at: now, updated_at: now,
  })));
}

/** A delivery this dispatcher holds the lease of. */
export interface ClaimedDelivery {
  id: string;
  notificationId: number;
  channelId: string;
  /** This attempt's number (1, 2, …). */
  attempt: number;
  leaseToken: string;
}

const due = (q: Knex.QueryBuilder, now: Date) => q.where('status', 'pending').where('next_attempt_at', '<=', now)
  .where((l) => l.whereNull('lease_until').orWhere('lease_until', '<=', now));

/** Claims up to `limit` due deliveries of the given channels for `leaseMs`; each claim counts as an attempt. */
export async function claimDue(db: Knex, channelIds: readonly string[], now: Date, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
  if (channelIds.length === 0) return [];
  const candidates = await due(db('notification_deliveries').whereIn('channel_id', channelIds), now)
    .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }]).limit(limit).select('id', 'notification_id', 'channel_id', 'attempts') as
    { id: string; notification_id: number; channel_id: string; attempts: number }[];
  const claimed: ClaimedDelivery[] = [];
  for (const c of candidates) {
    const leaseToken = randomUUID();
    const won = await due(db('notification_deliveries').where({ id: c.id, attempts: c.attempts }), now)
      .update({ lease_token: leaseToken, lease_until: new Date(now.getTime() + leaseMs), attempts: Number(c.attempts) + 1, updated_at: now });
    if (won === 1) claimed.push({ id: c.id, notificationId: Number(c.notification_id), channelId: c.channel_id, attempt: Number(c.attempts) + 1, leaseToken });
  }
  return claimed;
}

/** Marks a delivery done (whoever holds the lease now: the receiver has it). */
export async function markDelivered(db: Knex, id: string, now: Date): Promise<void> {
  await db('notification_deliveries').where({ id, status: 'pending' })
    .update({ status: 'delivered', delivered_at: now, lease_token: null, lease_until: null, last_error: null, updated_at: now });
}

/**
 * Settles a failed attempt: back to pending at `retryAt`, or failed for good when `retryAt` is null.
 * Only while this claim still holds the row; false when it lost the lease (another runtime took over).
 */
export async function markAttemptFailed(db: Knex, claim: ClaimedDelivery, error: string, retryAt: Date | null, now: Date): Promise<boolean> {
  const settled = await db('notification_deliveries').where({ id: claim.id, status: 'pending', lease_token: claim.leaseToken }).update({
    status: retryAt ? 'pending' : 'failed', next_attempt_at: retryAt ?? now, lease_token: null, lease_until: null, last_error: error.slice(0, 500), updated_at: now,
  });
  return settled === 1;
}

/** Puts a failed (or waiting) delivery back in the queue with a fresh count of attempts; false when not possible now. */
export async function requeue(trx: Knex | Knex.Transaction, id: string, now: Date): Promise<boolean> {
  const updated = await trx('notification_deliveries').where({ id }).whereIn('status', ['pending', 'failed'])
    .where((l) => l.whereNull('lease_until').orWhere('lease_until', '<=', now))
    .update({ status: 'pending', attempts: 0, next_attempt_at: now, lease_token: null, lease_until: null, updated_at: now });
  return updated === 1;
}
