/**
 * Discovery of the built-in engine by other GridFlow processes (`gridflow backup`): the runtime
 * that started the engine records its URL and per-start secret in
 * `<ENGINE_DATA_DIR>/running-engine.json` (mode 0600: the secret opens the engine's REST API, and
 * whoever can read that folder can read the engine's database anyway). The file is trusted only
 * when the engine at the URL accepts the secret.
 */
import { renameSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OperationalError } from '@gridflow/engine';
import type { EngineFlavour } from '@gridflow/engine';

/** A built-in engine that answers. */
export interface RunningEngine {
  url: string;
  secret: string;
  flavour: EngineFlavour;
}

interface EndpointFile extends RunningEngine {
  ownerPid: number;
  hostname: string;
  startedAt: string;
}

/** The discovery file of an engine data folder. */
export function engineEndpointPath(engineDataDir: string): string {
  return join(engineDataDir, 'running-engine.json');
}

/** Records the engine this process started (call after EngineProcess.start(); a restart keeps URL and secret). */
export function writeEngineEndpoint(engineDataDir: string, engine: RunningEngine): void {
  const file: EndpointFile = { ...engine, ownerPid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  const path = engineEndpointPath(engineDataDir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** Removes the discovery file if this process wrote it (call when stopping the engine). */
export function removeEngineEndpoint(engineDataDir: string): void {
  const path = engineEndpointPath(engineDataDir);
  if (readEndpointFile(path)?.ownerPid !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** The engine recorded for this data folder, if it is up and accepts the recorded secret. */
export async function findRunningEngine(engineDataDir: string): Promise<RunningEngine | undefined> {
  const file = readEndpointFile(engineEndpointPath(engineDataDir));
  if (!file) return undefined;
  try {
    const health = await fetch(`${file.url}/gridflow/health`, { signal: AbortSignal.timeout(3000) });
    const up = health.ok ? (await health.json()) as { status?: string; flavour?: string } : {};
    if (up.status !== 'UP') return undefined;
    const stats = await fetch(`${file.url}/gridflow/outbox/stats`, { headers: { authorization: basic(file.secret) }, signal: AbortSignal.timeout(3000) });
    await stats.body?.cancel();
    const flavour = up.flavour === 'camunda' || up.flavour === 'operaton' ? up.flavour : file.flavour;
    return stats.ok ? { url: file.url, secret: file.secret, flavour } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks the engine for an online H2 backup into `zipFile` (absolute, must not exist). Plain
 * node:http without a timeout: a large database may take longer than fetch's header timeout.
 */
export function requestEngineBackup(engine: RunningEngine, zipFile: string): Promise<void> {
  const body = JSON.stringify({ file: zipFile });
  const url = new URL('/gridflow/backup', engine.url);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { authorization: basic(engine.secret), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(backupFailed(`${res.statusCode} ${text}`))));
    });
    req.on('error', (e) => reject(backupFailed(e.message, e)));
    req.end(body);
  });
}

function backupFailed(reason: string, cause?: unknown): OperationalError {
  return new OperationalError({
    'zh-CN': `流程引擎未能完成在线备份：${reason}`,
    en: `The process engine could not take the online backup: ${reason}`,
  }, { cause });
}

function basic(secret: string): string {
  return `Basic ${Buffer.from(`gridflow:${secret}`).toString('base64')}`;
}

function readEndpointFile(path: string): EndpointFile | undefined {
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<EndpointFile>;
    if (typeof file.url !== 'string' || typeof file.secret !== 'string') return undefined;
    return { url: file.url, secret: file.secret, flavour: file.flavour === 'camunda' ? 'camunda' : 'operaton', ownerPid: Number(file.ownerPid), hostname: String(file.hostname), startedAt: String(file.startedAt) };
  } catch {
    return undefined;
  }
}
