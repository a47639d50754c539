/**
 * What scoping needs to know of a case: where it is (grid and its community, street, district),
 * who reported it (with the reporter's contact, which is personal data) and the parties related to it.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.string('title', 255).nullable();
    t.string('grid_code', 15).nullable().index();
    t.string('community_code', 15).nullable().index();
    t.string('street_code', 15).nullable().index();
    t.string('district_code', 15).nullable().index();
    t.string('reporter_name', 100).nullable();
    t.string('reporter_phone', 20).nullable();
    t.string('address', 255).nullable();
    t.double('location_lon').nullable();
    t.double('location_lat').nullable();
  });
  await knex.schema.createTable('case_parties', (t) => {
    t.increments('id').primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases').onDelete('CASCADE');
    t.string('relation', 16).notNullable();
    t.integer('user_id').unsigned().nullable();
    t.string('department_code', 16).nullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.index(['case_id', 'relation']);
    t.index(['user_id', 'relation']);
    t.index(['department_code', 'relation']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('case_parties');
  await knex.schema.alterTable('cases', (t) => {
    for (const c of ['location_lat', 'location_lon', 'address', 'reporter_phone', 'reporter_name', 'district_code', 'street_code', 'community_code', 'grid_code', 'title']) t.dropColumn(c);
  });
}
