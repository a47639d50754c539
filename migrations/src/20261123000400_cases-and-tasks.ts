/** Cases (one per process instance) and GridFlow's projection of engine tasks and incidents. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cases', (t) => {
    t.string('id', 36).primary();
    t.string('process_definition_key', 128).notNullable();
    t.string('process_instance_id', 64).nullable().unique();
    t.string('status', 16).notNullable().index();
    t.string('org_unit_code', 15).nullable().index();
    t.text('start_variables', 'longtext').nullable();
    t.string('start_error', 1000).nullable();
    t.timestamp('start_claimed_until', { useTz: false, precision: 3 }).nullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('updated_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('ended_at', { useTz: false, precision: 3 }).nullable();
  });
  await knex.schema.createTable('tasks', (t) => {
    t.string('id', 64).primary();
    t.string('case_id', 36).nullable().index();
    t.string('process_instance_id', 64).notNullable().index();
    t.string('process_definition_key', 128).nullable();
    t.string('task_definition_key', 128).nullable();
    t.string('name', 255).nullable();
    t.string('assignee', 64).nullable().index();
    t.string('owner', 64).nullable();
    t.string('org_unit_code', 15).nullable().index();
    t.string('form_key', 128).nullable();
    t.integer('form_version').nullable();
    t.integer('priority').notNullable().defaultTo(50);
    t.timestamp('due_at', { useTz: false, precision: 3 }).nullable().index();
    t.timestamp('follow_up_at', { useTz: false, precision: 3 }).nullable();
    t.string('status', 16).notNullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('ended_at', { useTz: false, precision: 3 }).nullable();
    t.bigInteger('last_event_id').notNullable();
    t.index(['status', 'org_unit_code']);
  });
  await knex.schema.createTable('task_candidates', (t) => {
    t.string('task_id', 64).notNullable().references('id').inTable('tasks').onDelete('CASCADE');
    t.string('kind', 8).notNullable();
    t.string('value', 64).notNullable();
    t.primary(['task_id', 'kind', 'value']);
    t.index(['kind', 'value']);
  });
  await knex.schema.createTable('incidents', (t) => {
    t.string('id', 64).primary();
    t.string('process_instance_id', 64).nullable().index();
    t.string('case_id', 36).nullable().index();
    t.string('activity_id', 128).nullable();
    t.string('incident_type', 64).notNullable();
    t.string('message', 1000).nullable();
    t.string('status', 16).notNullable().index();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('resolved_at', { useTz: false, precision: 3 }).nullable();
    t.bigInteger('last_event_id').notNullable();
  });
  await knex.schema.createTable('worker_outcomes', (t) => {
    t.string('external_task_id', 64).primary();
    t.text('outcome').notNullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('worker_outcomes');
  await knex.schema.dropTable('incidents');
  await knex.schema.dropTable('task_candidates');
  await knex.schema.dropTable('tasks');
  await knex.schema.dropTable('cases');
}
