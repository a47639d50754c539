/**
 * bench:engine — closed-loop-lite process starts/s and task completions/s through GridFlow (case
 * row + engine start; completion through the projection) vs direct REST calls to the same engine,
 * and the projection lag (engine commit → applied in GridFlow), p50/p99.
 * Env: BENCH_CASES (default 200), BENCH_CONCURRENCY (default 4), ENGINE_FLAVOUR.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { PluginRegistry, toVariables } from '@gridflow/engine';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { EngineHost } from '../src/engine-host/engine-host.ts';
import { engineFetch } from '../src/engine-sync/engine-connection.ts';

const cases = Number(process.env.BENCH_CASES ?? 200);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const dir = mkdtempSync(join(tmpdir(), 'gf-bench-engine-'));
const config = loadConfig({ ...process.env, DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'gridflow.db')}` });
const db = openDatabase(config.databaseUrl);
await migrateLatest(db);
const host = await EngineHost.start(db, config.engine, new PluginRegistry().freeze(), pino({ level: 'warn' }));
const engine = host.connection;

const form = new FormData();
form.set('deployment-name', 'bench');
const xml = readFileSync(new URL('../test/engine-sync/fixtures/closed-loop-lite.bpmn', import.meta.url), 'utf8');
form.set('closed-loop-lite.bpmn', new Blob([xml], { type: 'application/xml' }), 'closed-loop-lite.bpmn');
await fetch(`${engine.url}/engine-rest/deployment/create`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`gridflow:${engine.secret}`).toString('base64')}` }, body: form });

/** Runs `count` jobs with `concurrency` in flight; returns jobs per second. */
async function rate(count: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await job(next++);
  }));
  return count / ((performance.now() - started) / 1000);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Completes every open task until none is left; `list` gives open task ids; counts successful completions. */
async function completeAll(list: () => Promise<string[]>, complete: (id: string) => Promise<boolean>): Promise<{ perSecond: number; count: number }> {
  let count = 0;
  const started = performance.now();
  for (;;) {
    const ids = await list();
    if (ids.length === 0) break;
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        if (await complete(ids[next++] as string)) count += 1;
      }
    }));
  }
  return { perSecond: count / ((performance.now() - started) / 1000), count };
}

// Warm-up (JIT on both sides).
await rate(20, () => host.cases.start({ processKey: 'closed-loop-lite', variables: { warm: true } }));

const gridflowStarts = await rate(cases, (i) => host.cases.start({ processKey: 'closed-loop-lite', orgUnitCode: '370102001001001', variables: { n: i } }));
await host.consumer.drain();
host.consumer.lags.length = 0;
const gridflowCompletions = await completeAll(
  async () => {
    await new Promise((r) => setTimeout(r, 50));
    return db('tasks').where({ status: 'open' }).limit(500).pluck('id') as Promise<string[]>;
  },
  (id) => host.cases.completeTask(id, { opinion: '已处置' }).then(() => true, () => false),
);
await host.consumer.drain();
const lags = [...host.consumer.lags];

const directStarts = await rate(cases, (i) => engineFetch(engine, 'POST', '/engine-rest/process-definition/key/closed-loop-lite/start', { businessKey: `direct-${i}`, variables: toVariables({ n: i }) }));
const directCompletions = await completeAll(
  async () => (await engineFetch<{ id: string }[]>(engine, 'GET', '/engine-rest/task?processDefinitionKey=closed-loop-lite&maxResults=500')).map((t) => t.id),
  (id) => engineFetch(engine, 'POST', `/engine-rest/task/${id}/complete`, { variables: toVariables({ opinion: '已处置' }) }).then(() => true, () => false),
);

const fmt = (n: number) => n.toFixed(1);
console.log(`bench:engine — ${config.engine.flavour}, SQLite, ${cases} cases, concurrency ${concurrency}, ${process.arch} ${(await import('node:os')).cpus().length} cores`);
console.log(`process starts/s       GridFlow ${fmt(gridflowStarts)}   direct REST ${fmt(directStarts)}   GridFlow/direct ${(gridflowStarts / directStarts).toFixed(2)}`);
console.log(`task completions/s     GridFlow ${fmt(gridflowCompletions.perSecond)}   direct REST ${fmt(directCompletions.perSecond)}   GridFlow/direct ${(gridflowCompletions.perSecond / directCompletions.perSecond).toFixed(2)}   (${gridflowCompletions.count} / ${directCompletions.count} tasks)`);
console.log(`projection lag ms      p50 ${fmt(percentile(lags, 50))}   p99 ${fmt(percentile(lags, 99))}   max ${fmt(Math.max(...lags))}   (${lags.length} events)`);
await host.stop();
await db.destroy();
