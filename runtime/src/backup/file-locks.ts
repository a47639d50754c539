/**
 * Which processes hold OS file locks on a file (Linux: /proc/locks). The engine's H2 database and
 * an open SQLite database are locked with fcntl by every process using them, so a lock found here
 * means "in use", even by a process GridFlow did not start. Elsewhere nothing is reported.
 */
import { readFile, stat } from 'node:fs/promises';

/** A process holding a lock on one of the probed files. */
export interface FileLockHolder {
  path: string;
  /** Process id (-1 for open-file-description locks, which have no owner process). */
  pid: number;
}

/** True when this system lets GridFlow see other processes' file locks. */
export async function lockProbeAvailable(): Promise<boolean> {
  return (await readProcLocks()) !== undefined;
}

/** The processes holding locks on any of `paths` (files that do not exist are skipped). */
export async function lockHolders(paths: string[]): Promise<FileLockHolder[]> {
  const table = await readProcLocks();
  if (!table) return [];
  const holders: FileLockHolder[] = [];
  for (const path of paths) {
    const inode = await inodeOf(path);
    if (inode === undefined) continue;
    for (const lock of table) if (lock.inode === inode) holders.push({ path, pid: lock.pid });
  }
  return holders;
}

interface ProcLock {
  pid: number;
  inode: number;
}

/**
 * Lines look like `1: POSIX  ADVISORY  WRITE 7367 fe:00:10059792 0 EOF` (blocked waiters carry a
 * `->` marker). Matched by inode only: on overlay file systems (containers) the device /proc/locks
 * names is not the one stat() reports.
 */
async function readProcLocks(): Promise<ProcLock[] | undefined> {
  let text: string;
  try {
    text = await readFile('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
  const locks: ProcLock[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(?:->\s+)?\S+\s+\S+\s+\S+\s+(-?\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/i.exec(line);
    if (m) locks.push({ pid: Number(m[1]), inode: Number(m[2]) });
  }
  return locks;
}

async function inodeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).ino;
  } catch {
    return undefined;
  }
}
