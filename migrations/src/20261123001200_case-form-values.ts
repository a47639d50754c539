/** The form a case was reported with, its version and its current values. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.string('form_key', 64).nullable();
    t.integer('form_version').nullable();
    t.text('form_values', 'longtext').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('form_values');
    t.dropColumn('form_version');
    t.dropColumn('form_key');
  });
}
