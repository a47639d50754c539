/** Published definitions versions (immutable) and their files. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('definition_versions', (t) => {
    t.increments('id').primary();
    t.string('package_key', 64).notNullable();
    t.string('version', 64).notNullable();
    t.string('name', 200).notNullable();
    t.string('content_hash', 64).notNullable();
    t.string('base_ref', 130).nullable();
    t.text('manifest_json').notNullable();
    t.string('published_by', 64).nullable();
    t.timestamp('published_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('activated_at', { useTz: false, precision: 3 }).nullable();
    t.unique(['package_key', 'version']);
  });
  await knex.schema.createTable('definition_files', (t) => {
    t.integer('version_id').unsigned().notNullable().references('id').inTable('definition_versions');
    t.string('path', 255).notNullable();
    t.string('kind', 32).notNullable();
    t.text('content', 'longtext').notNullable();
    t.string('sha256', 64).notNullable();
    t.primary(['version_id', 'path']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('definition_files');
  await knex.schema.dropTable('definition_versions');
}
