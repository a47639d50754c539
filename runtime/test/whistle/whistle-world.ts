/**
 * Test support for whistles on the real engine: the demo district published (so its generated
 * `whistle` process is deployed by the engine host), a fixture case process, signed-in users, and
 * helpers that wait for the engine's steps to reach GridFlow.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createEngineClient } from '@gridflow/engine';
import { eventually } from '@gridflow/engine/testing';
import { loadConfig } from '../../src/config.ts';
import { startClaimUntil } from '../../src/cases/cases.service.ts';
import { EngineHost } from '../../src/engine-host/engine-host.ts';
import { loadPlugins } from '../../src/plugins/load-plugins.ts';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiResponse, ApiServer, Credentials } from '../support/api-server.ts';

/** A case place in street 370102002 (street leader jdld01, dispatcher jddd01). */
export const PLACE = { grid: '370102002001001', community: '370102002001', street: '370102002', district: '370102' };
/** The users of the scenarios: street leader and dispatcher, department handlers of D01, D02 and D21, the district dispatcher, community staff. */
export const USERS = ['jdld01', 'jddd01', 'jddd02', 'bmcz01', 'bmcz02', 'bmcz03', 'qddd01', 'sqgzry01'];

/** The running world of a test file. */
export interface WhistleWorld {
  database: TestDatabase & { drop(): Promise<void> };
  host: EngineHost;
  server: ApiServer;
  /** Shifts the time GridFlow goes by (the API's and the topic handlers'); the engine keeps real time. */
  setOffset(ms: number): void;
  get(user: string, path: string): Promise<ApiResponse>;
  post(user: string, path: string, body?: unknown): Promise<ApiResponse>;
  stop(): Promise<void>;
}

/** Starts the engine host and the API over a fresh SQLite database with the demo district. */
export async function startWhistleWorld(): Promise<WhistleWorld> {
  const database = await createTestDatabase('sqlite');
  await prepareDemoDatabase(database.db);
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gf-whistle-')) });
  const host = await EngineHost.start(database.db, config.engine, await loadPlugins(config.plugins), pino({ level: 'silent' }), { clock });
  const client = createEngineClient({ baseUrl: host.connection.url, secret: host.connection.secret });
  await client.deployments.deploy({ name: 'whistle-fixtures', resources: [{ name: 'whistle-case.bpmn', content: readFileSync(new URL('./fixtures/whistle-case.bpmn', import.meta.url), 'utf8') }], deployChangedOnly: true });
  const server = await startApiServer(database.db, { engine: host, clock });
  const as: Record<string, Credentials> = {};
  for (const u of USERS) as[u] = await signIn(server.url, u);
  return {
    database, host, server,
    setOffset: (ms) => { offset = ms; },
    get: (user, path) => call(server.url, 'GET', path, { as: as[user] }),
    post: (user, path, body = {}) => call(server.url, 'POST', path, { as: as[user], body }),
    stop: async () => {
      await server.close();
      await host.stop();
      await database.drop();
    },
  };
}

/** A running case of the fixture process in PLACE (subclass 01001: D01 leads, D14 assists by the responsibility list). */
export async function newCase(w: WhistleWorld, eventType = '01001'): Promise<string> {
  const caseId = randomUUID();
  const now = new Date();
  await w.database.db('cases').insert({
    id: caseId, process_definition_key: 'whistle-case', status: 'starting', org_unit_code: PLACE.grid, start_variables: '{}', created_at: now, updated_at: now,
    start_claimed_until: startClaimUntil(now), title: `吹哨测试 ${caseId.slice(0, 8)}`, event_type: eventType,
    grid_code: PLACE.grid, community_code: PLACE.community, street_code: PLACE.street, district_code: PLACE.district,
  });
  await w.host.cases.startAccepted(caseId, 'whistle-case', { caseId, streetCode: PLACE.street });
  return caseId;
}

/** Waits for the open task of a whistle step (for a department: its candidate group). */
export function openStep(w: WhistleWorld, whistleId: string, step: string, department?: string): Promise<string> {
  return eventually(`open ${step}${department ? ` of ${department}` : ''}`, async () => {
    const pi = (await w.database.db('whistles').where({ id: whistleId }).first('process_instance_id') as { process_instance_id: string | null } | undefined)?.process_instance_id;
    if (!pi) return undefined;
    const q = w.database.db('tasks as t').where({ 't.process_instance_id': pi, 't.task_definition_key': step, 't.status': 'open' });
    if (department) q.whereExists((s) => s.select(s.client.raw('1')).from('task_candidates as c').whereRaw('c.task_id = t.id').where({ 'c.kind': 'group', 'c.value': `dept:${department}` }));
    return ((await q.first('t.id')) as { id: string } | undefined)?.id;
  }, 30_000);
}

/** Waits until the whistle's view satisfies `ok`; returns it. */
export function whistleWhen(w: WhistleWorld, whistleId: string, what: string, ok: (view: Record<string, any>) => boolean, user = 'jdld01', timeoutMs = 30_000): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- views are checked field by field
  return eventually(what, async () => {
    const r = await w.get(user, `/api/whistles/${whistleId}`);
    assert.equal(r.status, 200, r.text);
    return ok(r.body) ? r.body : undefined;
  }, timeoutMs);
}

/** Completes a task through the task API as a user, asserting success. */
export async function complete(w: WhistleWorld, user: string, taskId: string, values: Record<string, unknown> = {}): Promise<void> {
  const r = await w.post(user, `/api/tasks/${taskId}/complete`, { values });
  assert.equal(r.status, 200, `${user} completes ${taskId}: ${r.text}`);
}
