import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { EngineProcess, ensureEngineJar } from '../../src/index.ts';

const secret = 'engine-process-test';
const auth = { authorization: `Basic ${Buffer.from(`gridflow:${secret}`).toString('base64')}` };
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const waitUntil = async (what: string, check: () => boolean, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('the built-in engine process', () => {
  let engine: EngineProcess;
  before(async () => {
    engine = new EngineProcess({ jar: ensureEngineJar('operaton'), flavour: 'operaton', dataDir: mkdtempSync(join(tmpdir(), 'gf-engine-')), secret });
    await engine.start();
  });
  after(async () => engine.stop());

  it('serves the REST API on loopback, only with the secret', async () => {
    assert.match(engine.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await fetch(`${engine.url}/engine-rest/engine`)).status, 401);
    assert.deepEqual(await (await fetch(`${engine.url}/engine-rest/engine`, { headers: auth })).json(), [{ name: 'default' }]);
  });

  it('restarts the engine when it dies', async () => {
    const before = engine.pid as number;
    const restarted = once(engine, 'started');
    engine.kill();
    await restarted;
    assert.notEqual(engine.pid, before);
    assert.equal((await fetch(`${engine.url}/engine-rest/engine`, { headers: auth })).status, 200);
  });

  it('the engine does not outlive a parent killed with SIGKILL', async () => {
    const script = fileURLToPath(new URL('./start-and-report.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    await waitUntil('the child engine to start', () => /engine pid (\d+)/.test(out), 120_000);
    const pid = Number(/engine pid (\d+)/.exec(out)?.[1]);
    assert.ok(alive(pid));
    child.kill('SIGKILL');
    await waitUntil('the orphaned engine to exit', () => !alive(pid));
  });
});
