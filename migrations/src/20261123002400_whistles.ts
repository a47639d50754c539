/**
 * 街道吹哨、部门报到: a street's whistle on a case and, per summoned department, its report-in
 * (time, late flag), opinion and result, and the street's rating. The engine runs the whistle's
 * process; these rows are what it recorded, for the case page and the 报到率 statistics.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('whistles', (t) => {
    t.string('id', 36).primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases').onDelete('CASCADE');
    t.string('kind', 32).notNullable();
    t.string('reason', 500).notNullable();
    t.string('lead_department', 16).notNullable();
    t.string('status', 16).notNullable();
    t.string('process_instance_id', 64).nullable().unique();
    t.integer('started_by').unsigned().notNullable();
    t.string('street_code', 15).nullable();
    t.string('district_code', 15).nullable();
    t.timestamp('report_in_due_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('handle_due_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('overdue_at', { useTz: false, precision: 3 }).nullable();
    t.boolean('resolved').nullable();
    t.text('summary').nullable();
    t.timestamp('consolidated_at', { useTz: false, precision: 3 }).nullable();
    t.timestamp('escalated_at', { useTz: false, precision: 3 }).nullable();
    t.boolean('district_resolved').nullable();
    t.text('district_opinion').nullable();
    t.timestamp('rated_at', { useTz: false, precision: 3 }).nullable();
    t.string('start_error', 1000).nullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('closed_at', { useTz: false, precision: 3 }).nullable();
    t.index(['case_id', 'status'], 'whistles_case_status_index');
    t.index(['created_at'], 'whistles_created_at_index');
  });
  await knex.schema.createTable('whistle_departments', (t) => {
    t.string('whistle_id', 36).notNullable().references('id').inTable('whistles').onDelete('CASCADE');
    t.string('department_code', 16).notNullable();
    t.boolean('lead').notNullable().defaultTo(false);
    t.timestamp('reported_at', { useTz: false, precision: 3 }).nullable();
    t.string('report_note', 500).nullable();
    t.boolean('late').notNullable().defaultTo(false);
    t.timestamp('urged_at', { useTz: false, precision: 3 }).nullable();
    t.text('opinion').nullable();
    t.text('result').nullable();
    t.timestamp('opinion_at', { useTz: false, precision: 3 }).nullable();
    t.string('rating', 16).nullable();
    t.string('rating_comment', 500).nullable();
    t.primary(['whistle_id', 'department_code']);
    t.index(['department_code', 'whistle_id'], 'whistle_departments_department_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('whistle_departments');
  await knex.schema.dropTable('whistles');
}
