/** Sign-in sessions (browser cookies and bearer tokens), stored by the SHA-256 of their token. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sessions', (t) => {
    t.string('id', 64).primary();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('kind', 8).notNullable();
    t.string('auth_method', 16).notNullable();
    t.string('csrf_token', 64).nullable();
    t.string('ip', 64).nullable();
    t.string('user_agent', 255).nullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('last_seen_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('expires_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('revoked_at', { useTz: false, precision: 3 }).nullable();
    t.index(['user_id', 'revoked_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
}
