/**
 * GridFlow's schema migrations: one file per concern, named `<UTC timestamp>_<concern>.ts`,
 * each exporting `up` and `down`. Never edit a migration after it has landed; add a new one.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

/** A loaded migration. */
export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const folder = dirname(fileURLToPath(import.meta.url));
const pattern = /^\d{14}_[a-z0-9-]+\.ts$/;

/** The migrations of this folder, oldest first. */
export async function loadMigrations(): Promise<Migration[]> {
  const names = readdirSync(folder).filter((f) => pattern.test(f)).sort();
  return Promise.all(names.map(async (file) => {
    const mod = (await import(pathToFileURL(`${folder}/${file}`).href)) as Omit<Migration, 'name'>;
    return { name: file.replace(/\.ts$/, ''), up: mod.up, down: mod.down };
  }));
}

/** A knex migration source over this folder (use as `migrationSource` in knex migrate calls). */
export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: () => loadMigrations(),
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
};
