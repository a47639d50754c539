/**
 * A working calendar compiled into a fast day lookup: statutory holidays, 调休 make-up workdays, and
 * a weekday rule for dates the calendar does not cover (reported as 'assumed', never silently).
 */
import type { WorkingCalendar } from '../definitions/model.ts';
import { assertValidCalendar } from './calendar-validation.ts';
import { MINUTE_MS, isWeekend, parseClockTime, parseLocalDate, yearOfDay } from './local-time.ts';
import { createTimeZone, type TimeZone } from './time-zone.ts';
import { UserError } from '../errors.ts';

/** 'covered' when the calendar defines the dates used; 'assumed' when a year it lacks fell back to weekdays. */
export type CalendarCoverage = 'covered' | 'assumed';

/** A work period of a day in minutes after local midnight: start inclusive, end exclusive. */
export interface WorkPeriod {
  readonly start: number;
  readonly end: number;
}

/** Why a day is a working day or a rest day. */
export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'makeUpWorkday';

/** What the calendar says about one local date. */
export interface CalendarDay {
  readonly working: boolean;
  readonly reason: DayReason;
  readonly coverage: CalendarCoverage;
  /** The holiday's name, or the reason of a make-up workday. */
  readonly name?: string;
  /** The work periods of the day, empty on a rest day. */
  readonly periods: readonly WorkPeriod[];
}

/** A validated working calendar with a fast lookup; build it once with compileCalendar and reuse it. */
export interface CompiledCalendar {
  /** The calendar's IANA time zone; every local date and time is on its wall clock. */
  readonly timezone: string;
  /** Converter between instants and the calendar's wall clock. */
  readonly zone: TimeZone;
  /** The work periods of a working day, sorted. */
  readonly periods: readonly WorkPeriod[];
  /** Length of one work-day in minutes: the sum of the work periods (480 for 08–12 and 14–18). */
  readonly workDayMinutes: number;
  /** The years the calendar defines. */
  readonly years: readonly number[];
  /** The day of a day number (days since 1970-01-01). */
  day(dayNumber: number): CalendarDay;
  /** What the calendar says about a 'YYYY-MM-DD' date. */
  dayInfo(date: string): CalendarDay;
  /** True when the 'YYYY-MM-DD' date is a working day. */
  isWorkingDay(date: string): boolean;
  /** The work periods of a 'YYYY-MM-DD' date, empty on a rest day. */
  workPeriods(date: string): readonly WorkPeriod[];
}

/** A raw working calendar (definitions data, compiled on each call) or one already compiled (reused as is). */
export type CalendarInput = WorkingCalendar | CompiledCalendar;

const compiled = new WeakSet<object>();
const noPeriods: readonly WorkPeriod[] = Object.freeze([]);

/** Validates a working calendar and compiles it; throws a UserError naming every bad field. */
export function compileCalendar(calendar: WorkingCalendar): CompiledCalendar {
  assertValidCalendar(calendar);
  const periods = Object.freeze(calendar.workHours
    .map((p) => ({ start: parseClockTime(p.start)!, end: parseClockTime(p.end)! }))
    .sort((a, b) => a.start - b.start));
  const explicit = explicitDays(calendar, periods);
  const years = new Set(calendar.years.map((y) => y.year));
  const ruleDays = ruleDayTable(periods);
  const day = (dayNumber: number): CalendarDay =>
    explicit.get(dayNumber) ?? ruleDays[`${isWeekend(dayNumber) ? 'weekend' : 'weekday'}-${years.has(yearOfDay(dayNumber)) ? 'covered' : 'assumed'}`]!;
  const dayInfo = (date: string): CalendarDay => day(dayNumberOf(date));
  const result: CompiledCalendar = Object.freeze({
    timezone: calendar.timezone,
    zone: createTimeZone(calendar.timezone),
    periods,
    workDayMinutes: periods.reduce((sum, p) => sum + p.end - p.start, 0),
    years: Object.freeze([...years].sort((a, b) => a - b)),
    day,
    dayInfo,
    isWorkingDay: (date: string) => dayInfo(date).working,
    workPeriods: (date: string) => dayInfo(date).periods,
  });
  compiled.add(result);
  return result;
}

/** The compiled form of a calendar input, compiling (and validating) a raw calendar. */
export function asCompiledCalendar(input: CalendarInput): CompiledCalendar {
  return compiled.has(input) ? (input as CompiledCalendar) : compileCalendar(input as WorkingCalendar);
}

/** Length of one work-day of a calendar in milliseconds. */
export function workDayMs(calendar: CompiledCalendar): number {
  return calendar.workDayMinutes * MINUTE_MS;
}

function explicitDays(calendar: WorkingCalendar, periods: readonly WorkPeriod[]): Map<number, CalendarDay> {
  const days = new Map<number, CalendarDay>();
  for (const year of calendar.years) {
    for (const holiday of year.holidays ?? []) {
      for (const date of holiday.dates) {
        days.set(parseLocalDate(date)!, Object.freeze({ working: false, reason: 'holiday', coverage: 'covered', name: holiday.name, periods: noPeriods }));
      }
    }
    for (const workday of year.workdays ?? []) {
      const day: CalendarDay = { working: true, reason: 'makeUpWorkday', coverage: 'covered', periods };
      days.set(parseLocalDate(workday.date)!, Object.freeze(workday.reason ? { ...day, name: workday.reason } : day));
    }
  }
  return days;
}

function ruleDayTable(periods: readonly WorkPeriod[]): Record<string, CalendarDay> {
  const table: Record<string, CalendarDay> = {};
  for (const coverage of ['covered', 'assumed'] as const) {
    table[`weekday-${coverage}`] = Object.freeze({ working: true, reason: 'weekday', coverage, periods });
    table[`weekend-${coverage}`] = Object.freeze({ working: false, reason: 'weekend', coverage, periods: noPeriods });
  }
  return table;
}

function dayNumberOf(date: string): number {
  const day = parseLocalDate(date);
  if (day !== undefined) return day;
  throw new UserError('engine.calendar.badDate', {
    'zh-CN': `日期 ${JSON.stringify(date)} 不是 YYYY-MM-DD 格式`,
    en: `The date ${JSON.stringify(date)} is not a date YYYY-MM-DD`,
  }, { details: [{ target: 'date', message: { 'zh-CN': '需要 YYYY-MM-DD', en: 'expected YYYY-MM-DD' } }] });
}
