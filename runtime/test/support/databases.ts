/**
 * Test support: every storage test runs on a fresh SQLite file and a fresh MariaDB database.
 * MariaDB comes from GRIDFLOW_TEST_MYSQL_URL (default mysql://gridflow:gridflow@127.0.0.1:3306);
 * when it cannot be reached the MariaDB suites are skipped locally and fail under CI=true.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { openDatabase } from '../../src/db/connection.ts';

/** A database created for one test suite. */
export interface TestDatabase {
  kind: 'sqlite' | 'mariadb';
  url: string;
  db: Knex;
}

const mysqlServerUrl = process.env.GRIDFLOW_TEST_MYSQL_URL ?? 'mysql://gridflow:gridflow@127.0.0.1:3306';
let mysqlAvailable: Promise<string | undefined> | undefined;

/** Undefined when MariaDB answers, else why not. */
export function mysqlProblem(): Promise<string | undefined> {
  mysqlAvailable ??= (async () => {
    const admin = openDatabase(`${mysqlServerUrl}/mysql`);
    try {
      await admin.raw('select 1');
      return undefined;
    } catch (e) {
      return `MariaDB at ${mysqlServerUrl.replace(/:[^:@/]*@/, ':***@')} is not reachable (${(e as { code?: string }).code ?? (e as Error).message})`;
    } finally {
      await admin.destroy();
    }
  })();
  return mysqlAvailable;
}

/** Creates an empty database of the kind; `drop` removes it. */
export async function createTestDatabase(kind: TestDatabase['kind']): Promise<TestDatabase & { drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gridflow-test-'));
    const url = `sqlite:${join(dir, 'gridflow.db')}`;
    const db = openDatabase(url);
    return { kind, url, db, drop: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `gf_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = openDatabase(`${mysqlServerUrl}/mysql`);
  await admin.raw(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  const url = `${mysqlServerUrl}/${name}`;
  const db = openDatabase(url);
  return {
    kind, url, db,
    drop: async () => {
      await db.destroy();
      await admin.raw(`drop database if exists \`${name}\``);
      await admin.destroy();
    },
  };
}

/** Declares one test of a per-database suite. */
export type DatabaseTest = (name: string, fn: (t: TestDatabase) => Promise<void>) => void;

/**
 * Declares a suite once per database kind; each test gets the suite's database.
 * The MariaDB suite is skipped only when MariaDB is unreachable and CI is not set.
 */
export function describeEachDatabase(title: string, body: (test: DatabaseTest) => void): void {
  for (const kind of ['sqlite', 'mariadb'] as const) {
    describe(`${title} [${kind}]`, () => {
      let current: (TestDatabase & { drop(): Promise<void> }) | undefined;
      let skipReason: string | undefined;
      before(async () => {
        if (kind === 'mariadb') {
          skipReason = await mysqlProblem();
          if (skipReason && process.env.CI === 'true') throw new Error(`${skipReason}; CI needs MariaDB (.ci/run installs it)`);
          if (skipReason) return;
        }
        current = await createTestDatabase(kind);
      });
      after(async () => current?.drop());
      body((name, fn) => it(name, async (t) => {
        if (!current) {
          t.skip(skipReason);
          return;
        }
        await fn(current);
      }));
    });
  }
}
