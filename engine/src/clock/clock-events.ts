/** The events a case clock is replayed from; every instant is passed in, the clock never reads the time. */
import type { TimeLimit, TimeLimitType } from '../definitions/model.ts';

/** An approved extension (延期): `amount` of `type`, the limit's own type when omitted. */
export interface ExtensionAmount {
  amount: number;
  type?: TimeLimitType;
}

/** One event of a case clock, in chronological order. */
export type ClockEvent =
  /** The limit starts counting (the case was registered or dispatched). */
  | { kind: 'started'; at: Date; limit: TimeLimit }
  /** 挂起: the clock stops counting; the remaining time is frozen. */
  | { kind: 'paused'; at: Date; reason?: string }
  /** The clock counts again; the deadline is recomputed from the frozen remaining time. */
  | { kind: 'resumed'; at: Date }
  /** 延期 approved: the overall deadline and the current stage's deadline move by `by`. */
  | { kind: 'extended'; at: Date; by: ExtensionAmount }
  /** 返工: the full limit (or a new one) counts again from `at`; extensions and reached stages are dropped. */
  | { kind: 'restarted'; at: Date; limit?: TimeLimit }
  /** The current stage of a staged limit is done; the next stage counts from `at`. */
  | { kind: 'stageReached'; at: Date; stage: string }
  /** Handled or closed: the clock stops for good (a later `restarted` reopens it for rework). */
  | { kind: 'stopped'; at: Date };

/** The kinds of clock events. */
export type ClockEventKind = ClockEvent['kind'];

/** Whether the clock counts (running), is suspended (paused) or is done (stopped). */
export type ClockStatus = 'running' | 'paused' | 'stopped';
