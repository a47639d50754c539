/** Notification delivery cells of the authorization matrix: operators see and retry deliveries of users they may administer. */
import type { Knex } from 'knex';
import { call } from '../support/api-server.ts';
import type { ApiResponse, Credentials } from '../support/api-server.ts';
import { oracleAny, oracleUser } from './matrix-world.ts';
import type { Actor, FixtureUser, World } from './matrix-world.ts';
import { enqueueDeliveries } from '../../src/notifications/delivery-queue.ts';

/** Probes of delivery routes. */
export type DeliveryProbe =
  | { kind: 'deliveryList'; path: string }
  | { kind: 'deliveryObject'; call: (deliveryId: string) => [string, string, unknown?] };

/** A failed webhook delivery per user of the world, plus one to a user of another district. */
export interface DeliveryFixtures {
  byUser: Map<string, string>;
  outsider: FixtureUser;
}

type Check = (ok: boolean, what: string) => void;
const passed = (r: ApiResponse) => ![401, 403, 404].includes(r.status);

/** Gives every user of the world (and an outsider) a notification with a failed delivery. */
export async function seedDeliveries(db: Knex, w: World): Promise<DeliveryFixtures> {
  const now = new Date('2026-11-23T08:00:00Z');
  const outsider: FixtureUser = { username: 'matrix-outsider', orgUnit: '370103', department: null };
  await db('users').insert({ username: outsider.username, display_name: '外区用户', org_unit_code: outsider.orgUnit, status: 'disabled', created_at: now, updated_at: now });
  const byUser = new Map<string, string>();
  for (const u of [...w.users, outsider]) {
    const user = await db('users').where({ username: u.username }).first('id') as { id: number };
    const [id] = await db('notifications').insert({ user_id: user.id, kind: 'task.urge', message: '矩阵', created_at: now }) as number[];
    await enqueueDeliveries(db, Number(id), ['webhook'], now);
    const delivery = await db('notification_deliveries').where({ notification_id: id }).first('id') as { id: string };
    await db('notification_deliveries').where({ id: delivery.id }).update({ status: 'failed', attempts: 8, last_error: 'matrix' });
    byUser.set(u.username, delivery.id);
  }
  return { byUser, outsider };
}

/** Runs one delivery probe for one actor. */
export async function deliveryProbe(base: string, w: World, f: DeliveryFixtures, a: Actor, as: Credentials, probe: DeliveryProbe, cell: string, check: Check): Promise<void> {
  const administers = oracleAny(a, 'administer', 'User');
  if (probe.kind === 'deliveryList') {
    const r = await call(base, 'GET', probe.path, { as });
    if (!administers) {
      check(r.status === 403, `${cell} → ${r.status}, expected 403`);
      return;
    }
    check(r.status === 200, `${cell} → ${r.status}, expected 200`);
    const seen = new Set(((r.body?.items ?? []) as { id: string }[]).map((i) => i.id));
    for (const u of [...w.users, f.outsider]) {
      const expected = oracleUser(w, a, 'administer', u);
      const listed = seen.has(f.byUser.get(u.username) ?? '');
      check(listed === expected, `${cell}: delivery to ${u.username} listed=${listed}, expected ${expected}`);
    }
    check(!/"phone"/.test(r.text), `${cell}: recipients' phones are not shown`);
    return;
  }
  const own = w.users.find((u) => u.username === a.username) as FixtureUser;
  const inScope = w.users.find((u) => u.username !== a.username && oracleUser(w, a, 'administer', u));
  const cases: [string, FixtureUser][] = [['own', own], ['outsider', f.outsider], ...(inScope ? [['in scope', inScope] as [string, FixtureUser]] : [])];
  for (const [label, u] of cases) {
    const [method, path, body] = probe.call(f.byUser.get(u.username) as string);
    const r = await call(base, method, path, { as, ...(body !== undefined ? { body } : {}) });
    const expected = oracleUser(w, a, 'administer', u);
    const denial = administers ? 404 : 403;
    check(expected ? passed(r) : r.status === denial, `${cell} ${label} ${u.username} → ${r.status}, expected ${expected ? 'allowed' : denial}`);
  }
}
