/**
 * Counting: which duties, dispatches and visits of a case count in which counts of which units, for a
 * period (rules in indicators.ts and docs/assessment.md). Every counted thing is kept as an item, so each
 * figure can be explained case by case.
 */
import type { Assignment, CaseFacts, Duty } from './case-replay.ts';
import { replayCase } from './case-replay.ts';
import type { CaseEvents } from './history-validation.ts';
import { countNames, type CountName, type CountedItem, type UnitKind } from './indicators.ts';

/** A period [from, to) in epoch milliseconds. */
export interface Period {
  from: number;
  to: number;
}

/** Every counted item of one unit, by count. */
export type UnitItems = Record<CountName, CountedItem[]>;

type Status = 'done' | 'overdue' | undefined;
type Add = (units: readonly (string | undefined)[], ref: string, counts: readonly (CountName | false)[]) => void;

const iso = (ms: number) => new Date(ms).toISOString();
const onTime = (duty: Duty, status: Status) => status === 'done' && duty.doneAt! <= duty.dueAt;
const ended = (a: Assignment) => a.returnedAt !== undefined || a.cancelledAt !== undefined;

/** Whether a duty is due in the period: done in it, or open and overdue at its end (and not suspended). */
export function dutyStatus(duty: Duty, period: Period, suspended: boolean): Status {
  if (duty.doneAt !== undefined) return duty.doneAt >= period.from && duty.doneAt < period.to ? 'done' : undefined;
  if (suspended) return undefined;
  return duty.dueAt < period.to ? 'overdue' : undefined;
}

/** No counted item, for each count. */
export function emptyItems(): UnitItems {
  return Object.fromEntries(countNames.map((name) => [name, []])) as unknown as UnitItems;
}

/** The counted items of every unit of `kind`, from the events of each case before the period's end. */
export function tallyHistory(cases: CaseEvents, period: Period, kind: UnitKind): Map<string, UnitItems> {
  const units = new Map<string, UnitItems>();
  for (const events of cases.values()) {
    const before = events.filter((e) => e.at < period.to);
    if (before.length === 0) continue;
    const facts = replayCase(before);
    tallyCase(facts, period, kind, (names, ref, counts) => {
      for (const unit of new Set(names)) {
        if (unit === undefined) continue;
        const items = units.get(unit) ?? emptyItems();
        units.set(unit, items);
        for (const count of counts) if (count) items[count].push({ caseId: facts.caseId, ref });
      }
    });
  }
  return units;
}

function tallyCase(facts: CaseFacts, period: Period, kind: UnitKind, add: Add): void {
  const place = kind === 'street' || kind === 'community' || kind === 'grid' ? facts.place[kind] : undefined;
  const worker = kind === 'gridWorker';
  const departments = kind === 'department' ? caseDepartments(facts) : [];
  const r = facts.registration;
  if (r.doneAt !== undefined && r.doneAt >= period.from) {
    add([place, worker ? facts.reporter : undefined], 'report', ['reportsDecided', r.registered === true && 'reportsRegistered']);
  }
  const registration = dutyStatus(r, period, facts.suspended);
  if (registration) add([place], 'report', ['dueToDecide', onTime(r, registration) && 'decidedOnTime']);
  for (const check of facts.checks) {
    const status = dutyStatus(check, period, facts.suspended);
    const holder = worker ? check.by ?? check.assignee : undefined;
    if (status) add([place, holder], `check requested ${iso(check.requestedAt)}`, ['dueToCheck', onTime(check, status) && 'checkedOnTime']);
  }
  tallyDispatches(facts, period, kind, place, add);
  tallyHandling(facts, period, kind, place, add);
  tallyClosing(facts, period, [place, ...departments], add);
  for (const v of facts.verifications) {
    const status = dutyStatus(v, period, facts.suspended);
    const holder = worker ? v.by ?? v.assignee : undefined;
    if (status) add([place, holder], `verification requested ${iso(v.requestedAt)}`, ['dueToVerify', onTime(v, status) && 'verifiedOnTime']);
  }
  for (const visit of facts.visits) {
    if (visit.at < period.from) continue;
    const satisfied = visit.satisfaction !== 'dissatisfied';
    add([place, ...departments, worker ? visit.by : undefined], `visit ${iso(visit.at)}`, ['visits', satisfied && 'satisfiedVisits']);
  }
}

function tallyDispatches(facts: CaseFacts, period: Period, kind: UnitKind, place: string | undefined, add: Add): void {
  for (const dispatch of facts.dispatches) {
    if (dispatch.at < period.from) continue;
    const ref = `dispatch ${iso(dispatch.at)}`;
    const accurate = dispatch.assignments.every((a) => a.returnedAt === undefined);
    add([place], ref, ['dispatches', accurate && 'accurateDispatches']);
    if (kind !== 'department') continue;
    for (const a of dispatch.assignments) {
      add([a.department], `${a.department} ${ref}`, ['dispatches', a.returnedAt === undefined && 'accurateDispatches']);
    }
  }
}

function tallyHandling(facts: CaseFacts, period: Period, kind: UnitKind, place: string | undefined, add: Add): void {
  for (const dispatch of facts.dispatches) {
    for (const a of dispatch.assignments) {
      const status = ended(a) ? undefined : dutyStatus(a, period, facts.suspended);
      if (!status) continue;
      const units = kind === 'department' ? [a.department] : [place];
      add(units, `${a.department} dispatch ${iso(a.dispatchedAt)}`, [
        'dueToHandle', status === 'done' && 'handled', onTime(a, status) && 'handledOnTime',
        status === 'overdue' && 'overdueUnhandled', a.extended && 'extended',
      ]);
    }
  }
}

function tallyClosing(facts: CaseFacts, period: Period, units: (string | undefined)[], add: Add): void {
  if (!facts.closing) return;
  const status = dutyStatus(facts.closing, period, facts.suspended);
  if (!status) return;
  add(units, 'case', [
    'dueToClose', status === 'done' && 'closed', onTime(facts.closing, status) && 'closedOnTime', facts.reworks > 0 && 'reworked',
  ]);
}

/** The departments holding an assignment of the case that was neither returned nor cancelled. */
function caseDepartments(facts: CaseFacts): string[] {
  const held = facts.dispatches.flatMap((d) => d.assignments).filter((a) => !ended(a)).map((a) => a.department);
  return [...new Set(held)];
}
