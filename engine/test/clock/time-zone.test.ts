import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addTimeLimit, compileCalendar, workTimeBetween, type WorkingCalendar } from '../../src/index.ts';
import { createTimeZone } from '../../src/clock/time-zone.ts';
import { at } from './clock-fixtures.ts';

const berlin: WorkingCalendar = { timezone: 'Europe/Berlin', workHours: [{ start: '09:00', end: '17:00' }], years: [] };

describe('time zones', () => {
  it('given Asia/Shanghai, when converting, then local time is UTC+8 all year', () => {
    const zone = createTimeZone('Asia/Shanghai');
    for (const iso of ['2026-01-15T12:00Z', '2026-07-15T12:00Z']) {
      const instant = Date.parse(iso);
      assert.equal(zone.toLocal(instant) - instant, 8 * 3_600_000);
      assert.equal(zone.toInstant(zone.toLocal(instant)), instant);
    }
  });

  it('given Europe/Berlin, when converting across daylight saving time, then the offset follows the season', () => {
    const zone = createTimeZone('Europe/Berlin');
    assert.equal(zone.toInstant(Date.parse('2026-03-28T10:00Z')), Date.parse('2026-03-28T09:00Z'));
    assert.equal(zone.toInstant(Date.parse('2026-03-30T10:00Z')), Date.parse('2026-03-30T08:00Z'));
  });

  it('given a wall time skipped by the spring gap, when converted, then it moves forward by the gap', () => {
    const zone = createTimeZone('Europe/Berlin');
    assert.equal(zone.toInstant(Date.parse('2026-03-29T02:30Z')), Date.parse('2026-03-29T01:30Z'));
  });

  it('given a Berlin calendar, when a work-hour limit crosses the DST change, then work periods stay at 09:00–17:00 local', () => {
    const due = addTimeLimit(berlin, at('2026-03-27T16:00+01:00'), { type: 'workHours', amount: 2 });
    assert.equal(due.dueAt.toISOString(), '2026-03-30T08:00:00.000Z', 'Monday 10:00 CEST');
    assert.equal(due.calendarCoverage, 'assumed', 'the calendar defines no year');
  });

  it('given a Berlin calendar, when a natural day spans the DST change, then it ends at the same local time (23 hours later)', () => {
    const due = addTimeLimit(berlin, at('2026-03-28T10:00+01:00'), { type: 'naturalDays', amount: 1 });
    assert.equal(due.dueAt.toISOString(), '2026-03-29T08:00:00.000Z');
    assert.equal(workTimeBetween(berlin, at('2026-03-28T10:00+01:00'), due.dueAt, 'urgent').amount, 23);
  });

  it('given America/New_York, when a work-day is added, then it follows the local wall clock', () => {
    const compiled = compileCalendar({ timezone: 'America/New_York', workHours: [{ start: '09:00', end: '17:00' }], years: [{ year: 2026 }] });
    const due = addTimeLimit(compiled, at('2026-07-03T15:00-04:00'), { type: 'workDays', amount: 1 });
    assert.equal(due.dueAt.toISOString(), '2026-07-06T19:00:00.000Z', 'Monday 15:00 EDT');
    assert.equal(due.calendarCoverage, 'covered');
  });
});
