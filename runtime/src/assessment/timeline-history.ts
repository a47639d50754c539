/**
 * The assessment core's case history from what GridFlow records: the `cases` table (place, event
 * type, channel, 自行处置), the case timeline (`case_events`) and the values each step's form submitted
 * (`form_submissions`), with deadlines from the active definitions (time limits, working calendar).
 * Every case reported before the period's end counts, except cases merged into another and cases
 * ended before the period began (nothing of them can count in it).
 */
import type { Knex } from 'knex';
import { compileCalendar } from '@gridflow/engine';
import type { CaseEvent, CompiledCalendar } from '@gridflow/engine';
import { dateOf } from '../db/values.ts';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import type { ActiveDefinitions } from '../definitions/active-definitions.ts';
import { handlingLimit, isUrgent } from '../clock/handling-limit.ts';
import { buildCaseHistory } from './case-history-builder.ts';
import type { CaseRules, TimelineCase, TimelineEvent } from './case-history-builder.ts';

/** The history of a period and how many cases could not be placed in it. */
export interface TimelineHistory {
  history: CaseEvent[];
  /** Cases left out: no place or event type, or one the active definitions do not know. */
  skippedCases: number;
}

/** Timeline kinds assessment reads. */
const KINDS = ['case.reported', 'step.arrived', 'step.completed', 'task.return', 'clock.paused', 'clock.resumed', 'clock.extended'];

type Row = Record<string, unknown>;
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const json = (v: unknown): Record<string, unknown> => {
  if (typeof v !== 'string' || v === '') return {};
  const parsed = JSON.parse(v) as unknown;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {};
};

/** The case history of every case that may count in [from, to). */
export async function timelineHistory(db: Knex, period: { from: Date; to: Date }): Promise<TimelineHistory> {
  const inPeriod = (q: Knex.QueryBuilder) => q.where('c.created_at', '<', period.to).whereNull('c.merged_into')
    .where((w) => w.whereNull('c.ended_at').orWhere('c.ended_at', '>=', period.from));
  const cases = await inPeriod(db('cases as c')).orderBy([{ column: 'c.created_at' }, { column: 'c.id' }])
    .select('c.id', 'c.event_type', 'c.grid_code', 'c.community_code', 'c.street_code', 'c.district_code', 'c.channel', 'c.start_variables', 'c.created_at') as Row[];
  const events = await inPeriod(db('case_events as e').join('cases as c', 'c.id', 'e.case_id')).leftJoin('users as u', 'u.id', 'e.actor_id')
    .where('e.at', '<', period.to).whereIn('e.kind', KINDS).orderBy([{ column: 'e.case_id' }, { column: 'e.at' }, { column: 'e.id' }])
    .select('e.case_id', 'e.kind', 'e.at', 'e.actor_username', 'e.step', 'e.task_id', 'e.opinion', 'e.details', 'u.department_code') as Row[];
  const values = await submittedValues(db, inPeriod);
  const byCase = new Map<string, TimelineEvent[]>();
  for (const r of events) {
    const list = byCase.get(String(r.case_id)) ?? [];
    list.push({
      kind: String(r.kind), at: dateOf(r.at) as Date, actor: text(r.actor_username), actorDepartment: text(r.department_code), step: text(r.step),
      opinion: text(r.opinion), details: json(r.details), values: r.kind === 'step.completed' && r.task_id ? values.get(String(r.task_id)) ?? {} : {},
    });
    byCase.set(String(r.case_id), list);
  }
  const rules = new RuleBook(await activeDefinitions(db), await gridWorkers(db));
  const history: CaseEvent[] = [];
  let skippedCases = 0;
  for (const row of cases) {
    const c = timelineCase(row);
    const timeline = byCase.get(String(row.id)) ?? [];
    const caseRules = c && rules.of(c, text(row.district_code), timeline);
    if (!c || !caseRules) {
      skippedCases++;
      continue;
    }
    history.push(...buildCaseHistory(c, timeline, caseRules));
  }
  return { history, skippedCases };
}

/** The values each completed step submitted (the accepted submission of its task), by task id. */
async function submittedValues(db: Knex, inPeriod: (q: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<Map<string, Record<string, unknown>>> {
  const rows = await inPeriod(db('form_submissions as s').join('cases as c', 'c.id', 's.case_id')).where('s.status', 'accepted')
    .orderBy([{ column: 's.settled_at' }, { column: 's.created_at' }]).select('s.task_id', 's.case_values') as Row[];
  const out = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const set = json(r.case_values).set;
    out.set(String(r.task_id), typeof set === 'object' && set !== null ? set as Record<string, unknown> : {});
  }
  return out;
}

/** The active grid workers of every grid, by username. */
async function gridWorkers(db: Knex): Promise<Map<string, string[]>> {
  const rows = await db('user_grids as g').join('users as u', 'u.id', 'g.user_id').join('user_roles as r', 'r.user_id', 'u.id')
    .where({ 'r.role_code': 'grid-worker', 'u.status': 'active' }).orderBy('u.username').select('g.grid_code', 'u.username') as { grid_code: string; username: string }[];
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.grid_code, [...(out.get(r.grid_code) ?? []), r.username]);
  return out;
}

function timelineCase(r: Row): TimelineCase | undefined {
  const [eventType, grid, community, street] = [text(r.event_type), text(r.grid_code), text(r.community_code), text(r.street_code)];
  if (!eventType || !grid || !community || !street) return undefined;
  const start = json(r.start_variables);
  return {
    id: String(r.id), eventType, grid, community, street, channel: text(r.channel), selfHandled: start.selfHandled === true, urgent: isUrgent(start.urgent),
    createdAt: dateOf(r.created_at) as Date,
  };
}

/** The rules of each case from the definitions of its district (calendars compiled once). */
class RuleBook {
  private readonly calendars = new Map<string, CompiledCalendar>();

  constructor(private readonly definitions: ActiveDefinitions, private readonly workers: Map<string, string[]>) {}

  of(c: TimelineCase, district: string | null, timeline: TimelineEvent[]): CaseRules | undefined {
    const defs = this.definitions.forDistrict(district);
    const calendar = defs?.calendar();
    const place = { gridCode: c.grid, communityCode: c.community, streetCode: c.street };
    const limitOf = (eventType: string, urgent: boolean) => (defs ? handlingLimit(defs, eventType, place, urgent)?.limit : undefined);
    if (!defs || !calendar || !limitOf(c.eventType, c.urgent)) return undefined;
    let compiled = this.calendars.get(defs.key);
    if (!compiled) {
      compiled = compileCalendar(calendar);
      this.calendars.set(defs.key, compiled);
    }
    const reporter = c.channel === 'grid' ? timeline.find((e) => e.kind === 'case.reported')?.actor : undefined;
    const gridWorker = reporter ?? this.workers.get(c.grid)?.[0] ?? `grid:${c.grid}`;
    return { calendar: compiled, handlingLimit: limitOf, gridWorker };
  }
}
