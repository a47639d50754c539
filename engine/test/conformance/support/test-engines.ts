/**
 * Real engines for a test file: one per flavour, started in parallel before the file's tests and
 * stopped after them, each on a free port with a throw-away H2 folder and a random secret.
 * GRIDFLOW_TEST_ENGINES=operaton (or camunda) limits a run to one flavour; the default is both.
 */
import { after, before } from 'node:test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineProcess, createEngineClient, ensureEngineJar } from '../../../src/index.ts';
import type { EngineClient, EngineFlavour } from '../../../src/index.ts';

/** The flavours this run covers. */
export const flavours: EngineFlavour[] = selectFlavours(process.env.GRIDFLOW_TEST_ENGINES);

/** A running engine and a client for it. */
export interface TestEngine {
  flavour: EngineFlavour;
  url: string;
  secret: string;
  client: EngineClient;
}

interface Running {
  engineProcess: EngineProcess;
  dataDir: string;
  engine: TestEngine;
}

/** Registers the file-level hooks; returns the lookup of the running engine of a flavour. */
export function useEngines(): (flavour: EngineFlavour) => TestEngine {
  const running = new Map<EngineFlavour, Running>();
  before(async () => {
    const jars = flavours.map((flavour) => ({ flavour, jar: ensureEngineJar(flavour) }));
    const started = await Promise.allSettled(jars.map(async ({ flavour, jar }) => {
      running.set(flavour, await start(flavour, jar));
    }));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }, { timeout: 600_000 });
  after(async () => {
    await Promise.all([...running.values()].map(async ({ engineProcess, dataDir }) => {
      await engineProcess.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }));
  });
  return (flavour) => {
    const found = running.get(flavour);
    if (!found) throw new Error(`the ${flavour} engine is not running`);
    return found.engine;
  };
}

async function start(flavour: EngineFlavour, jar: string): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), `gf-conformance-${flavour}-`));
  const secret = randomBytes(12).toString('hex');
  const engineProcess = new EngineProcess({ jar, flavour, dataDir, secret, restart: false });
  try {
    await engineProcess.start();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = engineProcess.url;
  return { engineProcess, dataDir, engine: { flavour, url, secret, client: createEngineClient({ baseUrl: url, secret }) } };
}

function selectFlavours(value: string | undefined): EngineFlavour[] {
  const all: EngineFlavour[] = ['operaton', 'camunda'];
  if (!value?.trim()) return all;
  const chosen = value.split(',').map((s) => s.trim());
  const unknown = chosen.filter((f) => !all.includes(f as EngineFlavour));
  if (unknown.length > 0) throw new Error(`GRIDFLOW_TEST_ENGINES: unknown flavour(s) ${unknown.join(', ')}`);
  return chosen as EngineFlavour[];
}
