/**
 * Pending OpenID Connect sign-ins: the state, nonce and PKCE verifier of each authorization request
 * sent to the identity provider. A row is used once (deleted by the callback) and expires after 10 minutes.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_logins', (t) => {
    t.string('state', 64).primary();
    t.string('code_verifier', 128).notNullable();
    t.string('nonce', 64).notNullable();
    t.string('return_to', 512).nullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_logins');
}
