/** Access policy synced from the active definitions: role permissions, separation of duties, sensitive fields. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('roles', (t) => {
    t.text('permissions').nullable();
  });
  await knex.schema.createTable('sod_rules', (t) => {
    t.string('code', 41).primary();
    t.string('name', 100).notNullable();
    t.string('name_en', 100).nullable();
    t.text('rule').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
  });
  await knex.schema.createTable('sensitive_fields', (t) => {
    t.string('subject', 32).notNullable();
    t.string('field', 64).notNullable();
    t.string('kind', 32).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.primary(['subject', 'field']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sensitive_fields');
  await knex.schema.dropTable('sod_rules');
  await knex.schema.alterTable('roles', (t) => {
    t.dropColumn('permissions');
  });
}
