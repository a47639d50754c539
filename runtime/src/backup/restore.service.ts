/**
 * `gridflow restore`: puts a backup of the embedded installation back. Nothing changes unless the
 * manifest and every checksum verify, the backup fits this GridFlow (engine flavour, known
 * migrations) and no GridFlow server, engine or other process uses the files. The backup's files
 * are first copied next to their destinations under temporary names (and hashed again), then the
 * current files are renamed to `*.before-restore-<time>` and the copies renamed into place; a
 * failure in between puts the previous files back. The previous files are kept afterwards: they
 * hold everything written since the backup, including audit records that must be retained.
 * Attachment blobs of the local store (verified with everything else before any change) are put
 * back before the databases are swapped: blobs are only ever added (damaged ones moved aside), so
 * the store is valid for the old databases and for the restored ones.
 */
import { chmod, chown, mkdir, rename, rm, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '@gridflow/engine';
import { loadMigrations } from '@gridflow/migrations';
import type { Config } from '../config.ts';
import { AuditLog } from '../audit/audit.store.ts';
import { openDatabase } from '../db/connection.ts';
import { BACKUP_FILES, copyVerified, fsync, readVerifiedManifest } from './backup-manifest.ts';
import { checkBackupBlobs, restoreBlobs } from './attachment-blobs.ts';
import type { BlobRestore } from './attachment-blobs.ts';
import type { BackupFile, BackupManifest } from './backup-manifest.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';
import type { DataDirLock } from './data-dir-lock.ts';
import { assertNotInUse, embeddedInstallation, engineFiles, sqliteFiles } from './installation.ts';
import type { EmbeddedInstallation } from './installation.ts';

/** What a restore would do. */
export interface RestorePlan {
  from: string;
  manifest: BackupManifest;
  /** Current files that the restore moves aside (renamed to `*.before-restore-<time>`). */
  replaces: string[];
  /** Files the restore writes. */
  writes: string[];
  /** Why the restore cannot run now (GridFlow, its engine or another process uses the data). */
  inUse?: UserError;
  /** The local attachment store the backup's blobs go into (absent: the backup has none to put back). */
  attachmentsInto?: string;
}

/** What a restore did. */
export interface RestoreResult extends RestorePlan {
  /** Where the previous files are now. */
  keptAs: string[];
  /** Set when the restore could not be recorded in the restored audit log. */
  auditWarning?: string;
  /** What happened to the local attachment store (its replaced damaged blobs are in `keptAs` too). */
  attachments?: BlobRestore;
}

/**
 * Verifies a backup (manifest, every checksum) and that it fits this installation; says what a
 * restore would replace and whether the data is in use now. Changes nothing, also while GridFlow runs.
 */
export async function planRestore(config: Config, from: string): Promise<RestorePlan> {
  const installation = embeddedInstallation(config);
  const dir = resolve(from);
  const manifest = await readVerifiedManifest(dir, (m) => checkBackupBlobs(dir, m.attachments));
  assertFitsAttachments(manifest, config);
  await assertFits(manifest, installation);
  const replaces = [];
  for (const file of [...sqliteFiles(installation), ...(await engineFiles(installation))]) {
    if (await stat(file).catch(() => undefined)) replaces.push(file);
  }
  const plan: RestorePlan = { from: dir, manifest, replaces, writes: manifest.files.map((f) => destination(installation, f)) };
  if (manifest.attachments?.store === 'local' && manifest.attachments.count > 0) plan.attachmentsInto = config.attachments.localDir;
  const inUse = await assertNotInUse(installation).then(() => undefined, (e: unknown) => {
    if (e instanceof UserError) return e;
    throw e;
  });
  if (inUse) plan.inUse = inUse;
  return plan;
}

/** Restores the backup in `from` over the embedded installation (which must be stopped). */
export async function restore(config: Config, from: string, clock: () => Date = () => new Date()): Promise<RestoreResult> {
  const installation = embeddedInstallation(config);
  const plan = await planRestore(config, from);
  if (plan.inUse) throw plan.inUse;
  const stamp = clock().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const staged = await stage(plan, installation, stamp);
  let lock: DataDirLock | undefined;
  try {
    await assertNotInUse(installation);
    lock = acquireDataDirLock(config); // a server starting now is refused until the restore is done
  } catch (e) {
    for (const s of staged) await rm(s.temp, { force: true });
    throw e;
  }
  try {
    let attachments: BlobRestore | undefined;
    try {
      if (plan.attachmentsInto) attachments = await restoreBlobs(plan.from, plan.attachmentsInto, installation.dataDir, stamp);
    } catch (e) {
      for (const s of staged) await rm(s.temp, { force: true });
      throw e;
    }
    const keptAs = [...(await swap(plan.replaces, staged, stamp)), ...(attachments?.keptAs ?? [])];
    const result: RestoreResult = { ...plan, keptAs, ...(attachments ? { attachments } : {}) };
    const warning = await recordRestore(config, result, clock());
    if (warning) result.auditWarning = warning;
    return result;
  } finally {
    lock.release();
  }
}

/**
 * The backup's attachments fit the configured store: blobs of a local store are not put into a
 * bucket, and a bucket's blobs are not in the backup at all.
 */
function assertFitsAttachments(manifest: BackupManifest, config: Config): void {
  const from = manifest.attachments;
  const to = config.attachments.store;
  if (from?.store === 'local' && from.count > 0 && to === 's3') {
    throw new UserError('backup.attachmentStore', {
      'zh-CN': `该备份含本地附件存储的 ${from.count} 个附件文件，但当前配置为 GRIDFLOW_ATTACHMENTS_STORE=s3。请以 GRIDFLOW_ATTACHMENTS_STORE=local 恢复，再把 ${config.attachments.localDir}（tmp/ 除外）按相同键同步到存储桶，然后切换到 s3。`,
      en: `The backup holds ${from.count} blob(s) of a local attachment store, but GRIDFLOW_ATTACHMENTS_STORE is s3. Restore with GRIDFLOW_ATTACHMENTS_STORE=local, copy ${config.attachments.localDir} (without tmp/) into the bucket under the same keys, then switch to s3.`,
    });
  }
  if (from?.store === 's3' && to === 'local') {
    throw new UserError('backup.attachmentStore', {
      'zh-CN': `该备份的附件在 S3 存储桶 ${from.bucket} 中（不在备份里），但当前配置为 GRIDFLOW_ATTACHMENTS_STORE=local。请以相同的 S3 设置恢复。`,
      en: `The backup's attachments are in the S3 bucket ${from.bucket} (not in the backup), but GRIDFLOW_ATTACHMENTS_STORE is local. Restore with the same S3 settings.`,
    });
  }
}

/** The backup fits: same engine flavour, and no migration this GridFlow does not know. */
async function assertFits(manifest: BackupManifest, installation: EmbeddedInstallation): Promise<void> {
  if (manifest.engine.method !== 'none' && manifest.engine.flavour !== installation.flavour) {
    throw new UserError('backup.flavour', {
      'zh-CN': `该备份来自 ${manifest.engine.flavour} 引擎，当前配置为 ${installation.flavour}（ENGINE_FLAVOUR）。请使用相同的引擎恢复。`,
      en: `The backup is of a ${manifest.engine.flavour} engine but ENGINE_FLAVOUR is ${installation.flavour}. Restore with the same engine.`,
    });
  }
  const migration = manifest.gridflow.migration;
  if (migration && !(await loadMigrations()).some((m) => m.name === migration)) {
    throw new UserError('backup.newerSchema', {
      'zh-CN': `该备份的数据库结构（迁移 ${migration}）比当前 GridFlow 版本新。请用生成该备份的（或更新的）GridFlow 版本恢复。`,
      en: `The backup's database schema (migration ${migration}) is newer than this GridFlow. Restore it with the GridFlow version that made it, or a newer one.`,
    });
  }
}

function destination(installation: EmbeddedInstallation, file: BackupFile): string {
  return file.name === BACKUP_FILES.gridflow ? installation.sqliteFile : installation.engineFile;
}

interface Staged {
  temp: string;
  final: string;
}

/** Copies every backup file next to its destination under a temporary name, checking its hash again. */
async function stage(plan: RestorePlan, installation: EmbeddedInstallation, stamp: string): Promise<Staged[]> {
  const staged: Staged[] = [];
  try {
    for (const file of plan.manifest.files) {
      const final = destination(installation, file);
      const temp = `${final}.restoring-${stamp}`;
      await mkdir(resolve(final, '..'), { recursive: true });
      staged.push({ temp, final });
      await copyVerified(join(plan.from, file.name), temp, file);
      await sameOwnerAs(temp, final);
    }
    return staged;
  } catch (e) {
    for (const s of staged) await rm(s.temp, { force: true });
    throw e;
  }
}

/** Gives a restored file the mode and owner of the file it replaces (a restore run as root must not leave files GridFlow's user cannot open). */
async function sameOwnerAs(file: string, previous: string): Promise<void> {
  const before = await stat(previous).catch(() => undefined);
  if (!before) return;
  await chmod(file, before.mode & 0o777);
  await chown(file, before.uid, before.gid).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPERM') throw e;
  });
}

/** Moves the current files aside and the staged ones into place; on failure puts everything back. */
async function swap(current: string[], staged: Staged[], stamp: string): Promise<string[]> {
  const moved: [string, string][] = [];
  const placed: string[] = [];
  try {
    for (const file of current) {
      const aside = `${file}.before-restore-${stamp}`;
      await rename(file, aside);
      moved.push([file, aside]);
    }
    for (const s of staged) {
      await rename(s.temp, s.final);
      placed.push(s.final);
    }
  } catch (e) {
    for (const file of placed) await rm(file, { force: true });
    for (const [file, aside] of moved.reverse()) await rename(aside, file);
    for (const s of staged) await rm(s.temp, { force: true });
    throw e;
  }
  for (const dir of new Set(staged.map((s) => resolve(s.final, '..')))) await fsync(dir, true);
  return moved.map(([, aside]) => aside);
}

/** Appends `backup.restore` to the restored audit log (when the backup has one); returns a warning instead of failing. */
async function recordRestore(config: Config, result: RestoreResult, now: Date): Promise<string | undefined> {
  const { manifest, keptAs } = result;
  const db = openDatabase(config.databaseUrl);
  try {
    if (!(await db.schema.hasTable('audit_head'))) return undefined;
    await new AuditLog(db).record({
      occurredAt: now.toISOString(), actor: { username: 'system' }, action: 'backup.restore',
      target: { type: 'backup', id: manifest.createdAt }, outcome: 'success',
      details: {
        from: result.from, osUser: userInfo().username, migration: manifest.gridflow.migration, engine: manifest.engine.method, previousFiles: keptAs,
        ...(result.attachments ? { attachmentsAdded: result.attachments.added, attachmentsKept: result.attachments.kept } : {}),
      },
    });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await db.destroy();
  }
}
