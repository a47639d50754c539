import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/connection.ts';

const runner = fileURLToPath(new URL('./load-runner.fixture.ts', import.meta.url));

/** Runs the load runner; resolves with its output when it exits or when `until` matches (then kills it with SIGKILL). */
function run(env: Record<string, string>, until?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runner], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (until?.test(out)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('exit', (code, signal) => {
      if (code === 0 || signal === 'SIGKILL') resolve(out);
      else reject(new Error(`load runner exited with ${code}: ${err.slice(-3000)}`));
    });
  });
}

/** Checks the projection against the engine's view printed by the runner in verify mode. */
async function assertInStep(databaseUrl: string, verifyOutput: string): Promise<{ cases: number; openTasks: number }> {
  const line = verifyOutput.split('\n').find((l) => l.startsWith('VERIFY '));
  assert.ok(line, verifyOutput);
  const engine = JSON.parse(line.slice('VERIFY '.length)) as { tasks: { id: string; assignee: string | null }[]; instances: { id: string; businessKey: string | null }[] };
  const db = openDatabase(databaseUrl);
  try {
    const projected = await db('tasks').where({ status: 'open' }).orderBy('id').select('id', 'assignee') as { id: string; assignee: string | null }[];
    assert.deepEqual(projected, [...engine.tasks].sort((a, b) => a.id.localeCompare(b.id)), 'open tasks in the projection = open tasks in the engine');
    const [duplicates] = await db('tasks').select(db.raw('count(*) - count(distinct id) as d'));
    assert.equal(Number((duplicates as { d: number }).d), 0, 'no task twice');
    const cases = await db('cases').select('id', 'process_instance_id', 'status') as { id: string; process_instance_id: string | null; status: string }[];
    const withoutInstance = cases.filter((c) => !c.process_instance_id || c.status === 'starting');
    assert.deepEqual(withoutInstance, [], 'every case has its process instance');
    const caseIds = new Set(cases.map((c) => c.id));
    const orphans = engine.instances.filter((i) => !i.businessKey || !caseIds.has(i.businessKey));
    assert.deepEqual(orphans, [], 'every process instance has its case');
    const byInstance = new Map(cases.map((c) => [c.process_instance_id, c.id]));
    for (const i of engine.instances) assert.equal(byInstance.get(i.id), i.businessKey, 'case and instance point at each other');
    const instanceIds = new Set(engine.instances.map((i) => i.id));
    assert.deepEqual(cases.filter((c) => !instanceIds.has(c.process_instance_id ?? '')), [], 'every linked instance exists in the engine');
    const closedInEngine = await db('tasks').whereNot({ status: 'open' }).count({ n: '*' });
    assert.ok(Number(closedInEngine[0]?.n) > 0, 'completions happened during the load');
    return { cases: cases.length, openTasks: projected.length };
  } finally {
    await db.destroy();
  }
}

describe('crash recovery of the engine side', () => {
  it('kill -9 of the runtime during starts and completions loses and duplicates nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gf-crash-runtime-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'gridflow.db')}`, ENGINE_DATA_DIR: join(dir, 'engine'), MODE: 'load' };
    const loadOut = await run(env, /started [3-9]\d/);
    assert.match(loadOut, /started \d+/);
    const verifyOut = await run({ ...env, MODE: 'verify' });
    const { cases } = await assertInStep(env.DATABASE_URL, verifyOut);
    assert.ok(cases >= 30);
  });

  it('kill -9 of the engine during the load: reported, restarted, caught up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gf-crash-engine-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'gridflow.db')}`, ENGINE_DATA_DIR: join(dir, 'engine'), MODE: 'load', LOAD_CASES: '60', KILL_ENGINE_AFTER: '20' };
    const loadOut = await run(env);
    assert.match(loadOut, /killing the engine/);
    assert.match(loadOut, /engine down/, 'the runtime reports the lost engine');
    assert.match(loadOut, /engine up/, 'and notices it is back');
    assert.match(loadOut, /DONE started 60/);
    const verifyOut = await run({ ...env, MODE: 'verify' });
    await assertInStep(env.DATABASE_URL, verifyOut);
  });
});
