/**
 * Time arithmetic of the four limit types on instants (milliseconds since the epoch): work time walks the
 * calendar's work periods on the local wall clock, urgent time is continuous, natural days are wall-clock days.
 * Work time is counted in wall-clock minutes: a DST change inside a work period (none in Asia/Shanghai,
 * and rare anywhere since changes happen at night) is not corrected for.
 */
import type { TimeLimitType } from '../definitions/model.ts';
import { UnexpectedError, UserError } from '../errors.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, yearOfDay } from './local-time.ts';
import type { CompiledCalendar, WorkPeriod } from './working-calendar.ts';

/** How a limit type measures time: work periods of working days, continuous time, or wall-clock time. */
export type TimeMeasure = 'workTime' | 'continuous' | 'wallClock';

/** The calendar of one computation and the years it had to assume (collected for calendarCoverage). */
export interface ClockContext {
  readonly calendar: CompiledCalendar;
  readonly assumedYears: Set<number>;
}

/** The longest walk through the calendar, in days, before a limit is refused as absurd (about 100 years). */
const maxDays = 36_600;

/** The measure of a limit type. */
export function measureOf(type: TimeLimitType): TimeMeasure {
  if (type === 'urgent') return 'continuous';
  return type === 'naturalDays' ? 'wallClock' : 'workTime';
}

/** Milliseconds (of the type's measure) in one unit of a limit type: hour, work-hour, work-day or day. */
export function unitMs(calendar: CompiledCalendar, type: TimeLimitType): number {
  if (type === 'workDays') return calendar.workDayMinutes * MINUTE_MS;
  return type === 'naturalDays' ? DAY_MS : HOUR_MS;
}

/** The instant at which `ms` of the type's measure have passed since `start` (ms ≥ 0 for work time). */
export function addMeasure(ctx: ClockContext, start: number, ms: number, type: TimeLimitType): number {
  const measure = measureOf(type);
  if (measure === 'continuous') return start + ms;
  const zone = ctx.calendar.zone;
  if (measure === 'wallClock') return zone.toInstant(zone.toLocal(start) + ms);
  if (ms < 0) throw new UnexpectedError(`cannot add negative work time (${ms} ms)`);
  return zone.toInstant(addWorkTime(ctx, zone.toLocal(start), ms));
}

/** The type's measure of the time from `from` to `to`, negative when `to` is earlier. */
export function measureBetween(ctx: ClockContext, from: number, to: number, type: TimeLimitType): number {
  const measure = measureOf(type);
  if (measure === 'continuous') return to - from;
  const zone = ctx.calendar.zone;
  if (measure === 'wallClock') return zone.toLocal(to) - zone.toLocal(from);
  if (to < from) return -workTimeBetween(ctx, zone.toLocal(to), zone.toLocal(from));
  return workTimeBetween(ctx, zone.toLocal(from), zone.toLocal(to));
}

/** Work periods of a day number in local milliseconds, noting a year the calendar had to assume. */
function workPeriodsOn(ctx: ClockContext, day: number): readonly WorkPeriod[] {
  const info = ctx.calendar.day(day);
  if (info.coverage === 'assumed') ctx.assumedYears.add(yearOfDay(day));
  return info.periods;
}

/**
 * The first local time at which `ms` of work time have passed since `fromLocal`. Outside work time the
 * count begins at the next work period; a due time that exhausts a period ends there, not at the next start.
 */
function addWorkTime(ctx: ClockContext, fromLocal: number, ms: number): number {
  let left = ms;
  const firstDay = Math.floor(fromLocal / DAY_MS);
  for (let day = firstDay; day < firstDay + maxDays; day++) {
    for (const period of workPeriodsOn(ctx, day)) {
      const start = day * DAY_MS + period.start * MINUTE_MS;
      const end = day * DAY_MS + period.end * MINUTE_MS;
      if (end < fromLocal) continue;
      const from = Math.max(fromLocal, start);
      if (left <= end - from) return from + left;
      left -= end - from;
    }
  }
  throw tooLong(ms);
}

/** Work time between two local times, fromLocal ≤ toLocal. */
function workTimeBetween(ctx: ClockContext, fromLocal: number, toLocal: number): number {
  let total = 0;
  const firstDay = Math.floor(fromLocal / DAY_MS);
  if (toLocal - fromLocal > maxDays * DAY_MS) throw tooLong(toLocal - fromLocal);
  for (let day = firstDay; day * DAY_MS < toLocal; day++) {
    for (const period of workPeriodsOn(ctx, day)) {
      const start = Math.max(fromLocal, day * DAY_MS + period.start * MINUTE_MS);
      const end = Math.min(toLocal, day * DAY_MS + period.end * MINUTE_MS);
      if (end > start) total += end - start;
    }
  }
  return total;
}

function tooLong(ms: number): UserError {
  const hours = Math.round(ms / HOUR_MS);
  return new UserError('engine.clock.limitTooLong', {
    'zh-CN': `时限过长（约 ${hours} 小时），超出了工作日历能推算的范围（约 100 年）`,
    en: `The time limit is too long (about ${hours} hours): beyond what the working calendar can count (about 100 years)`,
  });
}
