/**
 * Validation of a working calendar before it is compiled: every problem is reported with the path of the
 * field it is about (`workHours[1].end`, `years[0].holidays[2].dates[1]`), all at once.
 */
import { UserError } from '../errors.ts';
import type { LocalizedText } from '../i18n/localized-text.ts';
import type { WorkingCalendar } from '../definitions/model.ts';
import { DAY_MS, formatClockTime, parseClockTime, parseLocalDate } from './local-time.ts';
import { isTimeZoneName } from './time-zone.ts';

/** One problem of a working calendar: the path of the field and what is wrong with it. */
export interface CalendarProblem {
  path: string;
  message: LocalizedText;
}

type Out = CalendarProblem[];
type Dated = { path: string; as: 'holiday' | 'workday' };

const problem = (out: Out, path: string, en: string, zh: string) => out.push({ path, message: { 'zh-CN': zh, en } });
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const shown = (value: unknown) => JSON.stringify(value) ?? String(value);

/** Every problem of a working calendar; an empty list means it can be compiled. */
export function calendarProblems(calendar: unknown): CalendarProblem[] {
  const out: Out = [];
  if (!isRecord(calendar)) {
    problem(out, '(calendar)', 'the working calendar must be an object', '工作日历必须是一个对象');
    return out;
  }
  checkTimezone(calendar.timezone, out);
  checkWorkHours(calendar.workHours, out);
  checkYears(calendar.years, out);
  return out;
}

/** Throws a UserError (code engine.calendar.invalid) naming every problem of the calendar, if any. */
export function assertValidCalendar(calendar: unknown): asserts calendar is WorkingCalendar {
  const problems = calendarProblems(calendar);
  if (problems.length === 0) return;
  const list = (locale: 'zh-CN' | 'en') => problems.map((p) => `${p.path}: ${p.message[locale]}`).join('; ');
  throw new UserError('engine.calendar.invalid', {
    'zh-CN': `工作日历有误：${list('zh-CN')}`,
    en: `The working calendar is invalid: ${list('en')}`,
  }, { details: problems.map((p) => ({ target: p.path, where: pointerOf(p.path), message: p.message })) });
}

/** The JSON pointer of a field path: workHours[1].end → /workHours/1/end. */
function pointerOf(path: string): string {
  if (path === '(calendar)') return '';
  return '/' + path.replace(/\[(\d+)\]/g, '.$1').split('.').join('/');
}

function checkTimezone(timezone: unknown, out: Out): void {
  if (typeof timezone !== 'string' || timezone.trim() === '') {
    problem(out, 'timezone', 'must be an IANA time zone name such as Asia/Shanghai', '必须是 IANA 时区名称，例如 Asia/Shanghai');
  } else if (!isTimeZoneName(timezone)) {
    problem(out, 'timezone', `unknown time zone ${shown(timezone)}`, `未知时区 ${shown(timezone)}`);
  }
}

function checkWorkHours(workHours: unknown, out: Out): void {
  if (!Array.isArray(workHours) || workHours.length === 0) {
    problem(out, 'workHours', 'must list at least one work period { start, end }', '至少要有一个工作时段 { start, end }');
    return;
  }
  const periods: { path: string; start: number; end: number }[] = [];
  workHours.forEach((item: unknown, i) => {
    const path = `workHours[${i}]`;
    const record = isRecord(item) ? item : {};
    const start = parseClockTime(record.start);
    const end = parseClockTime(record.end);
    if (start === undefined || start === 24 * 60) problem(out, `${path}.start`, `${shown(record.start)} is not a time HH:MM (00:00–23:59)`, `${shown(record.start)} 不是 HH:MM 格式的时间（00:00–23:59）`);
    if (end === undefined) problem(out, `${path}.end`, `${shown(record.end)} is not a time HH:MM (00:00–24:00)`, `${shown(record.end)} 不是 HH:MM 格式的时间（00:00–24:00）`);
    if (start === undefined || end === undefined) return;
    if (end <= start) problem(out, path, `end ${formatClockTime(end)} is not after start ${formatClockTime(start)}`, `结束时间 ${formatClockTime(end)} 不晚于开始时间 ${formatClockTime(start)}`);
    else periods.push({ path, start, end });
  });
  checkOverlaps(periods, out);
}

function checkOverlaps(periods: { path: string; start: number; end: number }[], out: Out): void {
  const sorted = [...periods].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const [before, after] = [sorted[i - 1]!, sorted[i]!];
    if (after.start >= before.end) continue;
    const range = (p: { start: number; end: number }) => `${formatClockTime(p.start)}–${formatClockTime(p.end)}`;
    problem(out, after.path, `${range(after)} overlaps ${before.path} ${range(before)}`, `${range(after)} 与 ${before.path} ${range(before)} 重叠`);
  }
}

function checkYears(years: unknown, out: Out): void {
  if (!Array.isArray(years)) {
    problem(out, 'years', 'must be a list of years (it may be empty)', '必须是年份列表（可以为空）');
    return;
  }
  const yearPaths = new Map<number, string>();
  const dated = new Map<number, Dated>();
  years.forEach((entry: unknown, i) => {
    const path = `years[${i}]`;
    const record = isRecord(entry) ? entry : {};
    const year = record.year;
    if (typeof year !== 'number' || !Number.isInteger(year) || year < 1970 || year > 9999) {
      problem(out, `${path}.year`, `${shown(year)} is not a year (an integer from 1970)`, `${shown(year)} 不是有效年份（1970 年及以后的整数）`);
      return;
    }
    const twin = yearPaths.get(year);
    if (twin) problem(out, `${path}.year`, `year ${year} is defined twice (also ${twin})`, `年份 ${year} 重复定义（另见 ${twin}）`);
    yearPaths.set(year, path);
    checkHolidays(record.holidays, `${path}.holidays`, year, dated, out);
    checkWorkdays(record.workdays, `${path}.workdays`, year, dated, out);
  });
}

function checkHolidays(holidays: unknown, path: string, year: number, dated: Map<number, Dated>, out: Out): void {
  if (holidays === undefined) return;
  if (!Array.isArray(holidays)) {
    problem(out, path, 'must be a list of { name, dates }', '必须是 { name, dates } 列表');
    return;
  }
  holidays.forEach((holiday: unknown, h) => {
    const record = isRecord(holiday) ? holiday : {};
    if (typeof record.name !== 'string' || record.name.trim() === '') problem(out, `${path}[${h}].name`, 'the holiday needs a name', '节假日需要名称');
    if (!Array.isArray(record.dates) || record.dates.length === 0) {
      problem(out, `${path}[${h}].dates`, 'must list at least one date YYYY-MM-DD', '至少要有一个日期 YYYY-MM-DD');
      return;
    }
    record.dates.forEach((date: unknown, d) => checkDate(date, `${path}[${h}].dates[${d}]`, 'holiday', year, dated, out));
  });
}

function checkWorkdays(workdays: unknown, path: string, year: number, dated: Map<number, Dated>, out: Out): void {
  if (workdays === undefined) return;
  if (!Array.isArray(workdays)) {
    problem(out, path, 'must be a list of { date, reason }', '必须是 { date, reason } 列表');
    return;
  }
  workdays.forEach((workday: unknown, w) => {
    const record = isRecord(workday) ? workday : {};
    checkDate(record.date, `${path}[${w}].date`, 'workday', year, dated, out);
  });
}

function checkDate(date: unknown, path: string, as: Dated['as'], year: number, dated: Map<number, Dated>, out: Out): void {
  const day = parseLocalDate(date);
  if (day === undefined) {
    problem(out, path, `${shown(date)} is not a date YYYY-MM-DD`, `${shown(date)} 不是 YYYY-MM-DD 格式的日期`);
    return;
  }
  const first = Date.UTC(year, 0, 1) / DAY_MS;
  const last = Date.UTC(year, 11, 31) / DAY_MS;
  if (day < first - 31 || day > last + 31) {
    problem(out, path, `${shown(date)} is not in or next to year ${year}`, `${shown(date)} 不在 ${year} 年内或其前后`);
    return;
  }
  const twin = dated.get(day);
  if (!twin) {
    dated.set(day, { path, as });
  } else if (twin.as === as) {
    problem(out, path, `${shown(date)} is listed twice (also ${twin.path})`, `${shown(date)} 重复列出（另见 ${twin.path}）`);
  } else {
    problem(out, path, `${shown(date)} is both a holiday and a workday (also ${twin.path})`, `${shown(date)} 既是节假日又是调休工作日（另见 ${twin.path}）`);
  }
}
