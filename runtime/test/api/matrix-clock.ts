/**
 * Case clock cells of the authorization matrix: deciding 延期 extension requests, replying to 督办
 * supervisions and the supervision list, over a decided request and a replied supervision on every
 * fixture case (so a call that passes every check is refused as already done, and nothing changes).
 * The oracle states the rules from the definitions and the fixture data alone.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { call } from '../support/api-server.ts';
import type { ApiResponse, Credentials } from '../support/api-server.ts';
import { oracleAny, oracleCase } from './matrix-world.ts';
import type { Actor, FixtureCase, World } from './matrix-world.ts';

/** Probes of the clock and supervision routes that need their own oracle. */
export type ClockProbe =
  | { kind: 'extensionDecision'; op: 'approve' | 'reject' }
  | { kind: 'supervisionReply' }
  | { kind: 'supervisionList'; path: string };

/** The fixture rows of each case. */
export interface ClockFixtures {
  requests: Map<string, { id: string; tier: 'street' | 'district'; requestedBy: number }>;
  supervisions: Map<string, string>;
}

type Check = (ok: boolean, what: string) => void;

/** A decided extension request and a replied supervision on every fixture case. */
export async function addClockFixtures(db: Knex, w: World): Promise<ClockFixtures> {
  const now = new Date('2026-11-23T08:00:00Z');
  const requester = w.actors.find((a) => a.role === 'grid-worker') as Actor;
  const districtCases = new Set(w.actors.filter((a) => a.scope === 'district').map((a) => w.inScope.get(a.role)?.id));
  const fixtures: ClockFixtures = { requests: new Map(), supervisions: new Map() };
  for (const c of w.cases) {
    const tier = districtCases.has(c.id) ? 'district' : 'street';
    const id = randomUUID();
    await db('extension_requests').insert({
      id, case_id: c.id, task_id: c.taskId, task_definition_key: c.taskKey, task_name: '处置', amount: 1, type: 'workDays', reason: '矩阵', status: 'approved', open_case_id: null,
      tier, approver_group: tier === 'street' ? `street-dispatcher@${c.street}` : `district-dispatcher@${c.district}`,
      requested_by: requester.userId, requested_by_username: requester.username, requested_at: now, decided_by: requester.userId, decided_by_username: requester.username, decided_at: now, opinion: '矩阵',
    });
    fixtures.requests.set(c.id, { id, tier, requestedBy: requester.userId });
    const supervisionId = randomUUID();
    await db('supervisions').insert({
      id: supervisionId, case_id: c.id, source: 'manual', level: 'district', org_unit_code: c.district, opinion: '矩阵', author_id: null, author_username: null, author_name: null,
      reply_within_amount: 1, reply_within_type: 'workDays', reply_due_at: now, status: 'replied', reply: '矩阵', replied_by: requester.userId, replied_by_username: requester.username,
      replied_at: now, created_at: now, source_key: `matrix:${supervisionId}`,
    });
    fixtures.supervisions.set(c.id, supervisionId);
  }
  return fixtures;
}

/** Whether the actor decides extensions of a case of this tier: the dispatchers of the case's street or district. */
function approver(a: Actor, c: FixtureCase, tier: 'street' | 'district'): boolean {
  return tier === 'street' ? a.role === 'street-dispatcher' && a.orgUnit === c.street : a.role === 'district-dispatcher' && a.orgUnit === c.district;
}

/** The status an actor must get; `passed` means allowed (then the fixture's state refuses it: 409). */
function expected(w: World, a: Actor, probe: ClockProbe, c: FixtureCase, f: ClockFixtures): number {
  if (probe.kind === 'extensionDecision') {
    if (!oracleAny(a, 'read', 'Case')) return 403;
    if (!oracleCase(w, a, 'read', 'Case', c)) return 404;
    const r = f.requests.get(c.id) as { tier: 'street' | 'district'; requestedBy: number };
    return r.requestedBy === a.userId || !approver(a, c, r.tier) ? 403 : 409;
  }
  if (!oracleAny(a, 'complete', 'Task')) return 403;
  if (oracleCase(w, a, 'complete', 'Task', c)) return 409;
  return oracleCase(w, a, 'read', 'Case', c) ? 403 : 404;
}

function send(base: string, as: Credentials, probe: Exclude<ClockProbe, { kind: 'supervisionList' }>, c: FixtureCase, f: ClockFixtures): Promise<ApiResponse> {
  return probe.kind === 'extensionDecision'
    ? call(base, 'POST', `/api/extension-requests/${f.requests.get(c.id)?.id}/${probe.op}`, { as, body: { opinion: '矩阵' } })
    : call(base, 'POST', `/api/supervisions/${f.supervisions.get(c.id)}/reply`, { as, body: { reply: '矩阵' } });
}

/** The anonymous call of a probe (must be 401). */
export function clockAnonymous(base: string, probe: ClockProbe, w: World, f: ClockFixtures): Promise<ApiResponse> {
  return probe.kind === 'supervisionList' ? call(base, 'GET', probe.path) : send(base, {}, probe, w.outOfScope, f);
}

/** Runs one clock probe for one actor. */
export async function clockProbe(base: string, w: World, f: ClockFixtures, a: Actor, as: Credentials, probe: ClockProbe, cell: string, check: Check): Promise<void> {
  if (probe.kind === 'supervisionList') {
    const r = await call(base, 'GET', probe.path, { as });
    if (!oracleAny(a, 'read', 'Case')) {
      check(r.status === 403, `${cell} → ${r.status}, expected 403`);
      return;
    }
    check(r.status === 200, `${cell} → ${r.status}, expected 200`);
    if (r.status !== 200) return;
    const items = r.body.items as { id: string; caseId: string }[];
    for (const c of w.cases) {
      const listed = items.some((i) => i.id === f.supervisions.get(c.id));
      const allowed = oracleCase(w, a, 'read', 'Case', c);
      check(listed === allowed, `${cell}: supervision of case ${c.id.slice(0, 8)} listed=${listed}, expected ${allowed}`);
    }
    check(items.every((i) => w.cases.some((c) => c.id === i.caseId && oracleCase(w, a, 'read', 'Case', c))), `${cell}: lists a supervision of a case it may not read`);
    return;
  }
  for (const [label, c] of [['in scope', w.inScope.get(a.role) as FixtureCase], ['out of scope', w.outOfScope]] as const) {
    const r = await send(base, as, probe, c, f);
    const want = expected(w, a, probe, c, f);
    check(r.status === want, `${cell} ${label} → ${r.status} ${r.body?.error?.code ?? ''}, expected ${want}`);
  }
}
