/**
 * The OpenAPI document (/api/docs/openapi.json) and the reference page (/api/docs): the document is
 * valid OpenAPI 3.1, holds every declared route once with its schemas as validated, and the declared
 * responses are what the API really answers.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { openApiPath } from '../../src/http/openapi.ts';
import type { OpenApiDocument, OpenApiOperation } from '../../src/http/openapi.ts';
import type { RegisteredRoute } from '../../src/http/route.ts';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer, Credentials } from '../support/api-server.ts';

const GRID = '370102002001001';
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const plain = (schema: TSchema) => JSON.parse(JSON.stringify(schema)) as unknown;

/** A case reported by wgy001 in their grid with an open task assigned to them. */
async function givenCase(db: Knex): Promise<{ caseId: string; taskId: string }> {
  const caseId = randomUUID();
  const taskId = `t-${randomUUID()}`;
  const now = new Date('2026-11-23T08:00:00Z');
  const user = await db('users').where({ username: 'wgy001' }).first('id');
  const values = { eventType: '01001', description: '楼道堆放杂物', reporterName: '张伟', reporterPhone: '13853100101' };
  await db('cases').insert({
    id: caseId, process_definition_key: 'closed-loop', process_instance_id: `pi-${caseId}`, status: 'running', title: '楼道堆放杂物',
    grid_code: GRID, community_code: GRID.slice(0, 12), street_code: GRID.slice(0, 9), district_code: GRID.slice(0, 6),
    reporter_name: '张伟', reporter_phone: '13853100101', address: '示范区解放路 1 号院', location_lon: 117.05, location_lat: 36.67,
    form_key: 'event-report', form_version: 1, form_values: JSON.stringify(values), created_at: now, updated_at: now,
  });
  await db('case_parties').insert({ case_id: caseId, relation: 'reporter', user_id: user.id, created_at: now });
  await db('tasks').insert({
    id: taskId, case_id: caseId, process_instance_id: `pi-${caseId}`, task_definition_key: 'handle', name: '处置', assignee: 'wgy001', status: 'open',
    form_key: 'event-report', form_version: 1, due_at: new Date('2026-11-24T08:00:00Z'), created_at: now, last_event_id: 1,
  });
  return { caseId, taskId };
}

/** An engine that accepts every request (enough for completing a task without a form). */
async function acceptingEngine(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(204).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const operations = (doc: OpenApiDocument): [string, string, OpenApiOperation][] =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]): [string, string, OpenApiOperation] => [path, method, op]));

describe('OpenAPI document and API reference', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let server: ApiServer;
  let engine: { url: string; server: Server };
  let doc: OpenApiDocument;
  let routes: RegisteredRoute[];
  const as: Record<string, Credentials> = {};
  const opOf = (method: string, path: string) => doc.paths[openApiPath(path)]?.[method] as OpenApiOperation;

  before(async () => {
    database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    engine = await acceptingEngine();
    server = await startApiServer(database.db, { engine: { status: 'up', connection: { url: engine.url, secret: 'test' } } });
    routes = server.app.locals.routes;
    for (const u of ['wgy001', 'sqgzry01']) as[u] = await signIn(server.url, u);
    const res = await call(server.url, 'GET', '/api/docs/openapi.json');
    assert.equal(res.status, 200, 'the document is public');
    doc = res.body;
  });
  after(async () => {
    await server.close();
    await new Promise((resolve) => engine.server.close(resolve));
    await database.drop();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
    assert.equal(doc.info.title, 'GridFlow API');
    assert.equal(doc.info.version, '0.1.0');
    assert.match(doc.info.description, /中文概要/);
  });

  it('documents every registered route exactly once, with a unique operation id', () => {
    const documented = operations(doc).map(([path, method]) => `${method} ${path}`).sort();
    assert.deepEqual(documented, routes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    assert.equal(new Set(documented).size, documented.length);
    const ids = operations(doc).map(([, , op]) => op.operationId);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(opOf('get', '/api/cases/:id').operationId, 'getCasesById');
    assert.deepEqual(opOf('get', '/api/cases/:id').tags, ['cases']);
    assert.ok(opOf('get', '/api/docs'), 'the docs routes document themselves');
  });

  it('carries each route\'s params, query and body schemas over as they are validated', () => {
    for (const route of routes) {
      const op = opOf(route.method, route.path);
      const where = `${route.method} ${route.path}`;
      const parameters = op.parameters ?? [];
      for (const [name, schema] of Object.entries(route.params?.properties ?? {})) {
        assert.deepEqual(parameters.find((p) => p.in === 'path' && p.name === name), { name, in: 'path', required: true, schema: plain(schema), ...(schema.description ? { description: schema.description } : {}) }, where);
      }
      for (const [name, schema] of Object.entries(route.query?.properties ?? {})) {
        const p = parameters.find((x) => x.in === 'query' && x.name === name);
        assert.deepEqual(p?.schema, plain(schema), where);
        assert.equal(p?.required, (route.query?.required ?? []).includes(name), where);
      }
      if (route.body) assert.deepEqual(op.requestBody?.content['application/json']?.schema, plain(route.body), where);
      else if (!route.rawBody) assert.equal(op.requestBody, undefined, where);
    }
  });

  it('documents unknown body fields as refused', async () => {
    const login = opOf('post', '/api/auth/login').requestBody;
    assert.equal(login?.required, true);
    assert.equal(login?.content['application/json']?.schema.additionalProperties, false);
    for (const [path, method, op] of operations(doc)) {
      const schema = op.requestBody?.content['application/json']?.schema;
      if (schema?.type === 'object') assert.equal(schema.additionalProperties, false, `${method} ${path}`);
    }
    const refused = await call(server.url, 'POST', '/api/auth/login', { body: { username: 'wgy001', password: 'x', extra: 1 } });
    assert.equal(refused.status, 400, 'and the API refuses them');
  });

  it('marks raw uploads as application/octet-stream', () => {
    for (const path of ['/api/attachments', '/api/registers/:register/import']) {
      assert.deepEqual(Object.keys(opOf('post', path).requestBody?.content ?? {}), ['application/octet-stream'], path);
    }
  });

  it('states access and security of each operation', () => {
    assert.deepEqual(opOf('get', '/api/health').security, []);
    assert.equal(opOf('get', '/api/health')['x-gridflow-access'], 'public');
    assert.deepEqual(opOf('get', '/api/cases')['x-gridflow-access'], [{ action: 'read', subject: 'Case' }]);
    assert.deepEqual(opOf('post', '/api/tasks/:id/complete').security, [{ sessionCookie: [], csrfToken: [] }, { bearerToken: [] }]);
    assert.deepEqual(opOf('get', '/api/auth/me').security, [{ sessionCookie: [] }, { bearerToken: [] }]);
    assert.deepEqual(opOf('get', '/api/cases').responses['404'], { $ref: '#/components/responses/NotFound' });
  });

  it('serves a self-contained reference page listing every operation', async () => {
    const page = await call(server.url, 'GET', '/api/docs');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.ok(page.text.includes('id="getCasesById"') && page.text.includes('/api/cases/{id}'), 'a known operation is listed');
    assert.ok(page.text.includes('Permission <code>read</code> on <code>Case</code>'), 'with its access');
    for (const [, , op] of operations(doc)) assert.ok(page.text.includes(`id="${op.operationId}"`), op.operationId);
    assert.doesNotMatch(page.text, /<script|https?:\/\/(?!127\.0\.0\.1)/, 'no scripts, nothing from elsewhere');
  });

  it('answers what it documents', async () => {
    const { caseId, taskId } = await givenCase(database.db);
    const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
    const ok = (method: string, path: string) => (opOf(method, path).responses['200'] as { content: Record<string, { schema: object }> }).content['application/json']?.schema as object;
    const checks: [string, string, string, Credentials | undefined][] = [
      ['get', '/api/health', '/api/health', undefined],
      ['get', '/api/cases', '/api/cases', as.wgy001],
      ['get', '/api/cases', '/api/cases', as.sqgzry01],
      ['get', '/api/cases/:id', `/api/cases/${caseId}`, as.sqgzry01],
      ['get', '/api/tasks', '/api/tasks', as.wgy001],
      ['get', '/api/tasks/:id', `/api/tasks/${taskId}`, as.wgy001],
      ['get', '/api/tasks/:id/form', `/api/tasks/${taskId}/form`, as.wgy001],
    ];
    for (const [method, route, path, who] of checks) {
      const res = await call(server.url, method.toUpperCase(), path, who ? { as: who } : {});
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      const validate = ajv.compile(ok(method, route));
      assert.ok(validate(res.body), `${method} ${path} answers its documented schema: ${ajv.errorsText(validate.errors)}`);
    }
    assert.ok((await call(server.url, 'GET', '/api/cases', { as: as.wgy001 })).body.items.some((c: { id: string }) => c.id === caseId), 'the list is not empty');

    await database.db('tasks').where({ id: taskId }).update({ form_key: null, form_version: null });
    const completed = await call(server.url, 'POST', `/api/tasks/${taskId}/complete`, { as: as.wgy001, body: {} });
    assert.equal(completed.status, 200, completed.text);
    assert.ok(ajv.validate(ok('post', '/api/tasks/:id/complete'), completed.body), ajv.errorsText());

    const missing = await call(server.url, 'GET', `/api/cases/${randomUUID()}`, { as: as.wgy001 });
    assert.equal(missing.status, 404);
    assert.ok(ajv.validate(doc.components.schemas.Error as object, missing.body), `errors answer the Error schema: ${ajv.errorsText()}`);
    const invalid = await call(server.url, 'GET', '/api/cases?limit=0&nope=1', { as: as.wgy001 });
    assert.equal(invalid.status, 400);
    assert.ok(ajv.validate(doc.components.schemas.Error as object, invalid.body), `with details: ${ajv.errorsText()}`);
  });
});
