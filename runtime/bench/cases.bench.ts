/**
 * bench:cases — closed-loop cases per second through the HTTP API on the real engine: a grid worker
 * reports (POST /api/cases), then each step of the standard case-handling process is done by the
 * user its candidate group names (受理立案, 派遣, 部门处置, 核查, 结案, 回访), each waiting for the
 * task to appear in that user's inbox. Also the inbox (GET /api/tasks) latency p50/p99 while the
 * load runs. On the embedded defaults (SQLite + the built-in engine on H2) and on MariaDB when
 * reachable (GRIDFLOW_TEST_MYSQL_URL).
 * Env: BENCH_CASES (default 40), BENCH_CONCURRENCY (default 4), BENCH_DATABASES (default sqlite,mariadb).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { EngineHost } from '../src/engine-host/engine-host.ts';
import { loadPlugins } from '../src/plugins/load-plugins.ts';
import { createTestDatabase, mysqlProblem } from '../test/support/databases.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../test/support/api-server.ts';
import type { ApiServer, Credentials } from '../test/support/api-server.ts';

const total = Number(process.env.BENCH_CASES ?? 40);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const kinds = (process.env.BENCH_DATABASES ?? 'sqlite,mariadb').split(',').map((k) => k.trim()) as ('sqlite' | 'mariadb')[];
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const report = {
  eventType: '01002', description: '小区门口垃圾桶旁散落生活垃圾约两平方米', location: { type: 'Point', coordinates: [117.0742, 36.6606] },
  address: '历下区舜耕路 28 号小区门口', urgent: false, anonymous: false, reporterName: '刘芳', reporterPhone: '13800000002', selfHandled: false,
};
const steps: [string, string, Record<string, unknown>][] = [
  ['jddd01', 'accept', { acceptDecision: '立案', acceptOpinion: '符合立案条件' }],
  ['jddd01', 'dispatch', { handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: [] }],
  ['bmcz01', 'handleDepartment', { handleResult: '已处置', handleDescription: '已清理' }],
  ['wgy001', 'verify', { verifyPassed: true }],
  ['jddd01', 'close', { closeOpinion: '同意结案' }],
  ['wgy001', 'returnVisit', { satisfaction: '满意' }],
];

/** Drives one case through the loop; returns inbox latencies measured on the way. */
async function runCase(server: ApiServer, as: Record<string, Credentials>, inbox: number[]): Promise<void> {
  const reported = await call(server.url, 'POST', '/api/cases', { as: as.wgy001, body: { values: report }, headers: { 'idempotency-key': randomUUID() } });
  if (reported.status !== 201) throw new Error(`report failed: ${reported.text}`);
  const caseId = reported.body.caseId as string;
  for (const [user, key, values] of steps) {
    let task: { id: string } | undefined;
    for (let tries = 0; !task; tries++) {
      if (tries > 600) throw new Error(`step ${key} of ${caseId} never reached ${user}`);
      const t = process.hrtime.bigint();
      const list = await call(server.url, 'GET', '/api/tasks?limit=200', { as: as[user] });
      inbox.push(Number(process.hrtime.bigint() - t) / 1e6);
      task = (list.body.items as { id: string; caseId: string; taskKey: string }[]).find((x) => x.caseId === caseId && x.taskKey === key);
      if (!task) await new Promise((r) => setTimeout(r, 20));
    }
    const done = await call(server.url, 'POST', `/api/tasks/${task.id}/complete`, { as: as[user], body: { values } });
    if (done.status !== 200) throw new Error(`${key} failed: ${done.text}`);
  }
}

async function bench(kind: 'sqlite' | 'mariadb'): Promise<void> {
  const database = await createTestDatabase(kind);
  await prepareDemoDatabase(database.db);
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), `gf-bench-cases-${kind}-`)) });
  const host = await EngineHost.start(database.db, config.engine, await loadPlugins(config.plugins), pino({ level: process.env.GRIDFLOW_TEST_LOG ?? 'silent' }));
  const server = await startApiServer(database.db, { engine: host });
  try {
    const as: Record<string, Credentials> = {};
    for (const u of ['wgy001', 'jddd01', 'bmcz01']) as[u] = await signIn(server.url, u);
    await runCase(server, as, []); // warm-up (deployments, JIT)
    const inbox: number[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        await runCase(server, as, inbox);
      }
    }));
    const seconds = (Date.now() - started) / 1000;
    console.log(`${kind.padEnd(8)} ${total} closed-loop cases (7 API writes each) in ${seconds.toFixed(1)} s: ${(total / seconds).toFixed(2)} cases/s, `
      + `${((total * 7) / seconds).toFixed(1)} writes/s; inbox p50 ${pct(inbox, 50).toFixed(1)} ms, p99 ${pct(inbox, 99).toFixed(1)} ms (${inbox.length} reads)`);
  } finally {
    await server.close();
    await host.stop();
    await database.drop();
  }
}

console.log(`bench:cases — ${total} cases, concurrency ${concurrency}, standard case-handling process, built-in engine`);
for (const kind of kinds) {
  if (kind === 'mariadb') {
    const problem = await mysqlProblem();
    if (problem) {
      console.log(`mariadb  skipped: ${problem}`);
      continue;
    }
  }
  await bench(kind);
}
