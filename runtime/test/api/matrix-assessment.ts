/**
 * Matrix probes of the assessment routes: `export` on `Case` lets a user in; its scope decides which
 * units are listed and explained. The oracle places a street unit like a case in that street.
 */
import { call } from '../support/api-server.ts';
import type { Credentials } from '../support/api-server.ts';
import { oracleAny, oracleCase } from './matrix-world.ts';
import type { Actor, FixtureCase, World } from './matrix-world.ts';

/** A probe of one assessment route. */
export type AssessmentProbe = { kind: 'assessment'; route: 'list' | 'explain' | 'export' };

const PERIOD = `from=${encodeURIComponent('2026-11-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-12-01T00:00:00+08:00')}&unitKind=street`;

/** The path a probe calls for a unit (explain only). */
export function assessmentPath(probe: AssessmentProbe, unit = '370102001'): string {
  if (probe.route === 'list') return `/api/assessment?${PERIOD}`;
  if (probe.route === 'export') return `/api/assessment/export?${PERIOD}&format=csv`;
  return `/api/assessment/explain?${PERIOD}&unit=${unit}&indicator=handlingRate`;
}

/** The streets of the demo district (9-digit codes of its org tree). */
const streetsOf = (w: World) => [...w.subtree('370102')].filter((code) => code.length === 9).sort();

/** Whether the actor may see a street's assessment: as they may export a case placed in that street. */
function mayAssess(w: World, a: Actor, street: string): boolean {
  const placed: FixtureCase = {
    id: '', taskId: '', taskKey: '', grid: '', community: '', street, district: '370102', reporter: null, handlerDepartment: null, cc: null, assignee: null, candidateGroups: [],
  };
  return oracleCase(w, a, 'export', 'Case', placed);
}

/** 403 without `export` on `Case`; else exactly the streets in scope are listed and explained, and the export downloads. */
export async function assessmentProbe(base: string, w: World, a: Actor, as: Credentials, probe: AssessmentProbe, cell: string, check: (ok: boolean, what: string) => void): Promise<void> {
  const allowed = oracleAny(a, 'export', 'Case');
  const visible = streetsOf(w).filter((s) => mayAssess(w, a, s));
  if (probe.route === 'explain') {
    const hidden = streetsOf(w).find((s) => !visible.includes(s)) ?? '370103001';
    for (const [label, unit, expected] of [['in scope', visible[0] ?? '370102001', 200], ['out of scope', hidden, 404]] as const) {
      const r = await call(base, 'GET', assessmentPath(probe, unit), { as });
      const want = allowed ? expected : 403;
      check(r.status === want, `${cell} ${label} street ${unit} → ${r.status}, expected ${want}`);
    }
    return;
  }
  const r = await call(base, 'GET', assessmentPath(probe), { as });
  if (!allowed) {
    check(r.status === 403, `${cell} → ${r.status}, expected 403`);
    return;
  }
  check(r.status === 200, `${cell} → ${r.status}, expected 200`);
  if (r.status !== 200) return;
  if (probe.route === 'export') {
    check(/^text\/csv/.test(r.headers.get('content-type') ?? ''), `${cell}: a CSV file`);
    return;
  }
  const listed = (r.body.units as { unit: string }[]).map((u) => u.unit);
  check(listed.join(',') === visible.join(','), `${cell}: streets ${listed.join(',')}, expected ${visible.join(',')}`);
  check(visible.length > 0, `${cell}: the actor's scope holds a street`);
}
