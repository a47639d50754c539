/** Org tree, departments and roles, loaded from the active definitions. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('org_units', (t) => {
    t.string('code', 15).primary();
    t.string('name', 100).notNullable();
    t.string('short_name', 40).nullable();
    t.string('level', 16).notNullable();
    t.string('parent_code', 15).nullable().index();
    t.string('kind', 16).notNullable().defaultTo('base');
    t.integer('population').nullable();
    t.integer('households').nullable();
    t.double('area').nullable();
    t.text('boundary', 'longtext').nullable();
    t.double('min_lon').nullable();
    t.double('min_lat').nullable();
    t.double('max_lon').nullable();
    t.double('max_lat').nullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('definition_version_id').unsigned().nullable().references('id').inTable('definition_versions');
  });
  await knex.schema.createTable('departments', (t) => {
    t.string('code', 16).primary();
    t.string('name', 100).notNullable();
    t.string('short_name', 40).nullable();
    t.string('kind', 16).notNullable().defaultTo('functional');
    t.string('org_unit_code', 15).notNullable();
    t.string('phone', 20).nullable();
    t.boolean('active').notNullable().defaultTo(true);
  });
  await knex.schema.createTable('roles', (t) => {
    t.string('code', 41).primary();
    t.string('name', 100).notNullable();
    t.string('name_en', 100).nullable();
    t.string('scope', 16).notNullable();
    t.string('description', 1000).nullable();
    t.boolean('active').notNullable().defaultTo(true);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('roles');
  await knex.schema.dropTable('departments');
  await knex.schema.dropTable('org_units');
}
