import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError, compileCalendar } from '../../src/index.ts';
import { calendar, standardCalendar } from './clock-fixtures.ts';

describe('working calendar', () => {
  it('given the standard calendar, when compiled, then a work-day is the sum of its work periods (8 h)', () => {
    assert.equal(calendar.timezone, 'Asia/Shanghai');
    assert.equal(calendar.workDayMinutes, 480);
    assert.deepEqual(calendar.periods, [{ start: 480, end: 720 }, { start: 840, end: 1080 }]);
    assert.deepEqual(calendar.years, [2026]);
  });

  const days: [string, boolean, string, string?][] = [
    ['2026-03-10', true, 'weekday'],
    ['2026-03-07', false, 'weekend'],
    ['2026-03-08', false, 'weekend'],
    ['2026-10-01', false, 'holiday', '国庆节'],
    ['2026-10-07', false, 'holiday', '国庆节'],
    ['2026-10-08', true, 'weekday'],
    ['2026-09-20', true, 'makeUpWorkday', '国庆节调休'],
    ['2026-10-10', true, 'makeUpWorkday', '国庆节调休'],
    ['2026-10-11', false, 'weekend'],
    ['2026-02-14', true, 'makeUpWorkday', '春节调休'],
    ['2026-02-16', false, 'holiday', '春节'],
    ['2026-09-25', false, 'holiday', '中秋节'],
  ];
  for (const [date, working, reason, name] of days) {
    it(`given ${date}, when looked up, then it is ${working ? 'a working day' : 'a rest day'} (${reason})`, () => {
      const day = calendar.dayInfo(date);
      assert.equal(calendar.isWorkingDay(date), working);
      assert.equal(day.reason, reason);
      assert.equal(day.name, name);
      assert.equal(day.coverage, 'covered');
      assert.equal(calendar.workPeriods(date).length, working ? 2 : 0);
    });
  }

  it('given a year the calendar lacks, when looked up, then weekdays work, weekends rest, and coverage says assumed', () => {
    assert.deepEqual(calendar.dayInfo('2027-01-01'), { working: true, reason: 'weekday', coverage: 'assumed', periods: calendar.periods });
    assert.equal(calendar.dayInfo('2027-01-02').working, false);
    assert.equal(calendar.dayInfo('2027-01-02').coverage, 'assumed');
    assert.equal(calendar.dayInfo('2025-12-31').coverage, 'assumed');
  });

  it('given work hours out of order, when compiled, then the periods are sorted', () => {
    const compiled = compileCalendar({ ...standardCalendar, workHours: [{ start: '14:00', end: '18:00' }, { start: '08:00', end: '12:00' }] });
    assert.deepEqual(compiled.periods, [{ start: 480, end: 720 }, { start: 840, end: 1080 }]);
  });

  it('given a period ending at 24:00, when compiled, then it counts to midnight', () => {
    const compiled = compileCalendar({ timezone: 'UTC', workHours: [{ start: '20:00', end: '24:00' }], years: [] });
    assert.equal(compiled.workDayMinutes, 240);
  });

  it('given a malformed date, when looked up, then a UserError names the date', () => {
    assert.throws(() => calendar.isWorkingDay('2026/10/01'), (e: unknown) => e instanceof UserError && e.code === 'engine.calendar.badDate' && /2026\/10\/01/.test(e.message));
  });

  it('given a compiled calendar, when used, then it cannot be changed', () => {
    assert.ok(Object.isFrozen(calendar));
    assert.ok(Object.isFrozen(calendar.periods));
  });
});
