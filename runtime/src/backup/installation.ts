/**
 * The embedded installation that `gridflow backup` / `restore` handle (SQLite database + the
 * built-in engine on H2), and who is using it: the serving runtime (its DATA_DIR lock), the
 * built-in engine (its discovery file) and any process holding OS locks on the database files.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@gridflow/engine';
import type { EngineFlavour, ErrorDetail } from '@gridflow/engine';
import type { Config } from '../config.ts';
import { parseDatabaseUrl } from '../db/connection.ts';
import { dataDirInUse, readDataDirLock } from './data-dir-lock.ts';
import { findRunningEngine } from './engine-endpoint.ts';
import { lockHolders } from './file-locks.ts';

/** Where the embedded installation's data lives. */
export interface EmbeddedInstallation {
  dataDir: string;
  /** GridFlow's SQLite database file. */
  sqliteFile: string;
  /** ENGINE_DATA_DIR: the folder of the engine's H2 database. */
  engineDataDir: string;
  /** The H2 database file (`<ENGINE_DATA_DIR>/engine.mv.db`). */
  engineFile: string;
  flavour: EngineFlavour;
}

/** Where the MySQL / MariaDB procedure is described. */
export const BACKUP_DOC = 'docs/operations/backup-restore.md';

/** The embedded installation of a configuration; anything else is refused with a pointer to the documented procedure. */
export function embeddedInstallation(config: Config): EmbeddedInstallation {
  const target = parseDatabaseUrl(config.databaseUrl);
  const sqliteFile = target.client === 'sqlite' && target.filename !== ':memory:' ? target.filename : undefined;
  const other = !sqliteFile ? 'DATABASE_URL' : config.engine.url ? 'ENGINE_URL' : config.engine.database ? 'ENGINE_DB_URL' : undefined;
  if (!sqliteFile || other) {
    throw new UserError('backup.unsupported', {
      'zh-CN': `gridflow backup / restore 只处理内置默认部署（SQLite 数据库 + 内置引擎的 H2 数据库），当前配置设置了 ${other}。MySQL / MariaDB 或独立部署的引擎请按 ${BACKUP_DOC} 中的步骤备份与恢复。`,
      en: `gridflow backup / restore handle the embedded default only (the SQLite database and the built-in engine's H2 database); this configuration sets ${other}. Back up and restore MySQL / MariaDB or a separately run engine as described in ${BACKUP_DOC}.`,
    });
  }
  return {
    dataDir: config.dataDir, sqliteFile, engineDataDir: config.engine.dataDir,
    engineFile: join(config.engine.dataDir, 'engine.mv.db'), flavour: config.engine.flavour,
  };
}

/** The SQLite database with its WAL and shared-memory files. */
export function sqliteFiles(installation: EmbeddedInstallation): string[] {
  return ['', '-wal', '-shm', '-journal'].map((suffix) => `${installation.sqliteFile}${suffix}`);
}

/** The H2 files in the engine folder (`engine.mv.db`, `engine.trace.db`, temporary files), not GridFlow's own. */
export async function engineFiles(installation: EmbeddedInstallation): Promise<string[]> {
  const names = await readdir(installation.engineDataDir).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith('engine.') && !n.includes('.before-restore-') && !n.includes('.restoring-')).sort().map((n) => join(installation.engineDataDir, n));
}

/** Refuses (UserError `backup.inUse`) while a GridFlow server, the built-in engine or any process uses the installation's files. */
export async function assertNotInUse(installation: EmbeddedInstallation): Promise<void> {
  const holder = readDataDirLock(installation.dataDir);
  if (holder) throw dataDirInUse(installation.dataDir, holder);
  const details: ErrorDetail[] = [];
  const engine = await findRunningEngine(installation.engineDataDir);
  if (engine) details.push({ target: installation.engineDataDir, message: { 'zh-CN': `内置流程引擎正在运行（${engine.url}）`, en: `the built-in process engine is running (${engine.url})` } });
  for (const h of await lockHolders([...sqliteFiles(installation), ...(await engineFiles(installation))])) {
    details.push({ target: h.path, message: { 'zh-CN': `进程 ${h.pid} 正在使用该文件`, en: `process ${h.pid} has it open` } });
  }
  if (details.length === 0) return;
  throw new UserError('backup.inUse', {
    'zh-CN': '数据正在被使用，未做任何更改。请先停止 GridFlow（gridflow serve / demo）及其流程引擎：',
    en: 'The data is in use; nothing was changed. Stop GridFlow (gridflow serve / demo) and its process engine first:',
  }, { status: 409, details });
}
