/**
 * Whistle cells of the authorization matrix: a closed whistle on every fixture case (so one can be
 * read by id, and blowing a new one passes its checks and then needs the engine: 503, nothing
 * changes), and the statistics, which must count exactly the fixture cases the oracle lets the
 * actor read. No whistle relation is added: the fixture cases' relations stay the oracle's.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { call } from '../support/api-server.ts';
import type { Credentials } from '../support/api-server.ts';
import { oracleAny, oracleCase } from './matrix-world.ts';
import type { Actor, FixtureCase, World } from './matrix-world.ts';

/** The statistics probe. */
export type WhistleProbe = { kind: 'whistleStats'; path: string };

/** The period of the fixture cases and whistles (all at 2026-11-23T08:00Z). */
export const WHISTLE_STATS_PATH = `/api/whistles/stats?from=${encodeURIComponent('2026-11-23T00:00:00.000Z')}&to=${encodeURIComponent('2026-11-24T00:00:00.000Z')}`;

const whistles = new Map<string, string>();

/** The fixture whistle of a case (`none` before seeding). */
export const whistleOf = (c: FixtureCase): string => whistles.get(c.id) ?? '00000000-0000-0000-0000-000000000000';

/** A resolved whistle summoning D01 on every fixture case. */
export async function seedWhistles(db: Knex, w: World): Promise<void> {
  const now = new Date('2026-11-23T08:00:00Z');
  for (const c of w.cases) {
    const id = randomUUID();
    await db('whistles').insert({
      id, case_id: c.id, kind: 'daily', reason: '矩阵', lead_department: 'D01', status: 'resolved', started_by: w.actors[0]?.userId ?? 1,
      street_code: c.street, district_code: c.district, report_in_due_at: now, handle_due_at: now, resolved: true, created_at: now, closed_at: now,
    });
    await db('whistle_departments').insert({ whistle_id: id, department_code: 'D01', lead: true, reported_at: now, late: false });
    whistles.set(c.id, id);
  }
}

/** Statistics: 403 without any case to read, else exactly the readable fixture cases (each with its whistle). */
export async function whistleProbe(base: string, w: World, a: Actor, as: Credentials, probe: WhistleProbe, cell: string, check: (ok: boolean, what: string) => void): Promise<void> {
  const r = await call(base, 'GET', probe.path, { as });
  if (!oracleAny(a, 'read', 'Case')) {
    check(r.status === 403, `${cell} → ${r.status}, expected 403`);
    return;
  }
  const readable = w.cases.filter((c) => oracleCase(w, a, 'read', 'Case', c)).length;
  check(r.status === 200, `${cell} → ${r.status}, expected 200`);
  if (r.status !== 200) return;
  check(r.body.cases === readable && r.body.whistledCases === readable && r.body.whistles === readable,
    `${cell}: counted ${r.body.cases} cases / ${r.body.whistles} whistles, expected ${readable}`);
}
