/**
 * The world of the intake tests: the demo district's API server per database (without an engine
 * unless one is given), signed-in reporters, and reports made on the 事件上报 form at places taken
 * from the demo boundaries (definitions/demo-district/org/boundaries.geojson).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { call, prepareDemoDatabase, signIn, signInBearer, startApiServer } from '../support/api-server.ts';
import type { ApiResponse, ApiServer, Credentials } from '../support/api-server.ts';
import type { AppOptions } from '../../src/server/app.ts';

/** 舜耕社区第一网格 (wgy001's grid), in 千佛山街道 (370102002): lon 117.07–117.078333, lat 36.65625–36.665. */
export const GRID_A = '370102002001001';
/** 舜耕社区第二网格, beside GRID_A in the same community: lon 117.078333–117.086667. */
export const GRID_B = '370102002001002';
/** A grid of another community of the same street (wgy003's). */
export const OTHER_COMMUNITY_GRID = '370102002002001';
/** The place codes of GRID_A. */
export const PLACE_A = { gridCode: GRID_A, communityCode: '370102002001', streetCode: '370102002', districtCode: '370102' };

/** A GeoJSON point. */
export const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
/** A point inside GRID_A, shifted by metres east and north. */
export const inGridA = (east = 0, north = 0) => point(117.0742 + east / 89_300, 36.6606 + north / 111_320);
/** A point inside GRID_B. */
export const inGridB = () => point(117.0825, 36.6606);
/** A point outside every boundary of the demo district. */
export const nowhere = () => point(116.5, 36.0);

/** A staff report (grid worker, hotline, dispatcher): contact given, not self-handled. */
export function staffReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return clean({
    eventType: '01002', description: '小区门口垃圾桶旁散落生活垃圾约两平方米', location: inGridA(), address: '历下区舜耕路 28 号小区门口',
    urgent: false, anonymous: false, reporterName: '刘芳', reporterPhone: '13800000002', selfHandled: false, ...overrides,
  });
}

/** A citizen's anonymous report (no contact, no grid: the location places it). */
export function citizenReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return clean({ eventType: '01004', description: '人行道上有大片油渍，行人容易滑倒', location: inGridA(), address: '舜耕路与经十路路口东南角', anonymous: true, ...overrides });
}

function clean(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** A running server over a prepared database, with sign-ins. */
export interface IntakeWorld {
  server: ApiServer;
  as(username: string): Promise<Credentials>;
  bearer(username: string): Promise<Credentials>;
  /** Reports with a fresh (or the given) idempotency key. */
  report(who: Credentials, values: Record<string, unknown>, options?: { key?: string; channel?: string }): Promise<ApiResponse>;
}

const worlds = new Map<Knex, Promise<IntakeWorld>>();

/** The world of a database (one server per database, closed by closeWorlds). */
export function intakeWorld(db: Knex, engine?: AppOptions['engine']): Promise<IntakeWorld> {
  let world = worlds.get(db);
  if (!world) {
    world = build(db, engine);
    worlds.set(db, world);
  }
  return world;
}

async function build(db: Knex, engine: AppOptions['engine']): Promise<IntakeWorld> {
  await prepareDemoDatabase(db);
  const server = await startApiServer(db, engine ? { engine } : {});
  const sessions = new Map<string, Promise<Credentials>>();
  const once = (key: string, make: () => Promise<Credentials>) => {
    if (!sessions.has(key)) sessions.set(key, make());
    return sessions.get(key) as Promise<Credentials>;
  };
  return {
    server,
    as: (username) => once(username, () => signIn(server.url, username)),
    bearer: (username) => once(`bearer:${username}`, () => signInBearer(server.url, username)),
    report: (who, values, options = {}) => call(server.url, 'POST', '/api/cases', {
      as: who, body: { values, ...(options.channel ? { channel: options.channel } : {}) }, headers: { 'idempotency-key': options.key ?? randomUUID() },
    }),
  };
}

/** Closes every world's server. */
export async function closeWorlds(): Promise<void> {
  for (const world of worlds.values()) await (await world).server.close();
  worlds.clear();
}

/** The targets of an error response's details. */
export const targets = (r: ApiResponse): string[] => ((r.body?.error?.details ?? []) as { target: string }[]).map((d) => d.target);
