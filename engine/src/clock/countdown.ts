/**
 * One limit counted down over the runs of a clock (the intervals it was not paused): elapsed time, the
 * instant a given amount is used up, the deadline and the warning level.
 */
import type { TimeLimitType } from '../definitions/model.ts';
import { addMeasure, measureBetween, measureOf, unitMs, type ClockContext } from './work-time.ts';
import type { ExtensionAmount } from './clock-events.ts';
import type { WarningLevel } from './warning-policy.ts';

/** An interval during which the clock counted; `to` is null while it still runs. */
export interface Run {
  readonly from: number;
  readonly to: number | null;
}

/** A limit counted over runs: the overall limit of a case or one of its stages. */
export interface Countdown {
  readonly type: TimeLimitType;
  /** The limit plus extensions, in milliseconds of the type's measure. */
  readonly budgetMs: number;
  /** The runs inside the countdown's window, in order; only the last may be open. */
  readonly runs: readonly Run[];
  /** When the countdown ended (stage reached, clock stopped); null while running or paused. */
  readonly finishedAt: number | null;
}

/** The runs inside the window [from, to), `to` null for an open window. */
export function clipRuns(runs: readonly Run[], from: number, to: number | null): Run[] {
  const clipped: Run[] = [];
  for (const run of runs) {
    const start = Math.max(run.from, from);
    const end = run.to === null ? to : to === null ? run.to : Math.min(run.to, to);
    if (end === null || end > start) clipped.push({ from: start, to: end });
  }
  return clipped;
}

/** Elapsed time of the countdown up to `now`, in ms of its measure. */
export function consumedMs(ctx: ClockContext, countdown: Countdown, now: number): number {
  let total = 0;
  for (const run of countdown.runs) {
    const to = Math.min(run.to ?? now, now);
    if (to > run.from) total += measureBetween(ctx, run.from, to, countdown.type);
  }
  return total;
}

/** The instant at which `target` ms have elapsed over the runs, or null if the closed runs fall short. */
export function instantAt(ctx: ClockContext, countdown: Countdown, target: number): number | null {
  let left = target;
  for (const run of countdown.runs) {
    if (run.to === null) return addMeasure(ctx, run.from, left, countdown.type);
    const measured = measureBetween(ctx, run.from, run.to, countdown.type);
    if (left <= measured) return Math.min(addMeasure(ctx, run.from, left, countdown.type), run.to);
    left -= measured;
  }
  return null;
}

/**
 * The deadline: when the budget is used up over the runs; otherwise, if `projectFrom` is given, as if
 * the countdown ran on from that instant with the time left; otherwise (paused) null.
 */
export function dueOf(ctx: ClockContext, countdown: Countdown, projectFrom: number | null): number | null {
  const crossing = instantAt(ctx, countdown, countdown.budgetMs);
  if (crossing !== null || projectFrom === null) return crossing;
  const left = countdown.budgetMs - consumedMs(ctx, countdown, projectFrom);
  return addMeasure(ctx, projectFrom, left, countdown.type);
}

/**
 * The budget an extension adds to a countdown. In the same measure it is the amount itself; in another
 * (e.g. natural days on a work-day limit) it is the countdown's measure between its deadline as of `at`
 * and that deadline moved by the extension.
 */
export function extensionMs(ctx: ClockContext, countdown: Countdown, at: number, by: Required<ExtensionAmount>): number {
  const amountMs = Math.round(by.amount * unitMs(ctx.calendar, by.type));
  if (measureOf(by.type) === measureOf(countdown.type)) return amountMs;
  const from = dueOf(ctx, countdown, at) ?? at;
  const to = addMeasure(ctx, from, amountMs, by.type);
  return Math.max(0, measureBetween(ctx, from, to, countdown.type));
}

/**
 * The warning at `at`: red from the deadline on, yellow from yellowAt on. A finished countdown is judged
 * at its end: red when it ended after the deadline (ending at the deadline is on time), otherwise none.
 */
export function warningOf(dueAt: number | null, yellowAt: number | null, at: number, finished: boolean): WarningLevel {
  if (finished) return dueAt !== null && at > dueAt ? 'red' : 'none';
  if (dueAt !== null && at >= dueAt) return 'red';
  return yellowAt !== null && at >= yellowAt ? 'yellow' : 'none';
}
