/** Task operations (转办, 委派, 退回, 撤回, 抄送, 催办 …): who did what to which task, with the reason; counted by assessment. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('task_operations', (t) => {
    t.string('id', 36).primary();
    t.string('case_id', 36).nullable().index();
    t.string('task_id', 64).notNullable().index();
    t.string('task_definition_key', 255).nullable();
    t.string('operation', 32).notNullable();
    t.integer('actor_id').unsigned().notNullable();
    t.string('target', 255).nullable();
    t.text('reason').nullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.index(['case_id', 'operation']);
  });
  // Who completed a task through GridFlow (the engine does not say): for 撤回 and the timeline.
  await knex.schema.alterTable('tasks', (t) => {
    t.string('completed_by', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('completed_by');
  });
  await knex.schema.dropTable('task_operations');
}
