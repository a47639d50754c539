/** Form submissions of tasks: kept pending until the engine has completed the task, then applied to the case. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('form_submissions', (t) => {
    t.string('id', 36).primary();
    t.string('case_id', 36).nullable().index();
    t.string('task_id', 64).notNullable().index();
    t.string('form_key', 64).notNullable();
    t.integer('form_version').notNullable();
    t.text('submitted_values', 'longtext').notNullable();
    t.text('case_values', 'longtext').notNullable();
    t.integer('submitted_by').unsigned().notNullable();
    t.string('status', 16).notNullable().index();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('settled_at', { useTz: false, precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('form_submissions');
}
