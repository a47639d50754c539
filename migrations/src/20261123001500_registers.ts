/**
 * Registers (台账): records of the record types forms define (实有人口, 实有房屋 …), every version of
 * each record, and the links between records (人房关联). Records are scoped by their grid like cases.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('register_records', (t) => {
    t.string('id', 36).primary();
    t.string('register', 64).notNullable();
    t.string('form_key', 64).notNullable();
    t.integer('form_version').notNullable();
    t.string('title', 200).notNullable();
    // SHA-256 of the register and the values of its identifying fields: the same person twice is refused.
    t.string('identity_digest', 64).nullable();
    t.string('grid_code', 32).nullable();
    t.string('community_code', 32).nullable();
    t.string('street_code', 32).nullable();
    t.string('district_code', 32).nullable();
    t.text('form_values', 'longtext').notNullable();
    t.integer('version').notNullable();
    t.string('status', 16).notNullable();
    t.integer('created_by').unsigned().notNullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.integer('updated_by').unsigned().notNullable();
    t.timestamp('updated_at', { useTz: false, precision: 3 }).notNullable();
    t.unique(['register', 'identity_digest']);
    t.index(['register', 'grid_code', 'status']);
    t.index(['register', 'street_code', 'status']);
    t.index(['register', 'title']);
  });
  await knex.schema.createTable('register_record_versions', (t) => {
    t.string('record_id', 36).notNullable();
    t.integer('version').notNullable();
    t.string('change', 16).notNullable();
    t.integer('form_version').notNullable();
    t.text('form_values', 'longtext').notNullable();
    t.string('status', 16).notNullable();
    t.string('import_id', 36).nullable();
    t.integer('changed_by').unsigned().notNullable();
    t.timestamp('changed_at', { useTz: false, precision: 3 }).notNullable();
    t.primary(['record_id', 'version']);
  });
  await knex.schema.createTable('register_links', (t) => {
    t.string('id', 36).primary();
    t.string('relation', 64).notNullable();
    t.string('from_record', 36).notNullable();
    t.string('to_record', 36).notNullable();
    t.string('kind', 64).nullable();
    t.integer('created_by').unsigned().notNullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.integer('removed_by').unsigned().nullable();
    t.timestamp('removed_at', { useTz: false, precision: 3 }).nullable();
    t.index(['from_record', 'relation']);
    t.index(['to_record', 'relation']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('register_links');
  await knex.schema.dropTable('register_record_versions');
  await knex.schema.dropTable('register_records');
}
