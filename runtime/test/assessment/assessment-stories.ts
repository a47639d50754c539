/**
 * The fixed history of the assessment tests: stories worked through GridFlow's writers over October
 * 2026, assessed over the week P = [Mon 10-12 00:00, Mon 10-19 00:00) Beijing time, with a ledger
 * written by hand from the stories and the documented rules (docs/assessment.md: registration due
 * 2 work-hours after the report, verification 1 work-day after it is asked, closing 2 work-days after
 * the handling limit counted from registration; subclass 01004 道路不洁 has 2 work-hours to handle),
 * and a counter over that ledger that shares nothing with GridFlow's code.
 *
 * Work time is 08:00–12:00 and 14:00–18:00; times are chosen far from every deadline except where a
 * story is about one.
 */
import type { Knex } from 'knex';
import { AssessmentWorld, GRIDS, bj } from './assessment-world.ts';
import type { CaseScript, GridKey } from './assessment-world.ts';

/** The assessed period. */
export const PERIOD = { from: '2026-10-12T00:00:00+08:00', to: '2026-10-19T00:00:00+08:00' };

type Status = 'onTime' | 'late' | 'overdue';

/** What a case amounts to in P, by hand. */
export interface Ledger {
  place: GridKey;
  /** The grid worker who reported it (grid channel only). */
  reporter?: string;
  /** Registered or rejected in P. */
  decided?: { registered: boolean };
  /** The registration duty, when due in P. */
  registration?: Status;
  /** Dispatches in P: each assignment's unit (department, or the community) and whether it was returned before the end. */
  dispatches?: { unit: string; returned: boolean }[][];
  /** Assignments due in P. */
  assignments?: { unit: string; status: Status; extended?: boolean }[];
  /** The closing duty when due in P; `holders`: units holding an assignment (not returned or replaced). */
  closing?: { status: Status; reworked: boolean };
  holders?: string[];
  verifications?: { holder: string; status: Status }[];
  visits?: { by: string; satisfied: boolean }[];
}

/** A story: how the case is worked, and its ledger. */
interface Story {
  ledger: Ledger;
  work(world: AssessmentWorld): Promise<CaseScript>;
}

const C1 = GRIDS.G1.community;

/** The stories by label. */
export const STORIES: Record<string, Story> = {
  // A plain closed loop, everything on time.
  K1: {
    ledger: {
      place: 'G1', reporter: 'wgy001', decided: { registered: true }, registration: 'onTime', dispatches: [[{ unit: 'D12', returned: false }]],
      assignments: [{ unit: 'D12', status: 'onTime' }], closing: { status: 'onTime', reworked: false }, holders: ['D12'],
      verifications: [{ holder: 'wgy001', status: 'onTime' }], visits: [{ by: 'wgy001', satisfied: true }],
    },
    work: async (w) => (await (await (await (await (await (await w.report({ reporter: 'wgy001', grid: 'G1', at: bj('10-12 09:00') }))
      .accept(bj('10-12 09:05'))).dispatch(bj('10-12 09:10'), { primary: 'D12' })).handle(bj('10-12 09:20')))
      .verify(bj('10-12 09:30'), true, 'wgy001')).close(bj('10-12 09:40'))).visit(bj('10-12 09:50'), '满意', 'wgy001'),
  },
  // Registered late; the community handles late, verification fails, rework is on time by the restarted limit.
  K2: {
    ledger: {
      place: 'G1', reporter: 'wgy001', decided: { registered: true }, registration: 'late', dispatches: [[{ unit: C1, returned: false }]],
      assignments: [{ unit: C1, status: 'onTime' }], closing: { status: 'onTime', reworked: true }, holders: [C1],
      verifications: [{ holder: 'wgy001', status: 'onTime' }, { holder: 'wgy001', status: 'onTime' }], visits: [{ by: 'wgy001', satisfied: false }],
    },
    work: async (w) => {
      const s = await (await (await w.report({ reporter: 'wgy001', grid: 'G1', at: bj('10-12 09:00') })).accept(bj('10-14 09:00'))).dispatch(bj('10-14 09:05'), 'community');
      await (await (await s.handle(bj('10-16 09:00'))).verify(bj('10-16 09:10'), false, 'wgy001')).handle(bj('10-16 09:20'));
      return (await (await s.verify(bj('10-16 09:30'), true, 'wgy001')).close(bj('10-16 09:40'))).visit(bj('10-16 10:00'), '不满意', 'wgy001');
    },
  },
  // Rejected on time.
  K3: {
    ledger: { place: 'G2', reporter: 'wgy002', decided: { registered: false }, registration: 'onTime' },
    work: async (w) => (await w.report({ reporter: 'wgy002', grid: 'G2', at: bj('10-12 10:00') })).accept(bj('10-12 10:10'), false),
  },
  // A citizen's report: D12 primary on time, D01 assisting late; verification and closing overdue and open at the end.
  K4: {
    ledger: {
      place: 'G1', decided: { registered: true }, registration: 'onTime', dispatches: [[{ unit: 'D12', returned: false }, { unit: 'D01', returned: false }]],
      assignments: [{ unit: 'D12', status: 'onTime' }, { unit: 'D01', status: 'late' }], closing: { status: 'overdue', reworked: false }, holders: ['D12', 'D01'],
      verifications: [{ holder: 'wgy001', status: 'overdue' }],
    },
    work: async (w) => (await (await (await (await w.report({ reporter: 'sm01', grid: 'G1', at: bj('10-12 10:00') })).accept(bj('10-12 10:30')))
      .dispatch(bj('10-12 10:35'), { primary: 'D12', assisting: ['D01'] })).handle(bj('10-12 10:40'))).assist(bj('10-13 16:00'), 'D01'),
  },
  // D02 returns it; D12 never handles it (overdue); closing overdue.
  K5: {
    ledger: {
      place: 'G3', reporter: 'wgy003', decided: { registered: true }, registration: 'onTime',
      dispatches: [[{ unit: 'D02', returned: true }], [{ unit: 'D12', returned: false }]],
      assignments: [{ unit: 'D12', status: 'overdue' }], closing: { status: 'overdue', reworked: false }, holders: ['D12'],
    },
    work: async (w) => (await (await (await (await w.report({ reporter: 'wgy003', grid: 'G3', at: bj('10-12 14:00') })).accept(bj('10-12 14:05')))
      .dispatch(bj('10-12 14:10'), { primary: 'D02' })).handle(bj('10-12 14:20'), '退回')).dispatch(bj('10-12 14:30'), { primary: 'D12' }),
  },
  // Suspended at the end: nothing of it is overdue.
  K6: {
    ledger: { place: 'G3', reporter: 'wgy003', decided: { registered: true }, registration: 'onTime', dispatches: [[{ unit: 'D12', returned: false }]], holders: ['D12'] },
    work: async (w) => (await (await (await w.report({ reporter: 'wgy003', grid: 'G3', at: bj('10-12 14:00') })).accept(bj('10-12 14:05')))
      .dispatch(bj('10-12 14:10'), { primary: 'D12' })).suspend(bj('10-12 14:20')),
  },
  // 延期 by a work-day: handled the next afternoon, on time by the extended deadline.
  K7: {
    ledger: {
      place: 'G1', reporter: 'wgy001', decided: { registered: true }, registration: 'onTime', dispatches: [[{ unit: 'D12', returned: false }]],
      assignments: [{ unit: 'D12', status: 'onTime', extended: true }], closing: { status: 'onTime', reworked: false }, holders: ['D12'],
      verifications: [{ holder: 'wgy001', status: 'onTime' }], visits: [{ by: 'wgy001', satisfied: true }],
    },
    work: async (w) => {
      const s = await (await (await w.report({ reporter: 'wgy001', grid: 'G1', at: bj('10-12 15:00') })).accept(bj('10-12 15:05'))).dispatch(bj('10-12 15:10'), { primary: 'D12' });
      await (await s.extend(bj('10-12 16:00'), { amount: 1, type: 'workDays' })).handle(bj('10-13 16:00'));
      return (await (await s.verify(bj('10-13 16:10'), true, 'wgy001')).close(bj('10-13 16:20'))).visit(bj('10-13 16:30'), '基本满意', 'wgy001');
    },
  },
  // 自行处置: registered as reported, only closing is left.
  K8: {
    ledger: {
      place: 'G1', reporter: 'wgy001', decided: { registered: true }, registration: 'onTime', closing: { status: 'onTime', reworked: false }, holders: [],
      visits: [{ by: 'wgy001', satisfied: true }],
    },
    work: async (w) => (await (await w.report({ reporter: 'wgy001', grid: 'G1', at: bj('10-13 09:00'), selfHandled: true })).close(bj('10-13 09:30')))
      .visit(bj('10-13 09:40'), '满意', 'wgy001'),
  },
  // Registered and dispatched before the period, never handled: overdue in P.
  K9: {
    ledger: { place: 'G2', reporter: 'wgy002', assignments: [{ unit: 'D12', status: 'overdue' }], closing: { status: 'overdue', reworked: false }, holders: ['D12'] },
    work: async (w) => (await (await w.report({ reporter: 'wgy002', grid: 'G2', at: bj('10-08 09:00') })).accept(bj('10-08 09:05')))
      .dispatch(bj('10-08 09:10'), { primary: 'D12' }),
  },
  // Reported on Friday evening: registration is due on Monday 09:30, after the period.
  K10: {
    ledger: { place: 'G1', reporter: 'wgy001' },
    work: (w) => w.report({ reporter: 'wgy001', grid: 'G1', at: bj('10-16 17:30') }),
  },
  // Reported after the period.
  K11: {
    ledger: { place: 'G1', reporter: 'wgy001' },
    work: async (w) => (await w.report({ reporter: 'wgy001', grid: 'G1', at: bj('10-19 09:00') })).accept(bj('10-19 09:05')),
  },
  // 退回 by task operation from D02; re-dispatched to the community, handled on time.
  K12: {
    ledger: {
      place: 'G2', reporter: 'wgy002', decided: { registered: true }, registration: 'onTime',
      dispatches: [[{ unit: 'D02', returned: true }], [{ unit: C1, returned: false }]],
      assignments: [{ unit: C1, status: 'onTime' }], closing: { status: 'onTime', reworked: false }, holders: [C1],
      verifications: [{ holder: 'wgy002', status: 'onTime' }], visits: [{ by: 'wgy002', satisfied: true }],
    },
    work: async (w) => {
      const s = await (await (await w.report({ reporter: 'wgy002', grid: 'G2', at: bj('10-13 09:00') })).accept(bj('10-13 09:05'))).dispatch(bj('10-13 09:10'), { primary: 'D02' });
      await (await (await s.returnByOperation(bj('10-13 09:30'))).dispatch(bj('10-13 09:40'), 'community')).handle(bj('10-13 10:00'));
      return (await (await s.verify(bj('10-13 10:10'), true, 'wgy002')).close(bj('10-13 10:20'))).visit(bj('10-13 10:30'), '满意', 'wgy002');
    },
  },
  // 挂起 an hour into handling, resumed the next morning: handled on time by the moved deadline.
  K13: {
    ledger: {
      place: 'G3', reporter: 'wgy003', decided: { registered: true }, registration: 'onTime', dispatches: [[{ unit: 'D12', returned: false }]],
      assignments: [{ unit: 'D12', status: 'onTime' }], closing: { status: 'onTime', reworked: false }, holders: ['D12'],
      verifications: [{ holder: 'wgy003', status: 'onTime' }],
    },
    work: async (w) => {
      const s = await (await (await w.report({ reporter: 'wgy003', grid: 'G3', at: bj('10-13 09:00') })).accept(bj('10-13 09:05'))).dispatch(bj('10-13 09:10'), { primary: 'D12' });
      await (await (await s.suspend(bj('10-13 10:10'))).suspend(bj('10-14 09:00'), false)).handle(bj('10-14 09:50'));
      return (await s.verify(bj('10-14 10:00'), true, 'wgy003')).close(bj('10-14 10:10'));
    },
  },
  // 受理 reclassifies it as 暴露垃圾 (01002: 1 work-hour in the demo district): handled 90 minutes after dispatch is late.
  K14: {
    ledger: {
      place: 'G2', reporter: 'wgy002', decided: { registered: true }, registration: 'onTime', dispatches: [[{ unit: 'D12', returned: false }]],
      assignments: [{ unit: 'D12', status: 'late' }], closing: { status: 'onTime', reworked: false }, holders: ['D12'],
      verifications: [{ holder: 'wgy002', status: 'onTime' }],
    },
    work: async (w) => {
      const s = await (await w.report({ reporter: 'wgy002', grid: 'G2', at: bj('10-14 09:00') })).accept(bj('10-14 09:05'), true, { eventType: '01002' });
      await (await s.dispatch(bj('10-14 09:10'), { primary: 'D12' })).handle(bj('10-14 10:40'));
      return (await s.verify(bj('10-14 10:50'), true, 'wgy002')).close(bj('10-14 11:00'));
    },
  },
  // Another street: a plain closed loop.
  L1: {
    ledger: {
      place: 'G4', reporter: 'wgy004', decided: { registered: true }, registration: 'onTime', dispatches: [[{ unit: 'D12', returned: false }]],
      assignments: [{ unit: 'D12', status: 'onTime' }], closing: { status: 'onTime', reworked: false }, holders: ['D12'],
      verifications: [{ holder: 'wgy004', status: 'onTime' }], visits: [{ by: 'wgy004', satisfied: true }],
    },
    work: async (w) => (await (await (await (await (await (await w.report({ reporter: 'wgy004', grid: 'G4', at: bj('10-12 09:00') }))
      .accept(bj('10-12 09:05'))).dispatch(bj('10-12 09:10'), { primary: 'D12' })).handle(bj('10-12 09:20')))
      .verify(bj('10-12 09:30'), true, 'wgy004')).close(bj('10-12 09:40'))).visit(bj('10-12 09:50'), '满意', 'wgy004'),
  },
  // A 12345 hotline report rejected late (no grid worker reported it).
  L2: {
    ledger: { place: 'G4', decided: { registered: false }, registration: 'late' },
    work: async (w) => (await w.report({ reporter: 'rx01', grid: 'G4', at: bj('10-13 09:00') })).accept(bj('10-14 09:00'), false),
  },
};

/** The world of a database with every story worked (once per database), and each story's case id. */
export interface StoryWorld {
  world: AssessmentWorld;
  caseIds: Record<string, string>;
}

const built = new Map<Knex, { started: Promise<AssessmentWorld>; worked: Promise<StoryWorld> }>();

/** Builds (once) the stories' world in a database. */
export function storyWorld(db: Knex): Promise<StoryWorld> {
  let world = built.get(db);
  if (!world) {
    const started = AssessmentWorld.start(db);
    const worked = (async () => {
      const w = await started;
      const caseIds: Record<string, string> = {};
      for (const [label, story] of Object.entries(STORIES)) caseIds[label] = (await story.work(w)).caseId;
      return { world: w, caseIds };
    })();
    world = { started, worked };
    built.set(db, world);
  }
  return world.worked;
}

/** Closes the server of a database's world (also when its stories failed). */
export async function closeStoryWorld(db: Knex): Promise<void> {
  const world = built.get(db);
  built.delete(db);
  const started = await world?.started.catch(() => undefined);
  await started?.close();
}

/** Counts of a unit, by count name (only the non-zero ones). */
export type Counts = Record<string, number>;

const done = (s: Status) => s !== 'overdue';

/**
 * The counts of every unit of a kind, from the ledgers alone, by the attribution rules of
 * docs/assessment.md ("Who a figure belongs to").
 */
export function countLedgers(kind: 'department' | 'street' | 'community' | 'grid' | 'gridWorker', ledgers: Record<string, Ledger> = ledgersOf()): Map<string, Counts> {
  const units = new Map<string, Counts>();
  const add = (who: (string | undefined)[], counts: (string | false)[]) => {
    for (const unit of new Set(who)) {
      if (!unit) continue;
      const c = units.get(unit) ?? {};
      for (const name of counts) if (name) c[name] = (c[name] ?? 0) + 1;
      units.set(unit, c);
    }
  };
  for (const l of Object.values(ledgers)) {
    const place = kind === 'street' || kind === 'community' || kind === 'grid' ? GRIDS[l.place][kind] : undefined;
    const worker = (name: string | undefined) => (kind === 'gridWorker' ? name : undefined);
    const departments = kind === 'department' ? l.holders ?? [] : [];
    if (l.decided) add([place, worker(l.reporter)], ['reportsDecided', l.decided.registered && 'reportsRegistered']);
    if (l.registration) add([place], ['dueToDecide', l.registration === 'onTime' && 'decidedOnTime']);
    for (const d of l.dispatches ?? []) {
      add([place], ['dispatches', d.every((a) => !a.returned) && 'accurateDispatches']);
      if (kind === 'department') for (const a of d) add([a.unit], ['dispatches', !a.returned && 'accurateDispatches']);
    }
    for (const a of l.assignments ?? []) {
      add(kind === 'department' ? [a.unit] : [place], [
        'dueToHandle', done(a.status) && 'handled', a.status === 'onTime' && 'handledOnTime', a.status === 'overdue' && 'overdueUnhandled', a.extended === true && 'extended',
      ]);
    }
    if (l.closing) add([place, ...departments], ['dueToClose', done(l.closing.status) && 'closed', l.closing.status === 'onTime' && 'closedOnTime', l.closing.reworked && 'reworked']);
    for (const v of l.verifications ?? []) add([place, worker(v.holder)], ['dueToVerify', v.status === 'onTime' && 'verifiedOnTime']);
    for (const v of l.visits ?? []) add([place, ...departments, worker(v.by)], ['visits', v.satisfied && 'satisfiedVisits']);
  }
  return units;
}

/** The ledgers by label. */
export function ledgersOf(): Record<string, Ledger> {
  return Object.fromEntries(Object.entries(STORIES).map(([label, s]) => [label, s.ledger]));
}
