/**
 * Uploads and downloads of attachments. An upload is spooled to a temp file while it is hashed,
 * counted and cut off at the size limit; its type is sniffed from the content; then the bytes go to
 * the blob store under their content address and the row and its audit record are written.
 * A download is allowed when the user may read the attachment's case (or, before it is linked to a
 * case, only to its uploader); anything else answers like a missing attachment.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import { UserError } from '@gridflow/engine';
import type { AuditEntry } from '@gridflow/engine';
import { AuditLog, auditClient } from '../audit/audit.store.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import { actorOf } from '../http/request-context.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { notFound } from '../http/scoped.ts';
import { CONTAINER_MEDIA_TYPES, decideMediaType, sanitizeFileName, tooLarge } from './attachment-policy.ts';
import type { AttachmentKind, AttachmentLimits } from './attachment-policy.ts';
import { contentKey, readSpooled, spoolUpload, verifying } from './attachment.storage.ts';
import type { BlobStore, Spooled } from './attachment.storage.ts';
import { readPhotoExif } from './exif.ts';
import type { PhotoExif } from './exif.ts';

/** The client of a request, for the audit log. */
export interface AuditClient {
  ip?: string;
  userAgent?: string;
}

/** An upload to store. */
export interface UploadInput {
  stream: Readable;
  /** The file name the client gave (only shown, never used to decide anything). */
  declaredName?: string;
  kind: AttachmentKind;
  /** The form field's label, named in refusals. */
  field?: string;
  limits: AttachmentLimits;
  user: SignedInUser;
  client?: AuditClient;
}

/** A stored attachment as the API answers an upload. */
export interface UploadResult {
  id: string;
  mediaType: string;
  size: number;
  sha256: string;
  exif?: PhotoExif;
}

/** A stored attachment's record. */
export interface AttachmentMeta {
  id: string;
  caseId: string | null;
  kind: AttachmentKind;
  mediaType: string;
  originalName: string;
  size: number;
  sha256: string;
}

const ATTACHMENT = { 'zh-CN': '附件', en: 'attachment' };

/** Stores attachments and serves them to the users who may see them. */
export class AttachmentsService {
  private readonly audit: AuditLog;
  constructor(private readonly db: Knex, private readonly store: BlobStore, private readonly spoolDir: string, private readonly clock: () => Date = () => new Date()) {
    this.audit = new AuditLog(db);
  }

  /** Stores an upload (in `trx` when given: the row and its audit record join the caller's transaction). */
  async upload(input: UploadInput, trx?: Knex.Transaction): Promise<UploadResult> {
    const maxBytes = input.limits.maxBytes[input.kind];
    let headType: string | undefined;
    let spooled: Spooled | undefined;
    try {
      spooled = await spoolUpload(input.stream, this.spoolDir, maxBytes, () => tooLarge(input.kind, maxBytes, input.field), async (head) => {
        headType = (await fileTypeFromBuffer(head))?.mime;
        if (!isContainer(input.kind, headType)) decideMediaType(input.kind, headType, input.field);
      });
      const sniffed = isContainer(input.kind, headType) ? (await fileTypeFromFile(spooled.path))?.mime : headType;
      const mediaType = decideMediaType(input.kind, sniffed, input.field);
      return await this.keep(input, spooled, mediaType, trx);
    } catch (e) {
      if (e instanceof UserError) await this.audit.record(this.entry(input, 'attachment.upload', 'denied', undefined, { kind: input.kind, code: e.code, detected: headType ?? null }));
      throw e;
    } finally {
      if (spooled) await rm(spooled.path, { force: true });
    }
  }

  /** The record and the verified bytes of an attachment the user may see; else 404 as for a missing one. */
  async read(id: string, user: SignedInUser, client?: AuditClient): Promise<{ meta: AttachmentMeta; stream: Readable }> {
    const row = await this.visible(user).where('attachments.id', id)
      .first('id', 'case_id', 'kind', 'media_type', 'original_name', 'size', 'sha256', 'storage_key') as Record<string, unknown> | undefined;
    if (!row) throw notFound(ATTACHMENT);
    const meta: AttachmentMeta = {
      id: String(row.id), caseId: (row.case_id as string | null) ?? null, kind: row.kind as AttachmentKind, mediaType: String(row.media_type),
      originalName: String(row.original_name), size: Number(row.size), sha256: String(row.sha256),
    };
    const stored = await this.store.get(String(row.storage_key));
    await this.audit.record(this.entry({ user, ...(client ? { client } : {}) }, 'attachment.download', 'success', meta.id, { caseId: meta.caseId, sha256: meta.sha256 }));
    const check = verifying(meta, `Attachment ${meta.id}`);
    stored.on('error', (e) => check.destroy(e));
    return { meta, stream: stored.pipe(check) };
  }

  /** Links the user's unlinked uploads to a case (in the case's own transaction); returns how many were linked. */
  async linkToCase(trx: Knex.Transaction, ids: string[], caseId: string, uploaderId: number): Promise<number> {
    if (ids.length === 0) return 0;
    return trx('attachments').whereIn('id', ids).whereNull('case_id').where('uploaded_by', uploaderId).update({ case_id: caseId, linked_at: this.clock() });
  }

  /** Attachments the user may see: those of cases they may read, and their own unlinked uploads. */
  private visible(user: SignedInUser): Knex.QueryBuilder {
    const cases = whereAllowed(this.db('cases').select('cases.id'), user.ability, 'read', 'Case', caseSql, user.principal);
    return this.db('attachments').where((b) => b
      .where((own) => own.whereNull('attachments.case_id').where('attachments.uploaded_by', user.principal.userId))
      .orWhereIn('attachments.case_id', cases));
  }

  private async keep(input: UploadInput, spooled: Spooled, mediaType: string, trx?: Knex.Transaction): Promise<UploadResult> {
    const exif = input.kind === 'photo' ? await readPhotoExif(spooled.path) : undefined;
    const key = contentKey(spooled.sha256);
    const stored = await this.store.put(key, readSpooled(spooled), { size: spooled.size });
    if (stored.size !== spooled.size || stored.sha256 !== spooled.sha256) throw new Error(`Blob store wrote ${stored.size} bytes (${stored.sha256}) for ${spooled.size} (${spooled.sha256})`);
    const id = randomUUID();
    const write = async (t: Knex.Transaction) => {
      await t('attachments').insert({
        id, case_id: null, uploaded_by: input.user.principal.userId, kind: input.kind, media_type: mediaType, original_name: sanitizeFileName(input.declaredName),
        size: spooled.size, sha256: spooled.sha256, storage_key: key, exif_lon: exif?.lon ?? null, exif_lat: exif?.lat ?? null, exif_taken_at: exif?.takenAt ?? null,
        created_at: this.clock(), linked_at: null,
      });
      await this.audit.append(t, this.entry(input, 'attachment.upload', 'success', id, { kind: input.kind, mediaType, size: spooled.size, sha256: spooled.sha256 }));
    };
    try {
      await (trx ? write(trx) : this.db.transaction(write));
    } catch (e) {
      await this.forgetUnreferenced(key, spooled.sha256);
      throw e;
    }
    return { id, mediaType, size: spooled.size, sha256: spooled.sha256, ...(exif ? { exif } : {}) };
  }

  /** Deletes a blob no row refers to (content addressing shares one blob among equal uploads). */
  private async forgetUnreferenced(key: string, sha256: string): Promise<void> {
    const used = await this.db('attachments').where({ sha256 }).first('id').catch(() => ({ id: 'unknown' }));
    if (!used) await this.store.delete(key).catch(() => undefined);
  }

  private entry(input: Pick<UploadInput, 'user' | 'client'>, action: string, outcome: AuditEntry['outcome'], id: string | undefined, details: Record<string, unknown>): AuditEntry {
    const client = input.client ?? {};
    return {
      occurredAt: this.clock().toISOString(), actor: actorOf(input.user), action, target: { type: 'attachment', ...(id ? { id } : {}) }, outcome,
      ...auditClient(client), details,
    };
  }
}

function isContainer(kind: AttachmentKind, mediaType: string | undefined): boolean {
  return kind === 'document' && mediaType !== undefined && CONTAINER_MEDIA_TYPES.includes(mediaType);
}
