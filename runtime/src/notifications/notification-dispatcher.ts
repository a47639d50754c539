/**
 * The dispatcher loop: claims due deliveries of its channels (under a lease), hands each to its
 * channel, and settles it: delivered; retried after base × 2^(attempt−1) (capped at one hour);
 * failed for good after the last attempt or when the channel refuses it (PermanentDeliveryError).
 * Runs in every runtime process; the lease keeps two processes from sending one delivery at once,
 * and a delivery whose process died mid-way is sent again (same delivery id) once its lease ends.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { PermanentDeliveryError } from '@gridflow/engine';
import type { NotificationChannelBinding } from '@gridflow/engine';
import { channelNotificationOf } from './channel-notification.ts';
import { claimDue, markAttemptFailed, markDelivered } from './delivery-queue.ts';
import type { ClaimedDelivery } from './delivery-queue.ts';

const MAX_BACKOFF_MS = 60 * 60_000;

/** Options of a dispatcher. */
export interface DispatcherOptions {
  /** The channels this dispatcher delivers through (rows of other channels are left alone). */
  channels: readonly NotificationChannelBinding[];
  logger: Logger;
  /** Attempts before a delivery is marked failed. */
  maxAttempts: number;
  /** Backoff before retry n is this × 2^(n−1), capped at one hour. */
  retryBaseMs: number;
  /** Makes links absolute (GRIDFLOW_PUBLIC_URL). */
  publicUrl?: string;
  clock?: () => Date;
  /** How long a claimed delivery is held before another process may take it over (default 60 s). */
  leaseMs?: number;
  /** Pause between passes when there was nothing more to do (default 2 s). */
  pollMs?: number;
  /** Deliveries claimed (and sent concurrently) per pass (default 20). */
  batchSize?: number;
}

/** What one pass did. */
export interface DispatchReport {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
  /** Attempts whose lease another process had taken over by the time they failed. */
  lost: number;
}

/** Backoff before the retry that follows attempt `attempt`. */
export function deliveryBackoff(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)) || 'unknown error';
const isPermanent = (e: unknown) => e instanceof PermanentDeliveryError || (e instanceof Error && e.name === 'PermanentDeliveryError');

/** Delivers queued notifications through channels. */
export class NotificationDispatcher {
  private readonly channels: Map<string, NotificationChannelBinding>;
  private readonly clock: () => Date;
  private readonly leaseMs: number;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> | undefined;

  constructor(private readonly db: Knex, private readonly options: DispatcherOptions) {
    this.channels = new Map(options.channels.map((c) => [c.id, c]));
    this.clock = options.clock ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  /** Starts the loop (a pass now, then one every poll interval). */
  start(): void {
    if (this.running || this.channels.size === 0) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops the loop after the pass under way. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
  }

  /** One pass: claims a batch of due deliveries and sends them. */
  async runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { claimed: 0, delivered: 0, retried: 0, failed: 0, lost: 0 };
    const claims = await claimDue(this.db, [...this.channels.keys()], this.clock(), this.leaseMs, this.options.batchSize ?? 20);
    report.claimed = claims.length;
    const outcomes = await Promise.all(claims.map((c) => this.deliver(c)));
    for (const o of outcomes) report[o]++;
    return report;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      const pass = this.runOnce().then(
        (r) => r.claimed === (this.options.batchSize ?? 20),
        (e: unknown) => { this.options.logger.warn({ err: e }, 'notification delivery pass failed; will retry'); return false; },
      );
      this.pass = pass;
      void pass.then((more) => { if (this.running) this.schedule(more ? 0 : this.options.pollMs ?? 2_000); });
    }, ms);
    this.timer.unref();
  }

  private async deliver(claim: ClaimedDelivery): Promise<'delivered' | 'retried' | 'failed' | 'lost'> {
    const channel = this.channels.get(claim.channelId) as NotificationChannelBinding;
    let error: unknown;
    try {
      const notification = await channelNotificationOf(this.db, claim.notificationId, channel.recipientFields, this.options.publicUrl);
      if (!notification) throw new PermanentDeliveryError('The notification or its recipient no longer exists');
      // End the attempt before the lease does, so no other process sends it meanwhile.
      const signal = AbortSignal.timeout(Math.floor(this.leaseMs * 0.9));
      await channel.deliver(notification, { deliveryId: claim.id, attempt: claim.attempt, signal });
    } catch (e) {
      error = e ?? new Error('unknown error');
    }
    const log = { deliveryId: claim.id, notificationId: claim.notificationId, channel: claim.channelId, attempt: claim.attempt };
    if (error === undefined) {
      await markDelivered(this.db, claim.id, this.clock());
      this.options.logger.debug(log, 'notification delivered');
      return 'delivered';
    }
    const last = isPermanent(error) || claim.attempt >= this.options.maxAttempts;
    const retryAt = last ? null : new Date(this.clock().getTime() + deliveryBackoff(claim.attempt, this.options.retryBaseMs));
    if (!(await markAttemptFailed(this.db, claim, messageOf(error), retryAt, this.clock()))) {
      this.options.logger.warn({ ...log, err: messageOf(error) }, 'notification delivery attempt failed after its lease was taken over');
      return 'lost';
    }
    if (last) {
      this.options.logger.error({ ...log, err: messageOf(error) }, 'notification delivery failed for good; retry it from GET /api/notifications/deliveries');
      return 'failed';
    }
    this.options.logger.warn({ ...log, err: messageOf(error), retryAt: retryAt?.toISOString() }, 'notification delivery attempt failed; will retry');
    return 'retried';
  }
}
