/**
 * The backup folder's `manifest.json` (what is in it, from which GridFlow migration level and
 * engine flavour, with the size and SHA-256 of every file, and a summary of the attachment blobs)
 * and the file helpers that write and verify it: streamed hashing, hashed copies, fsync.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UserError } from '@gridflow/engine';
import type { EngineFlavour, ErrorDetail } from '@gridflow/engine';

/** Name of the manifest inside a backup folder. */
export const MANIFEST = 'manifest.json';
/** The files of a backup, by role (fixed names: a manifest can never point outside its folder). */
export const BACKUP_FILES = { gridflow: 'gridflow.db', engine: 'engine/engine.mv.db' } as const;
/**
 * Manifest format version this code writes. 2 added `attachments`; version 1 (no attachments) is
 * still read. A GridFlow that reads only version 1 refuses version 2 instead of silently skipping the blobs.
 */
export const FORMAT_VERSION = 2;
/** Every format version this code reads. */
const READABLE_VERSIONS = [1, 2];

/** One file of a backup. */
export interface BackupFile {
  name: (typeof BACKUP_FILES)[keyof typeof BACKUP_FILES];
  bytes: number;
  sha256: string;
}

/** The manifest of a backup folder. */
export interface BackupManifest {
  format: 'gridflow-backup';
  formatVersion: number;
  createdAt: string;
  /** GridFlow's SQLite database: the latest applied migration (gridflow_migrations). */
  gridflow: { database: 'sqlite'; migration: string | null };
  /** The built-in engine's H2 database: `online` through the running engine, `offline` a copy of the stopped engine's file, `none` never started. */
  engine: { flavour: EngineFlavour; database: 'h2'; method: 'online' | 'offline' | 'none' };
  files: BackupFile[];
  /** The attachment blobs (format 2 on; absent: a backup made before attachments, nothing to restore). */
  attachments?: BackupAttachments;
}

/**
 * The attachment store at backup time. `local`: its blobs are copied under `attachments/ab/cd/<sha256>`
 * (each file's SHA-256 is its name, so it needs no entry of its own); `namesSha256` is the SHA-256 of
 * the sorted names, each followed by a newline, so a missing or added blob is noticed.
 * `s3`: the bucket is not copied (it is backed up with the storage's own versioning / replication).
 */
export type BackupAttachments =
  | { store: 'local'; count: number; bytes: number; namesSha256: string }
  | { store: 's3'; bucket: string };

/** Size and SHA-256 of a file, streamed. */
export async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Describes (and fsyncs) a file written into a backup folder. */
export async function describeFile(dir: string, name: BackupFile['name']): Promise<BackupFile> {
  await fsync(join(dir, name));
  return { name, ...(await hashFile(join(dir, name))) };
}

/** Writes the manifest, flushed to disk. */
export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  await writeFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
  await fsync(join(dir, MANIFEST));
}

/**
 * Reads the manifest and checks every file's size and SHA-256, and whatever `more` checks (the
 * attachment blobs); one UserError lists every problem.
 */
export async function readVerifiedManifest(dir: string, more?: (manifest: BackupManifest) => Promise<ErrorDetail[]>): Promise<BackupManifest> {
  const manifest = await readManifest(dir);
  const details: ErrorDetail[] = [];
  for (const file of manifest.files) {
    const problem = await checkFile(join(dir, file.name), file);
    if (problem) details.push({ target: join(dir, file.name), message: problem });
  }
  if (more) details.push(...(await more(manifest)));
  if (details.length > 0) {
    throw new UserError('backup.corrupt', {
      'zh-CN': `备份 ${dir} 已损坏或不完整，未做任何更改：`,
      en: `The backup ${dir} is damaged or incomplete; nothing was changed:`,
    }, { details });
  }
  return manifest;
}

/** Copies a backup file to `target` (which must not exist), hashing on the way; a mismatch removes nothing but throws. */
export async function copyVerified(source: string, target: string, expected: Pick<BackupFile, 'sha256'>): Promise<void> {
  const hash = createHash('sha256');
  const tap = async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      hash.update(chunk);
      yield chunk;
    }
  };
  await pipeline(createReadStream(source), tap, createWriteStream(target, { flags: 'wx' }));
  await fsync(target);
  if (hash.digest('hex') !== expected.sha256) {
    throw new UserError('backup.changed', { 'zh-CN': `复制过程中 ${source} 发生了变化`, en: `${source} changed while it was being copied` });
  }
}

/** Flushes a file or folder to disk (folders: best effort, not every platform can). */
export async function fsync(path: string, folder = false): Promise<void> {
  let fh;
  try {
    fh = await open(path, folder ? 'r' : 'r+');
    await fh.sync();
  } catch (e) {
    if (!folder) throw e;
  } finally {
    await fh?.close();
  }
}

async function readManifest(dir: string): Promise<BackupManifest> {
  const path = join(dir, MANIFEST);
  let manifest: Partial<BackupManifest>;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as Partial<BackupManifest>;
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? { 'zh-CN': '文件不存在', en: 'the file does not exist' } : { 'zh-CN': '不是有效的 JSON', en: 'not valid JSON' };
    throw notABackup(dir, path, reason);
  }
  const known = new Set<string>(Object.values(BACKUP_FILES));
  const filesOk = Array.isArray(manifest.files) && manifest.files.every((f) => known.has(f?.name) && Number.isInteger(f.bytes) && /^[0-9a-f]{64}$/.test(String(f.sha256)));
  if (manifest.format !== 'gridflow-backup' || !filesOk || !manifest.engine || !manifest.gridflow) {
    throw notABackup(dir, path, { 'zh-CN': '不是 GridFlow 备份清单', en: 'not a GridFlow backup manifest' });
  }
  if (!READABLE_VERSIONS.includes(Number(manifest.formatVersion))) {
    const readable = READABLE_VERSIONS.join(', ');
    throw notABackup(dir, path, { 'zh-CN': `备份格式版本 ${manifest.formatVersion} 不受支持（支持 ${readable}）`, en: `backup format version ${manifest.formatVersion} is not supported (this GridFlow reads ${readable})` });
  }
  if (manifest.attachments !== undefined && (manifest.formatVersion === 1 || !attachmentsOk(manifest.attachments))) {
    throw notABackup(dir, path, { 'zh-CN': '附件部分（attachments）无效', en: 'its attachments entry is not valid' });
  }
  return manifest as BackupManifest;
}

function attachmentsOk(a: unknown): boolean {
  const v = a as Partial<Record<string, unknown>> | null;
  if (typeof v !== 'object' || v === null) return false;
  if (v.store === 's3') return typeof v.bucket === 'string' && v.bucket !== '';
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  return v.store === 'local' && count(v.count) && count(v.bytes) && /^[0-9a-f]{64}$/.test(String(v.namesSha256));
}

async function checkFile(path: string, expected: BackupFile): Promise<ErrorDetail['message'] | undefined> {
  try {
    if ((await stat(path)).size !== expected.bytes) return { 'zh-CN': `大小不符（应为 ${expected.bytes} 字节）`, en: `wrong size (expected ${expected.bytes} bytes)` };
  } catch {
    return { 'zh-CN': '文件缺失', en: 'the file is missing' };
  }
  const actual = await hashFile(path);
  return actual.sha256 === expected.sha256 ? undefined : { 'zh-CN': 'SHA-256 校验和不符（文件内容已改变）', en: 'SHA-256 checksum mismatch (the content changed)' };
}

function notABackup(dir: string, path: string, reason: ErrorDetail['message']): UserError {
  return new UserError('backup.notABackup', {
    'zh-CN': `${dir} 不是可用的 GridFlow 备份：${path}：${reason['zh-CN']}`,
    en: `${dir} is not a usable GridFlow backup: ${path}: ${reason.en}`,
  });
}
