/** In-app notifications: what a user should know of (urged, copied, handed a task), until read. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id').primary();
    t.integer('user_id').unsigned().notNullable();
    t.string('kind', 40).notNullable();
    t.string('case_id', 36).nullable();
    t.string('task_id', 64).nullable();
    t.text('message').notNullable();
    t.integer('from_user_id').unsigned().nullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('read_at', { useTz: false, precision: 3 }).nullable();
    t.index(['user_id', 'read_at', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notifications');
}
