/**
 * A GridFlow runtime under load, for the crash tests: starts the engine host on DATABASE_URL and
 * ENGINE_DATA_DIR, deploys closed-loop-lite, then (mode `load`) starts cases and completes tasks
 * until killed or LOAD_CASES are done, or (mode `verify`) reconciles, drains the outbox and prints
 * the engine's view as JSON for the test to compare with the projection.
 * Env: MODE, LOAD_CASES, KILL_ENGINE_AFTER (kill -9 the engine after that many starts).
 * A start that fails while the engine is down still counts: its case is committed and the
 * reconciler starts the instance, which the verify step checks.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { PluginRegistry } from '@gridflow/engine';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { EngineHost } from '../../src/engine-host/engine-host.ts';
import { engineFetch, EngineHttpError } from '../../src/engine-sync/engine-connection.ts';

const config = loadConfig();
const db = openDatabase(config.databaseUrl);
await migrateLatest(db);
const logger = pino({ level: 'warn' }, pino.destination(2));
const host = await EngineHost.start(db, config.engine, new PluginRegistry().freeze(), logger);
const say = (line: string) => process.stdout.write(`${line}\n`);
host.consumer.on('engineDown', () => say('engine down'));
host.consumer.on('engineUp', () => say('engine up'));

const form = new FormData();
form.set('deployment-name', 'closed-loop-lite');
form.set('deploy-changed-only', 'true');
const xml = readFileSync(new URL('./fixtures/closed-loop-lite.bpmn', import.meta.url), 'utf8');
form.set('closed-loop-lite.bpmn', new Blob([xml], { type: 'application/xml' }), 'closed-loop-lite.bpmn');
const auth = `Basic ${Buffer.from(`gridflow:${host.connection.secret}`).toString('base64')}`;
const deployed = await fetch(`${host.connection.url}/engine-rest/deployment/create`, { method: 'POST', headers: { authorization: auth }, body: form });
if (!deployed.ok) throw new Error(`deploy failed: ${deployed.status} ${await deployed.text()}`);

const retry = async <T>(fn: () => Promise<T>): Promise<T> => {
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof EngineHttpError) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
};

if (process.env.MODE === 'verify') {
  // Recovery: cases a killed runtime was starting are claimed for up to a minute; wait them out.
  const deadline = Date.now() + 90_000;
  for (;;) {
    await host.reconcile(0);
    const [{ n } = { n: 0 }] = await db('cases').where({ status: 'starting' }).count({ n: '*' });
    if (Number(n) === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  await host.consumer.drain();
  const tasks = await engineFetch<{ id: string; assignee: string | null }[]>(host.connection, 'GET', '/engine-rest/task?maxResults=100000');
  const instances = await engineFetch<{ id: string; businessKey: string | null }[]>(host.connection, 'GET', '/engine-rest/history/process-instance?processDefinitionKey=closed-loop-lite&maxResults=100000');
  say(`VERIFY ${JSON.stringify({ tasks: tasks.map((t) => ({ id: t.id, assignee: t.assignee })), instances: instances.map((i) => ({ id: i.id, businessKey: i.businessKey })) })}`);
  await host.stop();
  await db.destroy();
  process.exit(0);
}

const total = Number(process.env.LOAD_CASES ?? 1_000_000);
const killAfter = Number(process.env.KILL_ENGINE_AFTER ?? 0);
let started = 0;
let completed = 0;
const completer = (async () => {
  while (started < total || completed === 0) {
    const open = await db('tasks').where({ status: 'open' }).orderBy('created_at').limit(5).select('id') as { id: string }[];
    for (const t of open) {
      try {
        await retry(() => host.cases.completeTask(t.id, { opinion: '已处置' }));
        completed += 1;
      } catch {
        // already completed (the projection had not caught up yet)
      }
    }
    if (open.length === 0) await new Promise((r) => setTimeout(r, 20));
    if (started >= total) break;
  }
})();
let pending = 0;
while (started < total) {
  try {
    await host.cases.start({ processKey: 'closed-loop-lite', orgUnitCode: '370102001001001', variables: { n: started } });
  } catch {
    // Accepted (the case row is committed) but not started: the reconciler starts it later.
    pending += 1;
    await new Promise((r) => setTimeout(r, 200));
  }
  started += 1;
  if (started % 10 === 0) say(`started ${started} completed ${completed}`);
  if (killAfter > 0 && started === killAfter) {
    say('killing the engine');
    host.process?.kill();
  }
}
await completer;
// The engine may still be restarting: wait (bounded) until the host has seen it come back.
const upBy = Date.now() + 120_000;
while (host.status !== 'up' && Date.now() < upBy) await new Promise((r) => setTimeout(r, 100));
await host.reconcile(0);
await host.consumer.drain();
say(`DONE started ${started} completed ${completed} pending ${pending}`);
await host.stop();
await db.destroy();
