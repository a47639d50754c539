/** Runs GridFlow's migrations (migrations/) up, down and reports their status. */
import type { Knex } from 'knex';
import { migrationSource } from '@gridflow/migrations';

const config = { migrationSource, tableName: 'gridflow_migrations' } as Knex.MigratorConfig;

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  return applied;
}

/** Applies the next pending migration only; returns its name (none when up to date). */
export async function migrateUp(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.up(config)) as [number, string[]];
  return applied;
}

/** Rolls back the last batch (or everything with `all`); returns the names rolled back. */
export async function migrateRollback(db: Knex, all = false): Promise<string[]> {
  const [, rolledBack] = (await db.migrate.rollback(config, all)) as [number, string[]];
  return rolledBack;
}

/** Applied and pending migrations. */
export async function migrationStatus(db: Knex): Promise<{ applied: string[]; pending: string[] }> {
  const [completed, pending] = (await db.migrate.list(config)) as [{ name: string }[], { file: string }[] | string[]];
  return {
    applied: completed.map((c) => (typeof c === 'string' ? c : c.name)),
    pending: (pending as unknown[]).map((p) => (typeof p === 'string' ? p : (p as { file?: string; name?: string }).file ?? (p as { name: string }).name)),
  };
}
