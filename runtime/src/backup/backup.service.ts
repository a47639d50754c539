/**
 * `gridflow backup`: a consistent copy of the embedded installation while it may be running.
 * GridFlow's SQLite database first (VACUUM INTO on a connection of its own: one read transaction,
 * so a consistent snapshot while the server keeps writing), then the engine's H2 database (online
 * through the running engine's BACKUP TO, or a file copy of a stopped engine's database). The
 * engine is taken second on purpose: it then knows every case and outbox event GridFlow's copy
 * knows (docs/operations/backup-restore.md). Then the blobs of the local attachment store: a blob
 * is written before the row that refers to it commits, so every blob a copied row names is there.
 * Everything is written to a hidden folder next to the target and renamed at the end, so an
 * interrupted backup never looks complete.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { OperationalError, UserError } from '@gridflow/engine';
import type { EngineFlavour } from '@gridflow/engine';
import type { Config } from '../config.ts';
import { BACKUP_FILES, FORMAT_VERSION, describeFile, fsync, writeManifest } from './backup-manifest.ts';
import type { BackupAttachments, BackupFile, BackupManifest } from './backup-manifest.ts';
import { backupBlobs } from './attachment-blobs.ts';
import { findRunningEngine, requestEngineBackup } from './engine-endpoint.ts';
import { lockHolders } from './file-locks.ts';
import { embeddedInstallation } from './installation.ts';
import type { EmbeddedInstallation } from './installation.ts';
import { extractZipEntry } from './unzip.ts';

export { restore, planRestore } from './restore.service.ts';
export type { RestorePlan, RestoreResult } from './restore.service.ts';

/** What a backup wrote. */
export interface BackupResult {
  dir: string;
  manifest: BackupManifest;
}

/** Backs up the embedded installation into `target`, a folder that must not exist or be empty. */
export async function backup(config: Config, target: string, clock: () => Date = () => new Date()): Promise<BackupResult> {
  const installation = embeddedInstallation(config);
  const dir = resolve(target);
  await assertEmptyTarget(dir);
  await mkdir(dirname(dir), { recursive: true });
  const temp = await mkdtemp(join(dirname(dir), `.${basename(dir)}.partial-`));
  try {
    const createdAt = clock().toISOString();
    const migration = await copySqlite(installation.sqliteFile, join(temp, BACKUP_FILES.gridflow));
    const engine = await copyEngine(installation, temp);
    const attachments = await copyAttachments(config, temp);
    const files: BackupFile[] = [await describeFile(temp, BACKUP_FILES.gridflow)];
    if (engine.method !== 'none') files.push(await describeFile(temp, BACKUP_FILES.engine));
    const manifest: BackupManifest = {
      format: 'gridflow-backup', formatVersion: FORMAT_VERSION, createdAt,
      gridflow: { database: 'sqlite', migration }, engine: { ...engine, database: 'h2' }, files, attachments,
    };
    await writeManifest(temp, manifest);
    await fsync(join(temp, 'engine'), true);
    await fsync(temp, true);
    await placeAtTarget(temp, dir);
    return { dir, manifest };
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
}

async function assertEmptyTarget(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    if (e.code === 'ENOTDIR') return ['(a file)'];
    throw e;
  });
  if (entries.length === 0) return;
  throw new UserError('backup.targetNotEmpty', {
    'zh-CN': `备份目标 ${dir} 已存在且不是空目录。请指定一个新的（或空的）目录，例如带日期的 ${dir}-${new Date().toISOString().slice(0, 10)}。`,
    en: `The backup target ${dir} exists and is not an empty folder. Name a new (or empty) folder, e.g. a dated one like ${dir}-${new Date().toISOString().slice(0, 10)}.`,
  });
}

/**
 * VACUUM INTO on a connection of its own (it only reads; not opened read-only, because a read-only
 * connection cannot remove the WAL files it creates when it is the last one); returns the copy's
 * latest applied migration.
 */
async function copySqlite(source: string, target: string): Promise<string | null> {
  await stat(source).catch(() => {
    throw new UserError('backup.noDatabase', {
      'zh-CN': `找不到 GridFlow 数据库 ${source}（请检查 DATA_DIR / DATABASE_URL）`,
      en: `There is no GridFlow database at ${source} (check DATA_DIR / DATABASE_URL)`,
    });
  });
  const live = new Database(source, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 10000');
    live.prepare('VACUUM INTO ?').run(target);
  } finally {
    live.close();
  }
  const copy = new Database(target, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new OperationalError({ 'zh-CN': `数据库副本未通过完整性检查：${String(check)}`, en: `The database copy failed its integrity check: ${String(check)}` });
    const table = copy.prepare("select 1 from sqlite_master where type = 'table' and name = 'gridflow_migrations'").get();
    const last = table ? copy.prepare('select name from gridflow_migrations order by id desc limit 1').get() as { name: string } | undefined : undefined;
    return last?.name ?? null;
  } finally {
    copy.close();
  }
}

/** The local store's blobs, copied after both databases; of an S3 bucket only its name (the bucket is backed up by the storage). */
async function copyAttachments(config: Config, temp: string): Promise<BackupAttachments> {
  const { store, s3, localDir } = config.attachments;
  if (store === 's3') {
    if (!s3) throw new Error('GRIDFLOW_ATTACHMENTS_STORE=s3 needs GRIDFLOW_S3_BUCKET');
    return { store: 's3', bucket: s3.bucket };
  }
  return backupBlobs(localDir, temp);
}

type EngineCopy = { flavour: EngineFlavour; method: 'online' | 'offline' | 'none' };

/** Online through the running engine; else a copy of the stopped engine's file, made sure no process holds it. */
async function copyEngine(installation: EmbeddedInstallation, temp: string): Promise<EngineCopy> {
  const target = join(temp, BACKUP_FILES.engine);
  await mkdir(dirname(target));
  const running = await findRunningEngine(installation.engineDataDir);
  if (running) {
    const zip = join(temp, 'engine.zip');
    await requestEngineBackup(running, zip);
    await extractZipEntry(zip, 'engine.mv.db', target);
    await rm(zip);
    return { flavour: running.flavour, method: 'online' };
  }
  await assertEngineStopped(installation);
  const before = await stat(installation.engineFile).catch(() => undefined);
  if (!before) return { flavour: installation.flavour, method: 'none' };
  await copyFile(installation.engineFile, target, constants.COPYFILE_EXCL);
  const after = await stat(installation.engineFile);
  await assertEngineStopped(installation);
  if (after.mtimeMs !== before.mtimeMs || after.size !== before.size) throw engineBusy(installation, []);
  return { flavour: installation.flavour, method: 'offline' };
}

async function assertEngineStopped(installation: EmbeddedInstallation): Promise<void> {
  const holders = await lockHolders([installation.engineFile]);
  if (holders.length > 0) throw engineBusy(installation, holders.map((h) => h.pid));
}

function engineBusy(installation: EmbeddedInstallation, pids: number[]): OperationalError {
  const who = pids.length > 0 ? pids.join(', ') : '?';
  return new OperationalError({
    'zh-CN': `流程引擎数据库 ${installation.engineFile} 正被进程 ${who} 使用，但找不到可访问的内置引擎（它可能正在重启，或不是由本 DATA_DIR 的 gridflow serve 启动的）。请稍后重试，或先停止该引擎。`,
    en: `The engine database ${installation.engineFile} is in use by process ${who}, but no reachable built-in engine was found (it may be restarting, or was not started by gridflow serve of this DATA_DIR). Try again shortly, or stop that engine first.`,
  });
}

/** Renames the finished temp folder to the target (an empty target folder is replaced). */
async function placeAtTarget(temp: string, dir: string): Promise<void> {
  await rmdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  await rename(temp, dir);
  await fsync(dirname(dir), true);
}
