/** The append-only audit log with its hash chain, and the chain head that serialises appends. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigInteger('id').primary();
    t.timestamp('occurred_at', { useTz: false, precision: 3 }).notNullable().index();
    t.string('actor_username', 64).notNullable().index();
    t.string('action', 64).notNullable().index();
    t.string('target_type', 32).notNullable();
    t.string('target_id', 128).nullable();
    t.string('outcome', 16).notNullable();
    t.text('entry').notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
  });
  await knex.schema.createTable('audit_head', (t) => {
    t.integer('id').primary();
    t.bigInteger('last_id').notNullable();
    t.string('last_hash', 64).notNullable();
    t.string('anchor_hash', 64).notNullable();
  });
  await knex('audit_head').insert({ id: 1, last_id: 0, last_hash: '0'.repeat(64), anchor_hash: '0'.repeat(64) });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_head');
  await knex.schema.dropTable('audit_log');
}
