/**
 * The attachment blobs of the local store (`<DATA_DIR>/attachments/ab/cd/<sha256>`) in a backup:
 * copied into the backup's `attachments/` folder with the same layout (each copy hashed on the way:
 * a blob's SHA-256 is its name), summarised in the manifest (count, bytes, SHA-256 of the sorted
 * names), verified blob by blob before a restore, and put back by a restore (missing or damaged ones
 * only; blobs already there are kept, also those the backup lacks). Everything is streamed; folders
 * are read one at a time, in name order, so 100k blobs never sit in memory at once.
 */
import { createHash } from 'node:crypto';
import { chown, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UserError } from '@gridflow/engine';
import type { ErrorDetail } from '@gridflow/engine';
import { copyVerified, fsync, hashFile } from './backup-manifest.ts';
import type { BackupAttachments } from './backup-manifest.ts';

/** The backup's folder of attachment blobs. */
export const ATTACHMENTS_DIR = 'attachments';

type LocalAttachments = Extract<BackupAttachments, { store: 'local' }>;

/** A blob file: its name (the SHA-256 of its content), its key `ab/cd/<sha256>` and its path. */
interface Blob {
  sha256: string;
  key: string;
  path: string;
}

const PAIR = /^[0-9a-f]{2}$/;
const SHA256 = /^[0-9a-f]{64}$/;
/** Most problems listed one by one in an error; the rest are counted. */
const MAX_DETAILS = 50;

/** The entries of a folder sorted by name (none when it does not exist). */
async function sortedEntries(dir: string) {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The blobs under a store-shaped folder in the order of their names (`ab/cd/<sha256>` sorts like
 * `<sha256>`). The store's `tmp/` folder is skipped; anything else that is not a blob (a file kept as
 * `*.before-restore-*`, a stray file) goes to `other`.
 */
async function* blobsUnder(root: string, other: (path: string) => void): AsyncGenerator<Blob> {
  for (const a of await sortedEntries(root)) {
    if (a.name === 'tmp' && a.isDirectory()) continue;
    if (!a.isDirectory() || !PAIR.test(a.name)) {
      other(join(root, a.name));
      continue;
    }
    for (const b of await sortedEntries(join(root, a.name))) {
      if (!b.isDirectory() || !PAIR.test(b.name)) {
        other(join(root, a.name, b.name));
        continue;
      }
      for (const f of await sortedEntries(join(root, a.name, b.name))) {
        const path = join(root, a.name, b.name, f.name);
        if (f.isFile() && SHA256.test(f.name) && f.name.startsWith(a.name + b.name)) yield { sha256: f.name, key: `${a.name}/${b.name}/${f.name}`, path };
        else other(path);
      }
    }
  }
}

/** Count, bytes and the SHA-256 of the names (each followed by a newline) of blobs added in name order. */
class BlobSummary {
  count = 0;
  bytes = 0;
  private readonly names = createHash('sha256');
  add(sha256: string, bytes: number): void {
    this.count += 1;
    this.bytes += bytes;
    this.names.update(`${sha256}\n`);
  }
  result(): LocalAttachments {
    return { store: 'local', count: this.count, bytes: this.bytes, namesSha256: this.names.digest('hex') };
  }
}

/**
 * Copies every blob of the local store at `storeRoot` into `<backupDir>/attachments`, hashing each
 * copy: a blob whose content does not match its name is damaged in the store, and the backup is
 * refused naming every such blob (a backup must not silently lack an accepted file). A blob deleted
 * while the backup runs is skipped: the store deletes only blobs no committed row refers to.
 */
export async function backupBlobs(storeRoot: string, backupDir: string): Promise<LocalAttachments> {
  const out = join(backupDir, ATTACHMENTS_DIR);
  await mkdir(out);
  const summary = new BlobSummary();
  const damaged: ErrorDetail[] = [];
  const folders = new Set<string>();
  for await (const blob of blobsUnder(storeRoot, () => undefined)) {
    const target = join(out, blob.key);
    if (!folders.has(dirname(target))) {
      await mkdir(dirname(target), { recursive: true });
      folders.add(dirname(target)).add(dirname(dirname(target)));
    }
    const copied = await copyHashed(blob.path, target);
    if (!copied) continue;
    if (copied.sha256 !== blob.sha256) {
      await rm(target);
      damaged.push({ target: blob.path, message: { 'zh-CN': `内容与文件名不符（实际 SHA-256 ${copied.sha256}）`, en: `its content does not match its name (actual SHA-256 ${copied.sha256})` } });
      continue;
    }
    await fsync(target);
    summary.add(blob.sha256, copied.bytes);
  }
  if (damaged.length > 0) {
    throw new UserError('backup.attachmentDamaged', {
      'zh-CN': `附件存储 ${storeRoot} 中有 ${damaged.length} 个文件已损坏（内容与其 SHA-256 文件名不符），未写入备份。请从较早的备份的 attachments/ 中取回这些文件（同名同路径），然后重新备份：`,
      en: `${damaged.length} file(s) of the attachment store ${storeRoot} are damaged (their content does not match their SHA-256 name); no backup was written. Copy them back from the attachments/ folder of an earlier backup (same name and path), then back up again:`,
    }, { details: capped(damaged) });
  }
  for (const folder of [...folders].sort().reverse()) await fsync(folder, true);
  await fsync(out, true);
  return summary.result();
}

/**
 * Problems of the blobs in a backup (none when its manifest has no local blobs): every blob's
 * SHA-256 must be its name, nothing but blobs may be there, and count, bytes and names must be
 * what the manifest says.
 */
export async function checkBackupBlobs(backupDir: string, attachments: BackupAttachments | undefined): Promise<ErrorDetail[]> {
  if (attachments?.store !== 'local') return [];
  const root = join(backupDir, ATTACHMENTS_DIR);
  const problems: ErrorDetail[] = [];
  const summary = new BlobSummary();
  const other = (path: string) => problems.push({ target: path, message: { 'zh-CN': '不是备份中的附件文件', en: 'not an attachment blob of the backup' } });
  for await (const blob of blobsUnder(root, other)) {
    const actual = await hashFile(blob.path);
    if (actual.sha256 !== blob.sha256) problems.push({ target: blob.path, message: { 'zh-CN': 'SHA-256 校验和与文件名不符（文件内容已改变）', en: 'SHA-256 checksum does not match its name (the content changed)' } });
    summary.add(blob.sha256, actual.bytes);
  }
  const found = summary.result();
  if (found.count !== attachments.count || found.bytes !== attachments.bytes || found.namesSha256 !== attachments.namesSha256) {
    problems.push({
      target: root,
      message: {
        'zh-CN': `含 ${found.count} 个附件文件共 ${found.bytes} 字节，清单记录为 ${attachments.count} 个共 ${attachments.bytes} 字节${found.count === attachments.count ? '，文件名不符' : ''}（附件文件缺失或多出）`,
        en: `holds ${found.count} blob(s) of ${found.bytes} bytes, the manifest lists ${attachments.count} of ${attachments.bytes} bytes${found.count === attachments.count ? ' with other names' : ''} (blobs missing or added)`,
      },
    });
  }
  return capped(problems);
}

/** What a restore did to the attachment store. */
export interface BlobRestore {
  /** Blobs copied into the store. */
  added: number;
  /** Blobs already in the store with the right content. */
  kept: number;
  /** Damaged blobs of the store that were replaced, now under `*.before-restore-<time>`. */
  keptAs: string[];
}

/**
 * Puts the blobs of a (verified) backup into the local store at `storeRoot`. A blob already there
 * with the right content is kept; a missing one is copied to the store's `tmp/` (hashed again, given
 * the store's owner) and renamed into place; a damaged one is first renamed to
 * `*.before-restore-<stamp>`. Blobs the backup lacks are left alone. Each step leaves a valid store:
 * blobs no row refers to are harmless.
 */
export async function restoreBlobs(backupDir: string, storeRoot: string, ownerOf: string, stamp: string): Promise<BlobRestore> {
  const owner = await stat(storeRoot).catch(() => stat(ownerOf)).catch(() => undefined);
  const done: BlobRestore = { added: 0, kept: 0, keptAs: [] };
  const tmp = join(storeRoot, 'tmp');
  const folders = new Set<string>();
  const unexpected = (path: string) => {
    throw new UserError('backup.changed', { 'zh-CN': `备份中出现了意外的文件 ${path}`, en: `An unexpected file ${path} appeared in the backup` });
  };
  for await (const blob of blobsUnder(join(backupDir, ATTACHMENTS_DIR), unexpected)) {
    const final = join(storeRoot, blob.key);
    const present = await hashFile(final).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (present?.sha256 === blob.sha256) {
      done.kept += 1;
      continue;
    }
    await mkdirOwned(tmp, owner);
    await mkdirOwned(dirname(final), owner);
    const temp = join(tmp, `${blob.sha256}.restoring-${stamp}`);
    try {
      await copyVerified(blob.path, temp, blob);
      await chownLike(temp, owner);
      if (present) {
        const aside = `${final}.before-restore-${stamp}`;
        await rename(final, aside);
        done.keptAs.push(aside);
      }
      await rename(temp, final);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    folders.add(dirname(final));
    done.added += 1;
  }
  for (const folder of folders) await fsync(folder, true);
  return done;
}

/** Creates the missing levels of a folder, each owned like `owner` (a restore run as root must leave folders GridFlow's user can write). */
async function mkdirOwned(dir: string, owner: Owner): Promise<void> {
  if (await stat(dir).catch(() => undefined)) return;
  await mkdirOwned(dirname(dir), owner);
  await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  await chownLike(dir, owner);
  await fsync(dirname(dir), true);
}

type Owner = { uid: number; gid: number } | undefined;

async function chownLike(path: string, owner: Owner): Promise<void> {
  if (!owner) return;
  await chown(path, owner.uid, owner.gid).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPERM') throw e;
  });
}

/** Copies `source` to `target` (which must not exist), hashing on the way; undefined when `source` no longer exists. */
async function copyHashed(source: string, target: string): Promise<{ bytes: number; sha256: string } | undefined> {
  let input: FileHandle;
  try {
    input = await open(source, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
  };
  let output: FileHandle;
  try {
    output = await open(target, 'wx');
  } catch (e) {
    await input.close();
    throw e;
  }
  await pipeline(input.createReadStream(), tap, output.createWriteStream());
  return { bytes, sha256: hash.digest('hex') };
}

function capped(details: ErrorDetail[]): ErrorDetail[] {
  if (details.length <= MAX_DETAILS) return details;
  const more = details.length - MAX_DETAILS;
  return [...details.slice(0, MAX_DETAILS), { target: '…', message: { 'zh-CN': `另有 ${more} 项`, en: `and ${more} more` } }];
}
