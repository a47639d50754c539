/** Account lockout after repeated failed sign-ins (default: 5 failures lock the account for 15 minutes). */

/** Lockout settings. */
export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

/** The default lockout (等保: lock after repeated failures). */
export const defaultLockout: LockoutPolicy = { maxFailures: 5, lockMinutes: 15 };

/** What is stored per account. */
export interface LockoutState {
  failedAttempts: number;
  lockedUntil: Date | null;
}

/** True while the account is locked. */
export function isLocked(state: LockoutState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil > now;
}

/**
 * The state after a sign-in attempt. A success clears the count. A failure counts; reaching the
 * limit locks the account and starts a new count. A lock that ran out starts a new count too.
 */
export function afterAttempt(state: LockoutState, success: boolean, now: Date, policy: LockoutPolicy = defaultLockout): LockoutState {
  if (success) return { failedAttempts: 0, lockedUntil: null };
  const expired = state.lockedUntil !== null && state.lockedUntil <= now;
  const failures = (expired ? 0 : state.failedAttempts) + 1;
  if (failures >= policy.maxFailures) return { failedAttempts: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) };
  return { failedAttempts: failures, lockedUntil: expired ? null : state.lockedUntil };
}
