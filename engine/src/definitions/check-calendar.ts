/** Cross-checks of the working calendar and the assessment profile. */
import type { CheckContext } from './check-context.ts';
import { indexUnique } from './check-context.ts';

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const isRealDate = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
};
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** Checks work periods, holiday and make-up dates. */
export function checkCalendar(ctx: CheckContext): void {
  const calendar = ctx.data.calendar;
  if (!calendar) return;
  let lastEnd = -1;
  calendar.workHours.forEach((period, i) => {
    const start = toMinutes(period.start);
    const end = toMinutes(period.end);
    if (end <= start || start < lastEnd) ctx.problems.error('calendar.workHours', ctx.at('calendar', `/workHours/${i}`), period);
    lastEnd = Math.max(lastEnd, end);
  });
  indexUnique(ctx, 'calendar', '/years', calendar.years, (y) => String(y.year), { 'zh-CN': '年度日历', en: 'calendar year' });
  calendar.years.forEach((y, i) => {
    const holidayDates = new Set<string>();
    const checkDate = (date: string, pointer: string) => {
      if (!isRealDate(date)) ctx.problems.error('calendar.invalidDate', ctx.at('calendar', pointer), { date });
      else if (!date.startsWith(`${y.year}-`)) ctx.problems.error('calendar.wrongYear', ctx.at('calendar', pointer), { date, year: y.year });
    };
    (y.holidays ?? []).forEach((h, j) => h.dates.forEach((date, k) => {
      checkDate(date, `/years/${i}/holidays/${j}/dates/${k}`);
      holidayDates.add(date);
    }));
    (y.workdays ?? []).forEach((w, j) => {
      const pointer = `/years/${i}/workdays/${j}/date`;
      checkDate(w.date, pointer);
      if (holidayDates.has(w.date)) ctx.problems.error('calendar.holidayAndWorkday', ctx.at('calendar', pointer), { date: w.date });
      else if (isRealDate(w.date) && weekday(w.date) !== 0 && weekday(w.date) !== 6) {
        ctx.problems.warn('calendar.workdayNotWeekend', ctx.at('calendar', pointer), { date: w.date });
      }
    });
  });
}

/** Checks indicator codes, that weights add up to 100, and that bands descend to 0. */
export function checkAssessment(ctx: CheckContext): void {
  const profile = ctx.data.assessment;
  if (!profile) return;
  indexUnique(ctx, 'assessment', '/indicators', profile.indicators, (x) => x.code, { 'zh-CN': '考核指标', en: 'indicator' });
  const sum = profile.indicators.reduce((total, x) => total + x.weight, 0);
  if (Math.abs(sum - 100) > 1e-9) ctx.problems.error('assessment.weights', ctx.at('assessment', '/indicators'), { sum });
  const mins = profile.bands.map((b) => b.min);
  const descending = mins.every((v, i) => i === 0 || v < (mins[i - 1] as number));
  if (!descending || mins[mins.length - 1] !== 0) ctx.problems.error('assessment.bands', ctx.at('assessment', '/bands'));
}
