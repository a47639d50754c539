/** Attachments a form submission brings: linked to the case when the submission is accepted. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('form_submissions', (t) => {
    t.text('attachment_ids').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('form_submissions', (t) => {
    t.dropColumn('attachment_ids');
  });
}
