/**
 * The case clock's requests and supervision: 延期 extension requests (one open per case, kept by a
 * unique column that holds the case id only while the request is open), 督办 supervisions with their
 * reply deadline, and the handling deadline of a case kept on it for lists.
 */
import type { Knex } from 'knex';

const ts = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: false, precision: 3 });

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('extension_requests', (t) => {
    t.string('id', 36).primary();
    t.string('case_id', 36).notNullable().index();
    t.string('task_id', 64).notNullable();
    t.string('task_definition_key', 128).nullable();
    t.string('task_name', 255).nullable();
    t.double('amount').notNullable();
    t.string('type', 16).nullable();
    t.text('reason').notNullable();
    t.string('status', 16).notNullable();
    /** The case id while the request is open, else null: at most one open request per case. */
    t.string('open_case_id', 36).nullable().unique();
    t.string('tier', 16).notNullable();
    t.string('approver_group', 120).notNullable();
    t.integer('requested_by').unsigned().notNullable();
    t.string('requested_by_username', 64).notNullable();
    ts(t, 'requested_at').notNullable();
    ts(t, 'due_before').nullable();
    ts(t, 'due_after').nullable();
    t.integer('decided_by').unsigned().nullable();
    t.string('decided_by_username', 64).nullable();
    ts(t, 'decided_at').nullable();
    t.text('opinion').nullable();
  });
  await knex.schema.createTable('supervisions', (t) => {
    t.string('id', 36).primary();
    t.string('case_id', 36).notNullable().index();
    t.string('source', 16).notNullable();
    t.string('level', 16).notNullable();
    t.string('org_unit_code', 15).nullable();
    t.text('opinion').notNullable();
    t.integer('author_id').unsigned().nullable();
    t.string('author_username', 64).nullable();
    t.string('author_name', 100).nullable();
    t.double('reply_within_amount').notNullable();
    t.string('reply_within_type', 16).notNullable();
    ts(t, 'reply_due_at').notNullable();
    t.string('status', 16).notNullable();
    t.text('reply').nullable();
    t.integer('replied_by').unsigned().nullable();
    t.string('replied_by_username', 64).nullable();
    ts(t, 'replied_at').nullable();
    ts(t, 'created_at').notNullable();
    t.string('source_key', 120).notNullable().unique();
    t.index(['status', 'reply_due_at']);
  });
  await knex.schema.alterTable('cases', (t) => {
    ts(t, 'handle_due_at').nullable();
    ts(t, 'handle_warn_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('handle_warn_at');
    t.dropColumn('handle_due_at');
  });
  await knex.schema.dropTable('supervisions');
  await knex.schema.dropTable('extension_requests');
}
