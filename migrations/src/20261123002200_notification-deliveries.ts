/**
 * Deliveries of notifications through channel plugins (webhook, SMS …): one row per notification and
 * channel, written with the notification, then claimed under a lease, sent, and retried with backoff.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notification_deliveries', (t) => {
    t.string('id', 36).primary();
    t.bigInteger('notification_id').unsigned().notNullable().references('id').inTable('notifications').onDelete('CASCADE');
    t.string('channel_id', 64).notNullable();
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: false, precision: 3 }).notNullable();
    t.string('lease_token', 36).nullable();
    t.timestamp('lease_until', { useTz: false, precision: 3 }).nullable();
    t.string('last_error', 500).nullable();
    t.timestamp('delivered_at', { useTz: false, precision: 3 }).nullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('updated_at', { useTz: false, precision: 3 }).notNullable();
    t.unique(['notification_id', 'channel_id']);
    t.index(['status', 'next_attempt_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notification_deliveries');
}
