/**
 * Keeps the projection in step with the engine: long-polls the outbox, applies each batch in one
 * transaction, then acknowledges it. At-least-once delivery (a crash between apply and ack means
 * the batch comes again) made exactly-once in effect by the idempotent projection.
 */
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import { engineFetch } from './engine-connection.ts';
import type { EngineConnection } from './engine-connection.ts';
import type { OutboxEvent } from './outbox-event.ts';
import { applyOutboxEvents } from './task-projection.ts';

/** Options of the consumer. */
export interface OutboxConsumerOptions {
  batchSize?: number;
  /** Long-poll wait (default 20 s). */
  waitMs?: number;
  clock?: () => Date;
  /** How many recent lag samples to keep (default 10 000). */
  lagSamples?: number;
}

/** Events: `applied` (count), `engineDown` (error), `engineUp`. */
export class OutboxConsumer extends EventEmitter {
  private running = false;
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private engineAvailable = true;
  /** Milliseconds between an event's commit in the engine and its apply here, most recent last. */
  readonly lags: number[] = [];
  applied = 0;

  constructor(private readonly db: Knex, private readonly engine: EngineConnection, private readonly options: OutboxConsumerOptions = {}) {
    super();
  }

  /** Starts consuming in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    await this.loop;
  }

  /** Consumes until the outbox is empty once (used by the reconciler and tests). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.pollOnce(0);
      total += n;
      if (n === 0) return total;
    }
  }

  private async run(): Promise<void> {
    let backoff = 500;
    while (this.running) {
      try {
        await this.pollOnce(this.options.waitMs ?? 20_000);
        if (!this.engineAvailable) {
          this.engineAvailable = true;
          this.emit('engineUp');
        }
        backoff = 500;
      } catch (e) {
        if (!this.running) break;
        if (this.engineAvailable) {
          this.engineAvailable = false;
          this.emit('engineDown', e);
        }
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(10_000, backoff * 2);
      }
    }
  }

  private async pollOnce(waitMs: number): Promise<number> {
    const limit = this.options.batchSize ?? 500;
    this.abort = new AbortController();
    const events = await engineFetch<OutboxEvent[]>(this.engine, 'GET', `/gridflow/outbox?limit=${limit}&waitMs=${waitMs}`, undefined, waitMs + 15_000, this.abort.signal);
    if (events.length === 0) return 0;
    const now = (this.options.clock ?? (() => new Date()))();
    await applyOutboxEvents(this.db, events, now);
    await engineFetch(this.engine, 'POST', '/gridflow/outbox/ack', { ids: events.map((e) => e.id) });
    const appliedAt = Date.now();
    for (const e of events) this.lags.push(appliedAt - Date.parse(e.occurredAt));
    const keep = this.options.lagSamples ?? 10_000;
    if (this.lags.length > keep) this.lags.splice(0, this.lags.length - keep);
    this.applied += events.length;
    this.emit('applied', events.length);
    return events.length;
  }
}
