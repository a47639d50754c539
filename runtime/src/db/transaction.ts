/**
 * Transactions that the database may abort to break a deadlock. MariaDB/MySQL (InnoDB) picks a
 * victim when two transactions wait on each other's row locks (ER_LOCK_DEADLOCK, "try restarting
 * transaction"); a foreign-key check takes a shared lock on the parent row, so inserts that
 * reference busy rows (a report listing open cases as possible duplicates) can meet updates of
 * those rows in such a cycle. The victim rolled back entirely, so running it again is safe.
 */
import type { Knex } from 'knex';

/** Whether an error is the database aborting a transaction to break a deadlock. */
export function isDeadlock(e: unknown): boolean {
  const err = e as { code?: unknown; errno?: unknown } | null;
  return err?.code === 'ER_LOCK_DEADLOCK' || err?.errno === 1213;
}

/** Runs `work` in a transaction, again (up to `attempts` in all) when it was chosen as a deadlock victim. */
export async function transactionRetryingDeadlocks<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (e) {
      if (!isDeadlock(e) || attempt >= attempts) throw e;
      // A short random pause, so the two transactions do not meet again in the same order.
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}
