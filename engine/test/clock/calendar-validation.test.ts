import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError, calendarProblems, compileCalendar, type WorkingCalendar } from '../../src/index.ts';
import { standardCalendar } from './clock-fixtures.ts';

const base: WorkingCalendar = {
  timezone: 'Asia/Shanghai',
  workHours: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
  years: [{ year: 2026, holidays: [{ name: '国庆节', dates: ['2026-10-01', '2026-10-02'] }], workdays: [{ date: '2026-10-10', reason: '国庆节调休' }] }],
};

/** The problems of a calendar changed by `edit`, as 'path: message'. */
function problemsOf(edit: (calendar: WorkingCalendar) => void): string[] {
  const calendar = structuredClone(base);
  edit(calendar);
  return calendarProblems(calendar).map((p) => `${p.path}: ${p.message.en}`);
}

describe('working calendar validation', () => {
  it('given the standard calendar, when validated, then there is no problem', () => {
    assert.deepEqual(calendarProblems(standardCalendar), []);
  });

  const cases: [string, (c: WorkingCalendar) => void, string[]][] = [
    ['overlapping work periods', (c) => { c.workHours[1] = { start: '11:00', end: '13:00' }; },
      ['workHours[1]: 11:00–13:00 overlaps workHours[0] 08:00–12:00']],
    ['an end not after the start', (c) => { c.workHours[0] = { start: '12:00', end: '08:00' }; },
      ['workHours[0]: end 08:00 is not after start 12:00']],
    ['an equal start and end', (c) => { c.workHours[0] = { start: '08:00', end: '08:00' }; },
      ['workHours[0]: end 08:00 is not after start 08:00']],
    ['a malformed time', (c) => { c.workHours[1] = { start: '14:00', end: '25:00' }; },
      ['workHours[1].end: "25:00" is not a time HH:MM (00:00–24:00)']],
    ['no work hours', (c) => { c.workHours = []; },
      ['workHours: must list at least one work period { start, end }']],
    ['a date both holiday and workday', (c) => { c.years[0]!.workdays = [{ date: '2026-10-02' }]; },
      ['years[0].workdays[0].date: "2026-10-02" is both a holiday and a workday (also years[0].holidays[0].dates[1])']],
    ['an impossible date', (c) => { c.years[0]!.holidays![0]!.dates = ['2026-02-30']; },
      ['years[0].holidays[0].dates[0]: "2026-02-30" is not a date YYYY-MM-DD']],
    ['a date in another format', (c) => { c.years[0]!.workdays = [{ date: '2026/10/10' }]; },
      ['years[0].workdays[0].date: "2026/10/10" is not a date YYYY-MM-DD']],
    ['a date far from its year', (c) => { c.years[0]!.holidays![0]!.dates = ['2062-10-01']; },
      ['years[0].holidays[0].dates[0]: "2062-10-01" is not in or next to year 2026']],
    ['a date listed twice', (c) => { c.years[0]!.holidays!.push({ name: '又一个', dates: ['2026-10-01'] }); },
      ['years[0].holidays[1].dates[0]: "2026-10-01" is listed twice (also years[0].holidays[0].dates[0])']],
    ['a year defined twice', (c) => { c.years.push({ year: 2026 }); },
      ['years[1].year: year 2026 is defined twice (also years[0])']],
    ['an unknown time zone', (c) => { c.timezone = 'Mars/Olympus'; },
      ['timezone: unknown time zone "Mars/Olympus"']],
    ['a holiday without a name', (c) => { c.years[0]!.holidays![0]!.name = ''; },
      ['years[0].holidays[0].name: the holiday needs a name']],
  ];
  for (const [name, edit, expected] of cases) {
    it(`given ${name}, when validated, then the problem names the field path`, () => {
      assert.deepEqual(problemsOf(edit), expected);
    });
  }

  it('given a holiday of the next year listed with its 元旦 arrangement, when validated, then it is accepted', () => {
    assert.deepEqual(problemsOf((c) => { c.years.push({ year: 2024, holidays: [{ name: '元旦', dates: ['2023-12-30', '2023-12-31', '2024-01-01'] }] }); }), []);
  });

  it('given several problems, when compiled, then one UserError reports every one with its path and JSON pointer', () => {
    const bad = structuredClone(base);
    bad.timezone = '';
    bad.workHours[1] = { start: '11:00', end: '13:00' };
    bad.years[0]!.workdays = [{ date: '2026-10-01' }];
    assert.throws(() => compileCalendar(bad), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.code, 'engine.calendar.invalid');
      assert.equal(e.status, 400);
      assert.deepEqual(e.details.map((d) => [d.target, d.where]), [
        ['timezone', '/timezone'],
        ['workHours[1]', '/workHours/1'],
        ['years[0].workdays[0].date', '/years/0/workdays/0/date'],
      ]);
      assert.match(e.message, /^The working calendar is invalid: timezone: must be an IANA time zone name/);
      assert.match(e.localized['zh-CN'], /工作日历有误/);
      return true;
    });
  });

  it('given something that is not a calendar, when validated, then the problem says so', () => {
    assert.deepEqual(calendarProblems(null).map((p) => p.path), ['(calendar)']);
    assert.deepEqual(calendarProblems({ timezone: 'UTC', workHours: [{ start: '08:00', end: '12:00' }], years: {} }).map((p) => p.path), ['years']);
  });
});
