// Starts an engine, prints its pid, then waits to be killed (used by engine-process.test.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineProcess, ensureEngineJar } from '../../src/index.ts';

const engine = new EngineProcess({ jar: ensureEngineJar('operaton'), flavour: 'operaton', dataDir: mkdtempSync(join(tmpdir(), 'gf-engine-')), secret: 'x', restart: false });
await engine.start();
console.log(`engine pid ${engine.pid}`);
setInterval(() => undefined, 1000);
