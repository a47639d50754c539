/**
 * bench:access — latency of scoped API reads over the demo district with many cases: the case list
 * and the task inbox as roles of every scope kind (grid, community, street, district, department,
 * self), through HTTP with sign-in, CASL rules turned into SQL, and masking. Prints p50/p99 per role
 * and the ratio to an unscoped query of the same page (what scoping costs).
 * Env: BENCH_CASES (default 20000), BENCH_REQUESTS (default 200 per role).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../test/support/api-server.ts';

const total = Number(process.env.BENCH_CASES ?? 20_000);
const requests = Number(process.env.BENCH_REQUESTS ?? 200);
const db = openDatabase(`sqlite:${join(mkdtempSync(join(tmpdir(), 'gf-bench-access-')), 'gridflow.db')}`);
await prepareDemoDatabase(db);

const grids = (await db('org_units').where({ level: 'grid', kind: 'base' }).select('code', 'parent_code')) as { code: string; parent_code: string }[];
const users = (await db('users').select('id', 'username', 'department_code')) as { id: number; username: string; department_code: string | null }[];
const departments = [...new Set(users.map((u) => u.department_code).filter(Boolean))] as string[];
const now = new Date('2026-11-23T08:00:00Z');
const started = Date.now();
for (let i = 0; i < total; i += 500) {
  await db.transaction(async (trx) => {
    for (let j = i; j < Math.min(total, i + 500); j++) {
      const grid = grids[j % grids.length] as { code: string; parent_code: string };
      const id = randomUUID();
      const reporter = users[j % users.length] as { id: number; username: string };
      await trx('cases').insert({
        id, process_definition_key: 'bench', process_instance_id: `pi-${id}`, status: 'running', title: `事件 ${j}`, grid_code: grid.code,
        community_code: grid.parent_code, street_code: grid.code.slice(0, 9), district_code: grid.code.slice(0, 6),
        reporter_name: '王小明', reporter_phone: '13900001111', created_at: new Date(now.getTime() + j * 1000), updated_at: now,
      });
      await trx('case_parties').insert([
        { case_id: id, relation: 'reporter', user_id: reporter.id, created_at: now },
        { case_id: id, relation: 'handler', department_code: departments[j % departments.length], created_at: now },
      ]);
      await trx('tasks').insert({ id: `t-${id}`, case_id: id, process_instance_id: `pi-${id}`, task_definition_key: 'handle', assignee: users[(j * 7) % users.length]?.username, status: 'open', created_at: now, last_event_id: 1 });
    }
  });
}
console.log(`seeded ${total} cases with parties and tasks in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const server = await startApiServer(db);
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
async function time(fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}
const baseline = await time(() => db('cases').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }]).limit(50).select('*'));
console.log(`unscoped SQL page of 50 (no HTTP): p50 ${pct(baseline, 50).toFixed(2)} ms, p99 ${pct(baseline, 99).toFixed(2)} ms`);
console.log('role (user)                       endpoint     total   p50 ms   p99 ms');
for (const [role, username] of [['grid-worker', 'wgy001'], ['community-staff', 'sqgzry01'], ['street-dispatcher', 'jddd01'], ['district-dispatcher', 'qddd01'], ['department-handler', 'bmcz01'], ['citizen', 'sm01']] as const) {
  const as = await signIn(server.url, username);
  for (const path of ['/api/cases', '/api/tasks']) {
    const first = await call(server.url, 'GET', path, { as });
    const xs = await time(() => call(server.url, 'GET', path, { as }));
    console.log(`${`${role} (${username})`.padEnd(33)} ${path.padEnd(11)} ${(first.status === 200 ? String(first.body.total) : `(${first.status})`).padStart(6)} ${pct(xs, 50).toFixed(2).padStart(8)} ${pct(xs, 99).toFixed(2).padStart(8)}`);
  }
}
await server.close();
await db.destroy();
