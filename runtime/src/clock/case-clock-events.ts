/**
 * The case clock of a case, read from its timeline: `clock.*` events become the engine's ClockEvents
 * and the district's working calendar replays them (clockState). The timeline also records pauses
 * that do not touch a running clock (挂起 before handling started, or while it was stopped); those
 * are left out here, so the events handed to the engine always form a legal sequence.
 */
import type { Knex } from 'knex';
import { clockState, defaultWarningPolicy } from '@gridflow/engine';
import type { ClockEvent, ClockState, ExtensionAmount, TimeLimit, TimeLimitType, WorkingCalendar } from '@gridflow/engine';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import { dateOf } from '../db/values.ts';

/** A `clock.*` timeline row as stored. */
export interface ClockRow {
  kind: string;
  at: Date;
  details: Record<string, unknown>;
}

const TYPES: readonly TimeLimitType[] = ['urgent', 'workHours', 'workDays', 'naturalDays'];

const isType = (v: unknown): v is TimeLimitType => typeof v === 'string' && (TYPES as readonly string[]).includes(v);
const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** A time limit stored in an event's details, or undefined when it is not one. */
export function limitOf(value: unknown): TimeLimit | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, amount, stages } = value as { type?: unknown; amount?: unknown; stages?: unknown };
  if (!isType(type) || !positive(amount)) return undefined;
  if (stages === undefined) return { type, amount };
  if (!Array.isArray(stages) || stages.length === 0) return undefined;
  const parsed = stages.map((s: { name?: unknown; type?: unknown; amount?: unknown }) =>
    (typeof s?.name === 'string' && isType(s.type) && positive(s.amount) ? { name: s.name, type: s.type, amount: s.amount } : undefined));
  return parsed.every((s) => s !== undefined) ? { type, amount, stages: parsed } : undefined;
}

/** An extension amount stored in an event's details (`by`), or undefined. */
export function extensionOf(value: unknown): ExtensionAmount | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { amount, type } = value as { amount?: unknown; type?: unknown };
  if (!positive(amount)) return undefined;
  if (type === undefined || type === null) return { amount };
  return isType(type) ? { amount, type } : undefined;
}

/**
 * The clock events of a case from its `clock.*` timeline rows (oldest first). Before the first
 * `clock.started` nothing counts; a pause counts only while the clock runs, a resume only while it is
 * paused, an extension only while it runs or is paused, a stop only before it stopped; a second
 * `clock.started` is read as a restart.
 */
export function clockEventsOf(rows: readonly ClockRow[]): ClockEvent[] {
  const events: ClockEvent[] = [];
  let status: 'none' | 'running' | 'paused' | 'stopped' = 'none';
  let stages: string[] = [];
  let reached = 0;
  const begin = (limit: TimeLimit | undefined) => {
    if (limit) stages = (limit.stages ?? []).map((s) => s.name);
    reached = 0;
    status = 'running';
  };
  for (const row of rows) {
    const at = row.at;
    const d = row.details;
    switch (row.kind) {
      case 'clock.started':
      case 'clock.restarted': {
        const limit = limitOf(d.limit);
        if (status === 'none') {
          if (!limit) continue;
          events.push({ kind: 'started', at, limit });
        } else {
          events.push(limit ? { kind: 'restarted', at, limit } : { kind: 'restarted', at });
        }
        begin(limit);
        break;
      }
      case 'clock.paused':
        if (status === 'running') { events.push({ kind: 'paused', at }); status = 'paused'; }
        break;
      case 'clock.resumed':
        if (status === 'paused') { events.push({ kind: 'resumed', at }); status = 'running'; }
        break;
      case 'clock.extended': {
        const by = extensionOf(d.by);
        if (by && (status === 'running' || status === 'paused')) events.push({ kind: 'extended', at, by });
        break;
      }
      case 'clock.stageReached':
        if ((status === 'running' || status === 'paused') && d.stage === stages[reached]) {
          events.push({ kind: 'stageReached', at, stage: String(d.stage) });
          reached++;
        }
        break;
      case 'clock.stopped':
        if (status === 'running' || status === 'paused') { events.push({ kind: 'stopped', at }); status = 'stopped'; }
        break;
      default:
        break;
    }
  }
  return events;
}

/** The `clock.*` rows of a case's timeline, oldest first. */
export async function clockRows(db: Knex | Knex.Transaction, caseId: string): Promise<ClockRow[]> {
  const rows = await db('case_events').where({ case_id: caseId }).where('kind', 'like', 'clock.%')
    .orderBy([{ column: 'at' }, { column: 'id' }]).select('kind', 'at', 'details') as { kind: string; at: unknown; details: string | null }[];
  return rows.map((r) => ({ kind: r.kind, at: dateOf(r.at) as Date, details: r.details ? JSON.parse(r.details) as Record<string, unknown> : {} }));
}

/** The working calendar of a case's district. */
export async function calendarOf(db: Knex, districtCode: string | null | undefined): Promise<WorkingCalendar> {
  const calendar = (await activeDefinitions(db)).forDistrict(districtCode)?.calendar();
  if (!calendar) throw new Error(`No working calendar in the active definitions of district ${districtCode ?? '(none)'}`);
  return calendar;
}

/** The clock of a case, its events and its calendar; null when its clock never started. */
export interface CaseClock {
  state: ClockState;
  events: ClockEvent[];
  calendar: WorkingCalendar;
  /** The details of the last (re)start: limit, tier, handling level. */
  start: Record<string, unknown>;
}

/**
 * The clock of a case as of `now`, with `pending` rows not yet in the timeline appended (the event a
 * caller is about to record in its own transaction); null when the clock never started.
 */
export async function caseClock(db: Knex, caseId: string, now: Date, pending: readonly ClockRow[] = []): Promise<CaseClock | null> {
  const row = await db('cases').where({ id: caseId }).first('district_code') as { district_code: string | null } | undefined;
  if (!row) return null;
  const rows = [...await clockRows(db, caseId), ...pending];
  const events = clockEventsOf(rows);
  if (events[0]?.kind !== 'started') return null;
  const calendar = await calendarOf(db, row.district_code);
  const start = [...rows].reverse().find((r) => r.kind === 'clock.started' || r.kind === 'clock.restarted')?.details ?? {};
  return { state: clockState(calendar, events, now, defaultWarningPolicy), events, calendar, start };
}

/** The timer dates of a clock: the deadline, and the warning (yellow, else the deadline itself). */
export function timerDatesOf(state: ClockState): { dueAt: Date | null; warnAt: Date | null } {
  return { dueAt: state.dueAt, warnAt: state.yellowAt ?? state.dueAt };
}
