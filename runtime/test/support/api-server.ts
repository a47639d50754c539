/**
 * Test support: the real HTTP app over a real database with the demo district imported and demo
 * passwords set, plus a small client that signs in (cookie + CSRF, or bearer) and calls the API.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createBlobStore } from '../../src/attachments/attachment.storage.ts';
import { demoDistrictPackageDir } from '@gridflow/definitions';
import { loadConfig } from '../../src/config.ts';
import type { SecurityConfig } from '../../src/config.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { DefinitionsService } from '../../src/definitions/definitions.service.ts';
import { createApp } from '../../src/server/app.ts';
import type { AppOptions, GridflowApp } from '../../src/server/app.ts';
import { hashPassword } from '../../src/users/passwords.service.ts';

/** Password of every demo account in tests. */
export const PASSWORD = 'Gridflow@2026';

/** A running test server. */
export interface ApiServer {
  url: string;
  app: GridflowApp;
  db: Knex;
  close(): Promise<void>;
}

/** Migrates, imports the demo district (once per database) and gives demo users the test password. */
export async function prepareDemoDatabase(db: Knex): Promise<void> {
  await migrateLatest(db);
  const imported = await db('definition_versions').where({ package_key: 'demo-district' }).first('id');
  if (!imported) await new DefinitionsService(db, () => new Date('2026-11-23T08:00:00Z')).import(demoDistrictPackageDir, 'pz01');
  await db('users').update({ password_hash: await hashPassword(PASSWORD), must_change_password: false, password_changed_at: new Date(), failed_attempts: 0, locked_until: null });
}

/** Starts the app on a free port. */
export async function startApiServer(db: Knex, options: { security?: Partial<SecurityConfig>; clock?: () => Date; engine?: AppOptions['engine'] } = {}): Promise<ApiServer> {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gridflow-api-')) });
  const security = { ...config.security, loginRateLimit: 10_000, apiRateLimit: 100_000, ...options.security };
  const attachments = { config: config.attachments, store: createBlobStore(config.attachments) };
  const app = createApp(db, { logger: pino({ level: process.env.GRIDFLOW_TEST_LOG ?? 'silent' }), security, attachments, ...(options.clock ? { clock: options.clock } : {}), ...(options.engine ? { engine: options.engine } : {}) });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, app, db, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A response with its parsed JSON body. */
export interface ApiResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert response fields one by one
  body: any;
  text: string;
  headers: Headers;
}

/** How a client authenticates. */
export interface Credentials {
  cookie?: string;
  csrf?: string;
  bearer?: string;
}

/** Calls the API. */
export async function call(
  base: string, method: string, path: string, options: { as?: Credentials; body?: unknown; raw?: Uint8Array; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { 'accept-language': 'zh-CN', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.raw !== undefined) headers['content-type'] ??= 'application/octet-stream';
  if (options.as?.cookie) headers.cookie = options.as.cookie;
  if (options.as?.csrf) headers['x-csrf-token'] = options.as.csrf;
  if (options.as?.bearer) headers.authorization = `Bearer ${options.as.bearer}`;
  const payload = options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  const res = await fetch(`${base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}), redirect: 'manual' });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** Signs in with a cookie session; returns the cookie and CSRF token. */
export async function signIn(base: string, username: string, password = PASSWORD): Promise<Credentials & { response: ApiResponse }> {
  const response = await call(base, 'POST', '/api/auth/login', { body: { username, password } });
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0] ?? '', csrf: response.body?.me?.csrfToken, response };
}

/** Signs in for a bearer token. */
export async function signInBearer(base: string, username: string, password = PASSWORD): Promise<Credentials> {
  const response = await call(base, 'POST', '/api/auth/login', { body: { username, password, mode: 'bearer' } });
  if (response.status !== 200) throw new Error(`sign-in of ${username} failed: ${response.text}`);
  return { bearer: response.body.token };
}
