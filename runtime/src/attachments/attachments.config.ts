/** Attachment settings: where the bytes are stored (local disk or S3-compatible storage) and the size and count limits. */
import { resolve } from 'node:path';
import type { AttachmentKind } from './attachment-policy.ts';
import { DEFAULT_LIMITS } from './attachment-policy.ts';
import type { AttachmentLimits } from './attachment-policy.ts';

/** An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, OSS/COS in S3 mode). */
export interface S3Settings {
  /** GRIDFLOW_S3_ENDPOINT: e.g. http://minio:9000; unset for AWS S3 itself. */
  endpoint?: string;
  /** GRIDFLOW_S3_REGION: default us-east-1 */
  region: string;
  /** GRIDFLOW_S3_BUCKET (required with the s3 store). */
  bucket: string;
  /** GRIDFLOW_S3_ACCESS_KEY_ID / GRIDFLOW_S3_SECRET_ACCESS_KEY: unset → the SDK's default credential chain. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** GRIDFLOW_S3_FORCE_PATH_STYLE: true for MinIO and most self-hosted stores. Default false */
  forcePathStyle: boolean;
}

/** Attachment configuration. */
export interface AttachmentsConfig {
  /** GRIDFLOW_ATTACHMENTS_STORE: local (default) or s3. */
  store: 'local' | 's3';
  /** Local store root and the spool folder of uploads in progress: <DATA_DIR>/attachments. */
  localDir: string;
  s3?: S3Settings;
  /** GRIDFLOW_ATTACHMENT_MAX_MB_PHOTO / _VIDEO / _DOCUMENT, GRIDFLOW_ATTACHMENT_MAX_COUNT. Default 10 / 200 / 20 MB, 9 per field */
  limits: AttachmentLimits;
}

function megabytes(env: NodeJS.ProcessEnv, key: string, fallbackBytes: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallbackBytes;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`${key} must be a positive number of megabytes, got "${raw}"`);
  return Math.floor(mb * 1024 * 1024);
}

function maxCount(env: NodeJS.ProcessEnv): number {
  const raw = env.GRIDFLOW_ATTACHMENT_MAX_COUNT;
  if (raw === undefined || raw === '') return DEFAULT_LIMITS.maxCount;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`GRIDFLOW_ATTACHMENT_MAX_COUNT must be a positive whole number, got "${raw}"`);
  return n;
}

function flag(env: NodeJS.ProcessEnv, key: string): boolean {
  const raw = (env[key] ?? '').toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new Error(`${key} must be true or false, got "${env[key]}"`);
}

function s3Settings(env: NodeJS.ProcessEnv): S3Settings {
  if (!env.GRIDFLOW_S3_BUCKET) throw new Error('GRIDFLOW_S3_BUCKET is required with GRIDFLOW_ATTACHMENTS_STORE=s3');
  if (Boolean(env.GRIDFLOW_S3_ACCESS_KEY_ID) !== Boolean(env.GRIDFLOW_S3_SECRET_ACCESS_KEY)) {
    throw new Error('GRIDFLOW_S3_ACCESS_KEY_ID and GRIDFLOW_S3_SECRET_ACCESS_KEY must be set together');
  }
  return {
    region: env.GRIDFLOW_S3_REGION ?? 'us-east-1', bucket: env.GRIDFLOW_S3_BUCKET, forcePathStyle: flag(env, 'GRIDFLOW_S3_FORCE_PATH_STYLE'),
    ...(env.GRIDFLOW_S3_ENDPOINT ? { endpoint: env.GRIDFLOW_S3_ENDPOINT } : {}),
    ...(env.GRIDFLOW_S3_ACCESS_KEY_ID ? { accessKeyId: env.GRIDFLOW_S3_ACCESS_KEY_ID, secretAccessKey: env.GRIDFLOW_S3_SECRET_ACCESS_KEY } : {}),
  };
}

/** Reads the attachment settings from an environment; `dataDir` is the runtime's DATA_DIR. */
export function loadAttachmentsConfig(env: NodeJS.ProcessEnv, dataDir: string): AttachmentsConfig {
  const store = env.GRIDFLOW_ATTACHMENTS_STORE ?? 'local';
  if (store !== 'local' && store !== 's3') throw new Error(`GRIDFLOW_ATTACHMENTS_STORE must be local or s3, got "${store}"`);
  const maxBytes: Record<AttachmentKind, number> = {
    photo: megabytes(env, 'GRIDFLOW_ATTACHMENT_MAX_MB_PHOTO', DEFAULT_LIMITS.maxBytes.photo),
    video: megabytes(env, 'GRIDFLOW_ATTACHMENT_MAX_MB_VIDEO', DEFAULT_LIMITS.maxBytes.video),
    document: megabytes(env, 'GRIDFLOW_ATTACHMENT_MAX_MB_DOCUMENT', DEFAULT_LIMITS.maxBytes.document),
  };
  return {
    store, localDir: resolve(dataDir, 'attachments'), limits: { maxBytes, maxCount: maxCount(env) },
    ...(store === 's3' ? { s3: s3Settings(env) } : {}),
  };
}
