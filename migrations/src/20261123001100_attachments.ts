/**
 * Attachments of forms (photos, videos, documents): one row per upload, with the type sniffed from
 * the content, the size and SHA-256 of the bytes, where the bytes are stored, and the EXIF location
 * and time of photos. An upload may precede its case (while reporting): `case_id` is set when linked.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('attachments', (t) => {
    t.string('id', 36).primary();
    t.string('case_id', 36).nullable().index();
    t.integer('uploaded_by').unsigned().notNullable().index();
    t.string('kind', 16).notNullable();
    t.string('media_type', 128).notNullable();
    t.string('original_name', 255).notNullable();
    t.bigInteger('size').notNullable();
    t.string('sha256', 64).notNullable().index();
    t.string('storage_key', 255).notNullable();
    t.double('exif_lon').nullable();
    t.double('exif_lat').nullable();
    t.string('exif_taken_at', 19).nullable();
    t.timestamp('created_at', { useTz: false, precision: 3 }).notNullable();
    t.timestamp('linked_at', { useTz: false, precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('attachments');
}
