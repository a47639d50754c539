/** Test harness for GridFlow and plugin authors: a real engine for a test file, with a few raw REST calls. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineProcess } from '../engine-process/engine-process.ts';
import { ensureEngineJar } from '../engine-process/engine-jar.ts';
import type { EngineFlavour } from '../engine-process/engine-jar.ts';

/** An engine started for tests, with authenticated REST helpers. */
export interface TestEngine {
  process: EngineProcess;
  secret: string;
  restUrl: string;
  rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  deploy(name: string, files: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/** Starts an engine of a flavour on a free port with a fresh H2 database. */
export async function startTestEngine(flavour: EngineFlavour = 'operaton'): Promise<TestEngine> {
  const secret = `test-${Math.random().toString(36).slice(2)}`;
  const process = new EngineProcess({ jar: ensureEngineJar(flavour), flavour, dataDir: mkdtempSync(join(tmpdir(), 'gf-engine-')), secret });
  await process.start();
  const restUrl = `${process.url}/engine-rest`;
  const authorization = `Basic ${Buffer.from(`gridflow:${secret}`).toString('base64')}`;
  const rest = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method, headers: { authorization, 'content-type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(`${restUrl}${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const deploy = async (name: string, files: Record<string, string>) => {
    const form = new FormData();
    form.set('deployment-name', name);
    for (const [file, xml] of Object.entries(files)) form.set(file, new Blob([xml], { type: 'application/xml' }), file);
    const res = await fetch(`${restUrl}/deployment/create`, { method: 'POST', headers: { authorization }, body: form });
    if (!res.ok) throw new Error(`deploy ${name}: ${res.status} ${await res.text()}`);
  };
  return { process, secret, restUrl, rest, deploy, stop: () => process.stop() };
}

/** Polls until `check` returns a value other than undefined (tests only; bounded). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
