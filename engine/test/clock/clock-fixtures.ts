/** Fixtures of the case clock tests: the standard 2026 calendar, a 2027 variant and instant helpers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { standardPackageDir } from '@gridflow/definitions';
import { compileCalendar, type WorkingCalendar } from '../../src/index.ts';

/** The standard package's working calendar (Asia/Shanghai, 2026 holidays and 调休 workdays). */
export const standardCalendar = parse(readFileSync(join(standardPackageDir, 'calendar.yaml'), 'utf8')) as WorkingCalendar;

/** The standard calendar plus a hypothetical 2027 (元旦 on 2027-01-01..03), built for the year-end tests. */
export const calendarWith2027: WorkingCalendar = {
  ...standardCalendar,
  years: [...standardCalendar.years, { year: 2027, holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }] }],
};

/** The standard calendar, compiled once. */
export const calendar = compileCalendar(standardCalendar);

/** An instant from ISO text with its offset, e.g. '2026-10-09T17:00+08:00'. */
export const at = (iso: string): Date => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`bad instant in a test: ${iso}`);
  return date;
};

/** The instant as Beijing time text 'YYYY-MM-DDTHH:MM+08:00' (seconds shown only when not zero). */
export const beijing = (date: Date | null | undefined): string | null => {
  if (!date) return null;
  const text = new Date(date.getTime() + 8 * 3_600_000).toISOString();
  const seconds = text.slice(16, 23) === ':00.000' ? '' : text.slice(16, 23);
  return `${text.slice(0, 16)}${seconds}+08:00`;
};

/** Minutes as milliseconds. */
export const minutes = (n: number): number => n * 60_000;

/** Hours as milliseconds. */
export const hours = (n: number): number => n * 3_600_000;
