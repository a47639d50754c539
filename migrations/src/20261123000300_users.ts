/** User accounts with their roles and the grids they cover. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('username', 41).notNullable().unique();
    t.string('display_name', 100).notNullable();
    t.string('org_unit_code', 15).notNullable().index();
    t.string('department_code', 16).nullable().index();
    t.string('phone', 20).nullable();
    t.string('source', 16).notNullable().defaultTo('local');
    t.string('status', 16).notNullable().defaultTo('active');
    t.string('password_hash', 255).nullable();
    t.boolean('must_change_password').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('updated_at', { useTz: false, precision: 3 }).notNullable();
  });
  await knex.schema.createTable('user_roles', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('role_code', 41).notNullable();
    t.primary(['user_id', 'role_code']);
  });
  await knex.schema.createTable('user_grids', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('grid_code', 15).notNullable().index();
    t.primary(['user_id', 'grid_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_grids');
  await knex.schema.dropTable('user_roles');
  await knex.schema.dropTable('users');
}
