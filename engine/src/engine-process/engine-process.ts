/**
 * The built-in engine as a child process: started with a secret, bound to 127.0.0.1, waited for
 * until healthy, restarted with backoff when it dies, stopped on request. The child exits by
 * itself when this process dies (ENGINE_EXIT_WITH_PARENT: its stdin pipe closes).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { OperationalError } from '../errors.ts';
import type { EngineFlavour } from './engine-jar.ts';

/** How to run the engine. */
export interface EngineProcessOptions {
  jar: string;
  flavour: EngineFlavour;
  /** Folder of the H2 database (ignored with `database`). */
  dataDir: string;
  secret: string;
  /** 0 picks a free port. */
  port?: number;
  /** A shared MySQL/MariaDB database instead of H2. */
  database?: { jdbcUrl: string; user?: string; password?: string };
  javaOptions?: string[];
  startTimeoutMs?: number;
  /** Restart when the engine dies unexpectedly (default true). */
  restart?: boolean;
  /** Receives the engine's log lines. */
  log?: (line: string) => void;
}

/** Events: `started` (pid), `exited` (code, signal), `crashed` (code, signal: an exit nobody asked for), `restarting` (attempt), `failed` (error). */
export class EngineProcess extends EventEmitter {
  private child: ChildProcess | undefined;
  private stopping = false;
  private port = 0;
  private restarts = 0;

  constructor(private readonly options: EngineProcessOptions) {
    super();
  }

  /** Base URL of the engine, e.g. http://127.0.0.1:8089 (REST API under /engine-rest). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Process id of the running engine. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the engine and resolves once /gridflow/health answers UP. */
  async start(): Promise<void> {
    this.stopping = false;
    this.port = this.port || this.options.port || (await freePort());
    await this.spawnAndWait();
  }

  /** Stops the engine (SIGTERM, then SIGKILL after a grace period) and does not restart it. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Kills the engine without warning (tests of crash recovery). */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  private async spawnAndWait(): Promise<void> {
    const o = this.options;
    mkdirSync(o.dataDir, { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ENGINE_SECRET: o.secret,
      ENGINE_PORT: String(this.port),
      ENGINE_BIND: '127.0.0.1',
      ENGINE_DATA_DIR: o.dataDir,
      ENGINE_EXIT_WITH_PARENT: 'true',
    };
    if (o.database) {
      env.ENGINE_DB_URL = o.database.jdbcUrl;
      env.ENGINE_DB_USER = o.database.user ?? '';
      env.ENGINE_DB_PASSWORD = o.database.password ?? '';
    }
    const javaOptions = o.javaOptions ?? ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xms128m', '-Xmx768m'];
    const child = spawn('java', [...javaOptions, '-jar', o.jar], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    const log = o.log ?? (() => undefined);
    const output: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        if (output.length > 40) output.shift();
        log(line);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
    try {
      await Promise.race([this.waitHealthy(child, o.startTimeoutMs ?? 120_000), spawnError]);
    } catch (e) {
      child.kill('SIGKILL');
      throw new OperationalError({
        'zh-CN': `流程引擎（${o.flavour}）未能启动：${(e as Error).message}\n${output.slice(-15).join('\n')}`,
        en: `The process engine (${o.flavour}) did not start: ${(e as Error).message}\n${output.slice(-15).join('\n')}`,
      }, { cause: e });
    }
    this.emit('started', child.pid);
  }

  private async waitHealthy(child: ChildProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
      try {
        const res = await fetch(`${this.url}/gridflow/health`, { signal: AbortSignal.timeout(2000) });
        if (res.ok && ((await res.json()) as { status?: string }).status === 'UP') return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`not healthy after ${Math.round(timeoutMs / 1000)} s`);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.emit('exited', code, signal);
    if (this.stopping) return;
    this.emit('crashed', code, signal);
    if (this.options.restart === false) return;
    this.restarts += 1;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.restarts - 1, 6));
    this.emit('restarting', this.restarts);
    setTimeout(() => {
      if (this.stopping) return;
      this.spawnAndWait().then(() => { this.restarts = 0; }, (e: unknown) => this.emit('failed', e));
    }, delay);
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
