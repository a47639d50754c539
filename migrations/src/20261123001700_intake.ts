/**
 * Case intake: what a report adds to its case (event type, channel, merge target), the idempotency
 * record of every intake request, the digests of tracking codes, and the possible duplicates found.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.string('event_type', 16).nullable();
    t.string('channel', 16).nullable();
    t.string('merged_into', 36).nullable();
    t.string('merge_reason', 500).nullable();
    t.index(['event_type', 'status', 'created_at'], 'cases_event_type_status_created_index');
  });
  // One row per (user, Idempotency-Key): the unique key makes concurrent retries create one case.
  await knex.schema.createTable('intake_requests', (t) => {
    t.increments('id').primary();
    t.integer('user_id').unsigned().notNullable();
    t.string('idempotency_key', 64).notNullable();
    // SHA-256 of the canonical request body: the same key with another body is refused.
    t.string('request_digest', 64).notNullable();
    t.string('case_id', 36).notNullable();
    t.text('response').notNullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.unique(['user_id', 'idempotency_key']);
  });
  // Only SHA-256 digests of tracking codes are kept; a code is shown once, in the intake response.
  await knex.schema.createTable('case_tracking_codes', (t) => {
    t.string('code_digest', 64).primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.index(['case_id']);
  });
  await knex.schema.createTable('case_duplicates', (t) => {
    t.string('case_id', 36).notNullable().references('id').inTable('cases').onDelete('CASCADE');
    t.string('candidate_id', 36).notNullable().references('id').inTable('cases').onDelete('CASCADE');
    t.integer('distance_m').notNullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.primary(['case_id', 'candidate_id']);
    t.index(['candidate_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('case_duplicates');
  await knex.schema.dropTable('case_tracking_codes');
  await knex.schema.dropTable('intake_requests');
  await knex.schema.alterTable('cases', (t) => {
    t.dropIndex(['event_type', 'status', 'created_at'], 'cases_event_type_status_created_index');
  });
  await knex.schema.alterTable('cases', (t) => {
    for (const c of ['merge_reason', 'merged_into', 'channel', 'event_type']) t.dropColumn(c);
  });
}
