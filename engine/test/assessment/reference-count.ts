/**
 * An independent, deliberately plain counting of the assessment rules (docs/assessment.md), written
 * without the engine's assessment code: it produced fixtures/expected-2026-q4.json, and the golden test
 * checks that it still agrees with that file. Only for the well-formed histories of the tests.
 */
type Ev = Record<string, unknown> & { caseId: string; kind: string; at: string };
type Weighted = { code: string; weight: number; inverse?: boolean };
type Counts = Record<string, number>;

const definitions: Record<string, [string, string]> = {
  registrationRate: ['reportsRegistered', 'reportsDecided'],
  onTimeRegistrationRate: ['decidedOnTime', 'dueToDecide'],
  onTimeCheckRate: ['checkedOnTime', 'dueToCheck'],
  accurateDispatchRate: ['accurateDispatches', 'dispatches'],
  handlingRate: ['handled', 'dueToHandle'],
  onTimeHandlingRate: ['handledOnTime', 'dueToHandle'],
  overdueUnhandledRate: ['overdueUnhandled', 'dueToHandle'],
  extensionRate: ['extended', 'dueToHandle'],
  closingRate: ['closed', 'dueToClose'],
  onTimeClosingRate: ['closedOnTime', 'dueToClose'],
  reworkRate: ['reworked', 'dueToClose'],
  onTimeVerificationRate: ['verifiedOnTime', 'dueToVerify'],
  satisfactionRate: ['satisfiedVisits', 'visits'],
};
const countOrder = [
  'reportsDecided', 'reportsRegistered', 'dueToDecide', 'decidedOnTime', 'dueToCheck', 'checkedOnTime',
  'dispatches', 'accurateDispatches', 'dueToHandle', 'handled', 'handledOnTime', 'overdueUnhandled', 'extended',
  'dueToClose', 'closed', 'closedOnTime', 'reworked', 'dueToVerify', 'verifiedOnTime', 'visits', 'satisfiedVisits',
];

/** A duty's fate at the end of the period: 'done', 'late' (done after its deadline), 'overdue' or undefined. */
function fate(dueAt: number, doneAt: number | undefined, from: number, to: number, paused: boolean) {
  if (doneAt !== undefined) return doneAt >= from ? (doneAt <= dueAt ? 'done' : 'late') : undefined;
  return !paused && dueAt < to ? 'overdue' : undefined;
}

/** Counts of every unit of `kind` for the period, straight from the events. */
export function referenceCounts(events: readonly object[], from: number, to: number, kind: string): Map<string, Counts> {
  const history = events as Ev[];
  const result = new Map<string, Counts>();
  const bump = (unit: unknown, ...names: (string | false)[]) => {
    if (typeof unit !== 'string') return;
    const counts = result.get(unit) ?? Object.fromEntries(countOrder.map((c) => [c, 0]));
    result.set(unit, counts);
    for (const name of names) if (name) counts[name]! += 1;
  };
  const ids = [...new Set(history.map((e) => e.caseId))];
  for (const id of ids) {
    const evs = history.filter((e) => e.caseId === id && Date.parse(e.at) < to);
    if (evs.length === 0) continue;
    countCase(evs, from, to, kind, bump);
  }
  return result;
}

function countCase(evs: Ev[], from: number, to: number, kind: string, bump: (unit: unknown, ...names: (string | false)[]) => void): void {
  const t = (e: Ev | undefined, field = 'at') => (e ? Date.parse(e[field] as string) : undefined);
  const rep = evs[0]!;
  const place = ['street', 'community', 'grid'].includes(kind) ? rep[kind] : undefined;
  const worker = kind === 'gridWorker';
  const paused = evs.filter((e) => e.kind === 'suspended').length > evs.filter((e) => e.kind === 'resumed').length;
  // registration
  const decision = evs.find((e) => e.kind === 'registered' || e.kind === 'rejected');
  if (decision && t(decision)! >= from) bump(place ?? (worker ? rep.reporter : undefined), 'reportsDecided', decision.kind === 'registered' && 'reportsRegistered');
  const reg = fate(t(rep, 'registerDueAt')!, t(decision), from, to, paused);
  if (reg) bump(place, 'dueToDecide', reg === 'done' && 'decidedOnTime');
  // checks and verifications: each request pairs with the next completion
  const requests = (ask: string, done: string, due: string, ok: string) => {
    evs.forEach((e, i) => {
      if (e.kind !== ask) return;
      const completion = evs.slice(i + 1).find((x) => x.kind === done);
      const f = fate(t(e, 'dueAt')!, t(completion), from, to, paused);
      if (f) bump(place ?? (worker ? completion?.by ?? e.assignee : undefined), due, f === 'done' && ok);
    });
  };
  requests('checkRequested', 'checked', 'dueToCheck', 'checkedOnTime');
  requests('verificationRequested', 'verified', 'dueToVerify', 'verifiedOnTime');
  const held = countAssignments(evs, from, to, kind, place, paused, bump);
  // closing
  const registered = evs.find((e) => e.kind === 'registered');
  if (registered) {
    const closed = evs.find((e) => e.kind === 'closed');
    let closeDue = t(registered, 'closeDueAt')!;
    for (const e of evs) if (e.closeDueAt && (!closed || t(e)! <= t(closed)!)) closeDue = t(e, 'closeDueAt')!;
    const f = fate(closeDue, t(closed), from, to, paused);
    const reworked = evs.some((e) => e.kind === 'reworked');
    if (f) for (const u of place ? [place] : held) bump(u, 'dueToClose', f !== 'overdue' && 'closed', f === 'done' && 'closedOnTime', reworked && 'reworked');
  }
  for (const v of evs.filter((e) => e.kind === 'visited' && t(e)! >= from)) {
    const units = place ? [place] : worker ? [v.by] : held;
    for (const u of units) bump(u, 'visits', v.satisfaction !== 'dissatisfied' && 'satisfiedVisits');
  }
}

type A = { dept: string; dispatchedAt: number; due: number; done?: number; gone: boolean; returned: boolean; extended: boolean };

/** Counts dispatches and assignments; returns the departments that hold an assignment (not returned or cancelled). */
function countAssignments(evs: Ev[], from: number, to: number, kind: string, place: unknown, paused: boolean, bump: (unit: unknown, ...names: (string | false)[]) => void): string[] {
  const rounds: A[][] = [];
  for (const e of evs) {
    const at = Date.parse(e.at);
    const round = rounds[rounds.length - 1] ?? [];
    const mine = round.find((a) => a.dept === e.department && !a.gone && a.done === undefined);
    if (e.kind === 'dispatched') {
      for (const a of round) if (a.done === undefined) a.gone = true;
      rounds.push((e.departments as { code: string }[]).map((d) => ({ dept: d.code, dispatchedAt: at, due: Date.parse(e.handleDueAt as string), gone: false, returned: false, extended: false })));
    } else if (e.kind === 'returned' && mine) Object.assign(mine, { gone: true, returned: true });
    else if (e.kind === 'handled' && mine) mine.done = at;
    else if (e.kind === 'extended' && mine) Object.assign(mine, { due: Date.parse(e.newDueAt as string), extended: true });
    else if (e.kind === 'reworked') {
      for (const a of round) if (!a.gone && a.done !== undefined) Object.assign(a, { done: undefined, due: Date.parse(e.handleDueAt as string) });
    } else if (e.kind === 'resumed' && e.handleDueAt) {
      for (const a of round) if (!a.gone && a.done === undefined) a.due = Date.parse(e.handleDueAt as string);
    }
  }
  for (const round of rounds) {
    if (round[0]!.dispatchedAt < from) continue;
    if (place) bump(place, 'dispatches', round.every((a) => !a.returned) && 'accurateDispatches');
    if (kind === 'department') for (const a of round) bump(a.dept, 'dispatches', !a.returned && 'accurateDispatches');
  }
  for (const a of rounds.flat()) {
    if (a.gone) continue;
    const f = fate(a.due, a.done, from, to, paused);
    if (f) bump(place ?? (kind === 'department' ? a.dept : undefined), 'dueToHandle', f !== 'overdue' && 'handled', f === 'done' && 'handledOnTime', f === 'overdue' && 'overdueUnhandled', a.extended && 'extended');
  }
  return kind === 'department' ? [...new Set(rounds.flat().filter((a) => !a.gone).map((a) => a.dept))] : [];
}

/** The expected assessment of every unit (sorted by code) from the reference counts, with a float score. */
export function referenceAssessment(history: readonly object[], from: string, to: string, kind: string, profile: { indicators: (Weighted & { name: string })[]; bands: { grade: string; min: number }[] }) {
  const counts = referenceCounts(history, Date.parse(from), Date.parse(to), kind);
  const units = [...counts.keys()].sort().map((unit) => {
    const c = counts.get(unit)!;
    const indicators = profile.indicators.map(({ code }) => {
      const [num, den] = definitions[code]!;
      return { code, numerator: c[num]!, denominator: c[den]!, rate: c[den] === 0 ? null : c[num]! / c[den]! };
    });
    const used = indicators.map((v, i) => ({ v, p: profile.indicators[i]! })).filter(({ v }) => v.rate !== null);
    const total = used.reduce((s, { p }) => s + p.weight, 0);
    const raw = total === 0 ? null : (100 * used.reduce((s, { v, p }) => s + p.weight * (p.inverse ? 1 - v.rate! : v.rate!), 0)) / total;
    const score = raw === null ? null : Math.floor(raw * 100 + 1e-7) / 100;
    const grade = raw === null ? null : [...profile.bands].sort((a, b) => b.min - a.min).find((b) => raw + 1e-9 >= b.min)?.grade ?? null;
    return { unit, counts: c, indicators, score, grade };
  });
  const indicators = profile.indicators.map((x) => ({ code: x.code, name: x.name, weight: x.weight, inverse: x.inverse === true }));
  return { from, to, unitKind: kind, indicators, units };
}
