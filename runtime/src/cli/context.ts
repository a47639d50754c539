/** What CLI commands share: configuration and a lazily opened, checked database. */
import type { Knex } from 'knex';
import { loadConfig } from '../config.ts';
import type { Config } from '../config.ts';
import { assertReachable, openDatabase } from '../db/connection.ts';

/** CLI command context. */
export interface CliContext {
  config: Config;
  /** Opens the database (once) and checks it answers. */
  database(): Promise<Knex>;
  close(): Promise<void>;
}

/** Creates the context from the environment. */
export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const config = loadConfig(env);
  let db: Knex | undefined;
  return {
    config,
    async database() {
      if (!db) {
        db = openDatabase(config.databaseUrl);
        await assertReachable(db, config.databaseUrl);
      }
      return db;
    },
    async close() {
      await db?.destroy();
      db = undefined;
    },
  };
}
