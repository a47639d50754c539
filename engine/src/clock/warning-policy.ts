/** When a running limit turns yellow (close to its deadline) and red (due). */
import { checkAmount, invalidInput } from './limit-validation.ts';
import { MINUTE_MS } from './local-time.ts';

/** The warning level of a limit: yellow close to the deadline, red from the deadline on. */
export type WarningLevel = 'none' | 'yellow' | 'red';

/** When a limit turns yellow: at a fraction of the limit elapsed or at a time left, whichever comes first. */
export interface WarningPolicy {
  /** Yellow once this fraction of the limit has elapsed (0 < fraction ≤ 1). */
  yellowAtFraction: number;
  /**
   * Yellow once at most this many minutes of the limit remain, in the limit's measure: work minutes for
   * work-time limits, clock minutes for urgent and natural-day limits. Omitted: only the fraction counts.
   * A limit shorter than this is yellow from its start.
   */
  yellowBeforeWorkMinutes?: number;
}

/** Yellow at 80% of the limit or 2 work-hours before the deadline, whichever comes first. */
export const defaultWarningPolicy: Readonly<WarningPolicy> = Object.freeze({ yellowAtFraction: 0.8, yellowBeforeWorkMinutes: 120 });

/** Throws a UserError naming the bad field of a warning policy. */
export function checkWarningPolicy(policy: WarningPolicy): void {
  const fraction = policy?.yellowAtFraction;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction <= 1)) {
    throw invalidInput('policy.yellowAtFraction', `${JSON.stringify(fraction)} is not a fraction in (0, 1]`, `${JSON.stringify(fraction)} 不是 (0, 1] 之间的比例`);
  }
  if (policy.yellowBeforeWorkMinutes !== undefined) checkAmount(policy.yellowBeforeWorkMinutes, 'policy.yellowBeforeWorkMinutes');
}

/** How much of a budget (ms of the limit's measure) has elapsed when the limit turns yellow. */
export function yellowTargetMs(budgetMs: number, policy: WarningPolicy): number {
  const byFraction = Math.round(budgetMs * policy.yellowAtFraction);
  const before = policy.yellowBeforeWorkMinutes;
  const byTimeLeft = before === undefined ? Infinity : budgetMs - before * MINUTE_MS;
  return Math.max(0, Math.min(byFraction, byTimeLeft));
}

/** The more urgent of two warnings. */
export function worstWarning(a: WarningLevel, b: WarningLevel): WarningLevel {
  const rank: Record<WarningLevel, number> = { none: 0, yellow: 1, red: 2 };
  return rank[a] >= rank[b] ? a : b;
}
