/**
 * A real InnoDB deadlock: two transactions update two rows in opposite orders, so MariaDB aborts
 * one of them. Without a retry one side fails; with transactionRetryingDeadlocks both commit.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { isDeadlock, transactionRetryingDeadlocks } from '../../src/db/transaction.ts';
import { createTestDatabase, mysqlProblem } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';

/** A latch the two transactions meet at, so each holds its first row before asking for the other. */
function meeting(parties: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => undefined;
  const all = new Promise<void>((resolve) => { open = resolve; });
  return async () => {
    if (++arrived === parties) open();
    await all;
  };
}

describe('transactions that lose a deadlock run again [mariadb]', () => {
  let database: (TestDatabase & { drop(): Promise<void> }) | undefined;
  before(async () => {
    const problem = await mysqlProblem();
    if (problem) throw new Error(`${problem}; this test needs MariaDB (.ci/run installs it)`);
    database = await createTestDatabase('mariadb');
    await database.db.schema.createTable('counters', (t) => {
      t.string('id', 8).primary();
      t.integer('n').notNullable();
    });
  });
  after(async () => {
    await database?.drop();
  });

  const reset = async (db: Knex) => {
    await db('counters').delete();
    await db('counters').insert([{ id: 'a', n: 0 }, { id: 'b', n: 0 }]);
  };
  /** One side: first row, wait for the other side to hold its first row, then the other row. */
  const side = (first: string, second: string, met: () => Promise<void>, firstAttemptOnly: { done: boolean }) => async (trx: Knex.Transaction) => {
    await trx('counters').where({ id: first }).increment('n', 1);
    if (!firstAttemptOnly.done) {
      firstAttemptOnly.done = true;
      await met();
    }
    await trx('counters').where({ id: second }).increment('n', 1);
  };

  it('given two transactions locking two rows in opposite orders, when run plainly, then the database aborts one as a deadlock', async () => {
    const db = database?.db as Knex;
    await reset(db);
    const met = meeting(2);
    const results = await Promise.allSettled([
      db.transaction(side('a', 'b', met, { done: false })),
      db.transaction(side('b', 'a', met, { done: false })),
    ]);
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(failed.length, 1, 'one side is the victim');
    assert.ok(isDeadlock((failed[0] as PromiseRejectedResult).reason), 'and the error says deadlock');
    assert.deepEqual(await db('counters').orderBy('id').pluck('n'), [1, 1], 'only the winner\'s updates are kept');
  });

  it('given the same two transactions, when run retrying deadlocks, then both commit and every update counts once', async () => {
    const db = database?.db as Knex;
    await reset(db);
    const met = meeting(2);
    await Promise.all([
      transactionRetryingDeadlocks(db, side('a', 'b', met, { done: false })),
      transactionRetryingDeadlocks(db, side('b', 'a', met, { done: false })),
    ]);
    assert.deepEqual(await db('counters').orderBy('id').pluck('n'), [2, 2]);
  });

  it('an error that is not a deadlock is not retried', async () => {
    let runs = 0;
    await assert.rejects(transactionRetryingDeadlocks(database?.db as Knex, async (trx) => {
      runs++;
      await trx.raw('select * from no_such_table');
    }), /no_such_table/);
    assert.equal(runs, 1);
  });
});
