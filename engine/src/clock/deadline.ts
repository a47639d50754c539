/**
 * Deadlines of time limits on a working calendar.
 *
 * - urgent: `amount` continuous hours.
 * - workHours: `amount` hours counted only inside the work periods of working days.
 * - workDays: `amount` × the work-day length (8 h) of work time, so 10:00 + 1 work-day is 10:00 of the next
 *   working day. Outside work time the count begins at the next work period; a deadline that uses up a
 *   period ends at its end (Friday 19:00 + 1 work-day is Monday 18:00, the same work time as Tuesday 08:00).
 * - naturalDays: `amount` × 24 h of the calendar's wall clock: due at the same local time `amount` calendar
 *   days later, whatever the weekday or holiday (Friday 19:00 + 3 natural days is Monday 19:00); a
 *   fraction adds that part of 24 wall-clock hours.
 * Days of a year the calendar does not define count by weekday; results then say calendarCoverage 'assumed'.
 */
import type { TimeLimit, TimeLimitStage, TimeLimitType } from '../definitions/model.ts';
import { checkInstant, checkLimit, checkStages, checkType } from './limit-validation.ts';
import { addMeasure, measureBetween, measureOf, unitMs, type ClockContext, type TimeMeasure } from './work-time.ts';
import { asCompiledCalendar, type CalendarCoverage, type CalendarInput } from './working-calendar.ts';

/** A limit's type and amount (a TimeLimit without stages, or an extension). */
export type LimitAmount = Pick<TimeLimit, 'type' | 'amount'>;

/** Which years a result relied on: 'assumed' (listing assumedYears) when the calendar lacked one. */
export interface CoverageReport {
  calendarCoverage: CalendarCoverage;
  /** Years the calendar does not define whose days counted by the weekday rule, ascending. */
  assumedYears: number[];
}

/** The due instant of a limit. */
export interface Deadline extends CoverageReport {
  dueAt: Date;
}

/** Time elapsed between two instants, measured as a limit type measures it. */
export interface Elapsed extends CoverageReport {
  /** In the type's unit: hours (urgent, workHours), work-days (workDays) or days (naturalDays). */
  amount: number;
  /** In milliseconds of the type's measure (work time, continuous time or wall-clock time). */
  ms: number;
  measure: TimeMeasure;
}

/** The planned deadline of one stage of a staged limit. */
export interface StageDeadline {
  name: string;
  type: TimeLimitType;
  amount: number;
  startsAt: Date;
  dueAt: Date;
}

/** The planned deadlines of a staged limit, each stage starting at the previous one's deadline. */
export interface StagedDeadlines extends CoverageReport {
  stages: StageDeadline[];
}

/** A fresh computation context for a calendar. */
export function clockContext(calendar: CalendarInput): ClockContext {
  return { calendar: asCompiledCalendar(calendar), assumedYears: new Set() };
}

/** The coverage report of a context after its computations. */
export function coverageOf(ctx: ClockContext): CoverageReport {
  const assumedYears = [...ctx.assumedYears].sort((a, b) => a - b);
  return { calendarCoverage: assumedYears.length > 0 ? 'assumed' : 'covered', assumedYears };
}

/** The instant a time limit started at `start` is due (see the module comment for each type). */
export function addTimeLimit(calendar: CalendarInput, start: Date, limit: LimitAmount): Deadline {
  const from = checkInstant(start, 'start');
  checkLimit(limit, 'limit');
  const ctx = clockContext(calendar);
  const due = addMeasure(ctx, from, limit.amount * unitMs(ctx.calendar, limit.type), limit.type);
  return { dueAt: new Date(due), ...coverageOf(ctx) };
}

/** Time from `from` to `to` in the limit type's measure and unit (negative when `to` is earlier). */
export function workTimeBetween(calendar: CalendarInput, from: Date, to: Date, type: TimeLimitType): Elapsed {
  const [start, end] = [checkInstant(from, 'from'), checkInstant(to, 'to')];
  checkType(type, 'type');
  const ctx = clockContext(calendar);
  const ms = measureBetween(ctx, start, end, type);
  return { amount: ms / unitMs(ctx.calendar, type), ms, measure: measureOf(type), ...coverageOf(ctx) };
}

/** Planned deadlines of stages run in order from `start`: each stage starts when the previous one is due. */
export function stageDeadlines(calendar: CalendarInput, start: Date, stages: readonly TimeLimitStage[]): StagedDeadlines {
  let from = checkInstant(start, 'start');
  checkStages(stages, 'stages');
  const ctx = clockContext(calendar);
  const planned = stages.map((stage) => {
    const due = addMeasure(ctx, from, stage.amount * unitMs(ctx.calendar, stage.type), stage.type);
    const planned: StageDeadline = { name: stage.name, type: stage.type, amount: stage.amount, startsAt: new Date(from), dueAt: new Date(due) };
    from = due;
    return planned;
  });
  return { stages: planned, ...coverageOf(ctx) };
}
