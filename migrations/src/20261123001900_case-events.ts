/**
 * The case timeline: every step, actor, role, time, opinion, attachment and clock change, append
 * only. `source_key` makes writers that may run twice (the outbox, recovery) write once.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_events', (t) => {
    t.bigIncrements('id').primary();
    t.string('case_id', 36).notNullable();
    t.string('kind', 40).notNullable();
    t.timestamp('at', { useTz: false, precision: 3 }).notNullable();
    t.integer('actor_id').unsigned().nullable();
    t.string('actor_username', 64).nullable();
    t.string('actor_name', 100).nullable();
    t.string('actor_roles', 255).nullable();
    t.string('step', 255).nullable();
    t.string('step_name', 255).nullable();
    t.string('task_id', 64).nullable();
    t.text('opinion').nullable();
    t.text('attachments').nullable();
    t.text('details', 'longtext').nullable();
    t.string('source_key', 160).nullable().unique();
    t.index(['case_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('case_events');
}
