/**
 * The serving runtime's claim on an embedded installation: `<DATA_DIR>/gridflow.lock` names the
 * process that runs `gridflow serve` (or `demo`) on the SQLite database of that DATA_DIR. A second
 * server is refused, and `gridflow restore` refuses while the holder lives. A lock left behind by
 * a killed process is recognised (its process is gone) and replaced.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@gridflow/engine';
import type { Config } from '../config.ts';
import { parseDatabaseUrl } from '../db/connection.ts';

/** What the lock file says about its holder. */
export interface DataDirLockInfo {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** A held lock. */
export interface DataDirLock {
  /** The lock file; undefined when nothing needed locking (not the embedded SQLite database). */
  path: string | undefined;
  /** Removes the lock file if it is still this process's (idempotent; also runs on exit). */
  release(): void;
}

/** Where the lock file of a DATA_DIR is. */
export function dataDirLockPath(dataDir: string): string {
  return join(dataDir, 'gridflow.lock');
}

/**
 * Claims the installation for this process. Only the embedded SQLite database is locked (runtimes
 * on MySQL may share a host and a DATA_DIR). Throws a UserError naming the live holder.
 */
export function acquireDataDirLock(config: Pick<Config, 'dataDir' | 'databaseUrl'>): DataDirLock {
  if (parseDatabaseUrl(config.databaseUrl).client !== 'sqlite') return { path: undefined, release: () => undefined };
  mkdirSync(config.dataDir, { recursive: true });
  const path = dataDirLockPath(config.dataDir);
  const info: DataDirLockInfo = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt += 1) {
    try {
      writeFileSync(path, `${JSON.stringify(info)}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw e;
      const holder = readDataDirLock(config.dataDir);
      if (holder) throw dataDirInUse(config.dataDir, holder);
      removeStale(path);
    }
  }
  const release = () => {
    if (readLockFile(path)?.pid === process.pid) removeStale(path);
    process.removeListener('exit', release);
  };
  process.once('exit', release);
  return { path, release };
}

/** The live process holding DATA_DIR, or undefined (no lock file, or its process is gone). */
export function readDataDirLock(dataDir: string): DataDirLockInfo | undefined {
  const info = readLockFile(dataDirLockPath(dataDir));
  if (!info) return undefined;
  if (info.hostname !== hostname()) return info; // another machine (shared folder): cannot tell, assume alive
  return processAlive(info.pid) ? info : undefined;
}

/** The error for a DATA_DIR in use by another process. */
export function dataDirInUse(dataDir: string, holder: DataDirLockInfo): UserError {
  const file = dataDirLockPath(dataDir);
  return new UserError('dataDir.inUse', {
    'zh-CN': `GridFlow 正在使用 ${dataDir}（进程 ${holder.pid}，主机 ${holder.hostname}，启动于 ${holder.startedAt}）。请先停止它；如确认没有 GridFlow 在运行，可删除 ${file}。`,
    en: `GridFlow is using ${dataDir} (process ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}). Stop it first; if you are sure no GridFlow runs, delete ${file}.`,
  }, { status: 409 });
}

/** True while a process with this id exists (EPERM: it exists but belongs to another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLockFile(path: string): DataDirLockInfo | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const info = JSON.parse(text) as Partial<DataDirLockInfo>;
    if (typeof info.pid === 'number' && typeof info.hostname === 'string') return { pid: info.pid, hostname: info.hostname, startedAt: String(info.startedAt ?? '') };
  } catch {
    // a half-written file of a process killed while creating it: stale
  }
  return { pid: 0, hostname: hostname(), startedAt: '' };
}

function removeStale(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
