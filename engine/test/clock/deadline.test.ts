import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError, addTimeLimit, stageDeadlines, workTimeBetween, type TimeLimitType } from '../../src/index.ts';
import { at, beijing, calendar, calendarWith2027, hours, standardCalendar } from './clock-fixtures.ts';

const due = (start: string, type: TimeLimitType, amount: number, cal = calendar) => beijing(addTimeLimit(cal, at(start), { type, amount }).dueAt);

describe('addTimeLimit: work hours', () => {
  const cases: [string, string, number, string][] = [
    ['over lunch', '2026-03-10T11:00+08:00', 2, '2026-03-10T15:00+08:00'],
    ['starting at lunch', '2026-03-10T12:30+08:00', 2, '2026-03-10T16:00+08:00'],
    ['starting at the end of the morning period', '2026-03-10T12:00+08:00', 1, '2026-03-10T15:00+08:00'],
    ['starting before 08:00', '2026-03-10T06:30+08:00', 2, '2026-03-10T10:00+08:00'],
    ['starting after 18:00', '2026-03-10T19:00+08:00', 2, '2026-03-11T10:00+08:00'],
    ['starting on a Friday evening', '2026-03-06T19:00+08:00', 2, '2026-03-09T10:00+08:00'],
    ['ending exactly at the end of a period', '2026-03-10T16:00+08:00', 2, '2026-03-10T18:00+08:00'],
    ['ending exactly at the end of the morning', '2026-03-10T10:00+08:00', 2, '2026-03-10T12:00+08:00'],
    ['with zero hours at lunch', '2026-03-10T12:30+08:00', 0, '2026-03-10T14:00+08:00'],
    ['with half an hour', '2026-03-10T11:45+08:00', 0.5, '2026-03-10T14:15+08:00'],
    ['into the 调休 Saturday 2026-10-10', '2026-10-09T17:00+08:00', 2, '2026-10-10T09:00+08:00'],
    ['into the 调休 Sunday 2026-09-20', '2026-09-19T10:00+08:00', 1, '2026-09-20T09:00+08:00'],
    ['starting inside the 国庆 holiday', '2026-10-03T10:00+08:00', 2, '2026-10-08T10:00+08:00'],
    ['into the 春节 调休 Saturday', '2026-02-13T17:00+08:00', 2, '2026-02-14T09:00+08:00'],
    ['over a Saturday that is not a workday', '2026-10-10T17:00+08:00', 2, '2026-10-12T09:00+08:00'],
  ];
  for (const [name, start, amount, expected] of cases) {
    it(`given ${start} ${name}, when ${amount} work-hours are added, then it is due ${expected}`, () => {
      assert.equal(due(start, 'workHours', amount), expected);
    });
  }
});

describe('addTimeLimit: work days', () => {
  const cases: [string, string, number, string][] = [
    ['reported at 10:00', '2026-03-10T10:00+08:00', 1, '2026-03-11T10:00+08:00'],
    ['reported at 10:00 on a Friday', '2026-03-06T10:00+08:00', 1, '2026-03-09T10:00+08:00'],
    ['reported at 19:00 on a Friday (counts from Monday 08:00)', '2026-03-06T19:00+08:00', 1, '2026-03-09T18:00+08:00'],
    ['reported at 07:00', '2026-03-10T07:00+08:00', 1, '2026-03-10T18:00+08:00'],
    ['across 国庆 (10-01..07)', '2026-09-30T16:00+08:00', 1, '2026-10-08T16:00+08:00'],
    ['across 中秋 (09-25..27)', '2026-09-24T10:00+08:00', 3, '2026-09-30T10:00+08:00'],
    ['through the 调休 Sunday before 中秋', '2026-09-18T10:00+08:00', 1, '2026-09-20T10:00+08:00'],
    ['across 国庆 with its 调休 Saturday', '2026-09-29T10:00+08:00', 5, '2026-10-12T10:00+08:00'],
    ['on the 调休 Saturday itself', '2026-10-10T10:00+08:00', 1, '2026-10-12T10:00+08:00'],
    ['across 春节 (02-15..23) with its 调休 Saturdays', '2026-02-13T10:00+08:00', 3, '2026-02-25T10:00+08:00'],
    ['with half a work-day', '2026-03-10T10:00+08:00', 0.5, '2026-03-10T16:00+08:00'],
  ];
  for (const [name, start, amount, expected] of cases) {
    it(`given ${start} ${name}, when ${amount} work-day(s) are added, then it is due ${expected}`, () => {
      assert.equal(due(start, 'workDays', amount), expected);
    });
  }
});

describe('addTimeLimit: urgent and natural days', () => {
  it('given a Friday 17:00, when 24 urgent hours are added, then it is due Saturday 17:00; 24 work-hours take until Wednesday', () => {
    assert.equal(due('2026-03-06T17:00+08:00', 'urgent', 24), '2026-03-07T17:00+08:00');
    assert.equal(due('2026-03-06T17:00+08:00', 'workHours', 24), '2026-03-11T17:00+08:00');
  });

  it('given an urgent limit over 国庆, when added, then holidays do not matter', () => {
    assert.equal(due('2026-09-30T20:00+08:00', 'urgent', 48), '2026-10-02T20:00+08:00');
    assert.equal(due('2026-09-30T20:00+08:00', 'urgent', 1.5), '2026-09-30T21:30+08:00');
  });

  it('given natural days, when added, then it is due at the same local time that many calendar days later', () => {
    assert.equal(due('2026-03-06T19:00+08:00', 'naturalDays', 3), '2026-03-09T19:00+08:00');
    assert.equal(due('2026-09-30T10:00+08:00', 'naturalDays', 7), '2026-10-07T10:00+08:00');
    assert.equal(due('2026-12-31T23:30+08:00', 'naturalDays', 1), '2027-01-01T23:30+08:00');
    assert.equal(due('2026-03-06T19:00+08:00', 'naturalDays', 0.5), '2026-03-07T07:00+08:00');
  });

  it('given urgent or natural-day limits into a year the calendar lacks, when added, then coverage stays covered (no holiday is consulted)', () => {
    const result = addTimeLimit(calendar, at('2026-12-31T10:00+08:00'), { type: 'naturalDays', amount: 5 });
    assert.deepEqual([result.calendarCoverage, result.assumedYears], ['covered', []]);
  });
});

describe('addTimeLimit: across the year end', () => {
  it('given 2026-12-31 16:00 and a calendar without 2027, when 1 work-day is added, then 2027-01-01 counts as a weekday and coverage is assumed', () => {
    const result = addTimeLimit(standardCalendar, at('2026-12-31T16:00+08:00'), { type: 'workDays', amount: 1 });
    assert.equal(beijing(result.dueAt), '2027-01-01T16:00+08:00');
    assert.equal(result.calendarCoverage, 'assumed');
    assert.deepEqual(result.assumedYears, [2027]);
  });

  it('given a calendar that includes 2027, when 1 work-day is added, then 元旦 2027 is skipped and coverage is covered', () => {
    const result = addTimeLimit(calendarWith2027, at('2026-12-31T16:00+08:00'), { type: 'workDays', amount: 1 });
    assert.equal(beijing(result.dueAt), '2027-01-04T16:00+08:00');
    assert.deepEqual([result.calendarCoverage, result.assumedYears], ['covered', []]);
  });

  it('given a limit that ends before the year does, when added, then no assumption is reported', () => {
    const result = addTimeLimit(calendar, at('2026-12-31T10:00+08:00'), { type: 'workHours', amount: 2 });
    assert.deepEqual([beijing(result.dueAt), result.calendarCoverage], ['2026-12-31T12:00+08:00', 'covered']);
  });

  it('given a start in 2025, which the calendar lacks, when added, then 2025 is reported as assumed', () => {
    const result = addTimeLimit(calendar, at('2025-12-31T17:00+08:00'), { type: 'workHours', amount: 2 });
    assert.equal(beijing(result.dueAt), '2026-01-04T09:00+08:00', '元旦 01-01..03 then the 调休 Sunday 01-04');
    assert.deepEqual(result.assumedYears, [2025]);
  });
});

describe('workTimeBetween', () => {
  const between = (from: string, to: string, type: TimeLimitType) => workTimeBetween(calendar, at(from), at(to), type);

  it('given 11:00 and 15:00, when measured in work-hours, then 2 work-hours elapsed', () => {
    const elapsed = between('2026-03-10T11:00+08:00', '2026-03-10T15:00+08:00', 'workHours');
    assert.deepEqual([elapsed.amount, elapsed.ms, elapsed.measure], [2, hours(2), 'workTime']);
  });

  it('given a Friday 17:00 and the Monday 09:00, when measured, then only work time counts', () => {
    assert.equal(between('2026-03-06T17:00+08:00', '2026-03-09T09:00+08:00', 'workHours').amount, 2);
    assert.equal(between('2026-03-06T17:00+08:00', '2026-03-09T09:00+08:00', 'urgent').amount, 64);
    assert.equal(between('2026-03-06T17:00+08:00', '2026-03-09T17:00+08:00', 'naturalDays').amount, 3);
  });

  it('given 10:00 and 10:00 of the next working day, when measured in work-days, then 1 work-day elapsed', () => {
    assert.equal(between('2026-09-30T10:00+08:00', '2026-10-08T10:00+08:00', 'workDays').amount, 1);
  });

  it('given an interval outside work time, when measured, then nothing elapsed', () => {
    assert.equal(between('2026-10-01T00:00+08:00', '2026-10-07T23:59+08:00', 'workHours').ms, 0);
    assert.equal(between('2026-03-10T12:00+08:00', '2026-03-10T14:00+08:00', 'workHours').ms, 0);
  });

  it('given the instants in reverse order, when measured, then the result is negative', () => {
    assert.equal(between('2026-03-10T15:00+08:00', '2026-03-10T11:00+08:00', 'workHours').amount, -2);
  });

  it('given an interval into 2027, when measured on a calendar without it, then coverage is assumed', () => {
    const elapsed = between('2026-12-31T17:00+08:00', '2027-01-01T09:00+08:00', 'workHours');
    assert.deepEqual([elapsed.amount, elapsed.calendarCoverage, elapsed.assumedYears], [2, 'assumed', [2027]]);
  });
});

describe('stageDeadlines', () => {
  it('given stop work 4 work-hours → penalise 7 work-days → demolish 20 work-days, when planned, then each stage starts at the previous deadline', () => {
    const planned = stageDeadlines(calendar, at('2026-03-10T10:00+08:00'), [
      { name: '责令停工', amount: 4, type: 'workHours' },
      { name: '立案处罚', amount: 7, type: 'workDays' },
      { name: '强制拆除', amount: 20, type: 'workDays' },
    ]);
    assert.deepEqual(planned.stages.map((s) => [s.name, beijing(s.startsAt), beijing(s.dueAt)]), [
      ['责令停工', '2026-03-10T10:00+08:00', '2026-03-10T16:00+08:00'],
      ['立案处罚', '2026-03-10T16:00+08:00', '2026-03-19T16:00+08:00'],
      ['强制拆除', '2026-03-19T16:00+08:00', '2026-04-17T16:00+08:00'],
    ]);
    assert.equal(planned.calendarCoverage, 'covered');
  });
});

describe('deadline inputs', () => {
  const rejects = (fn: () => unknown, target: string) =>
    assert.throws(fn, (e: unknown) => e instanceof UserError && e.code === 'engine.clock.invalidInput' && e.details[0]?.target === target);

  it('given a bad start, amount or type, when added, then a UserError names the parameter', () => {
    rejects(() => addTimeLimit(calendar, new Date(Number.NaN), { type: 'workHours', amount: 1 }), 'start');
    rejects(() => addTimeLimit(calendar, at('2026-03-10T10:00+08:00'), { type: 'workHours', amount: -1 }), 'limit.amount');
    rejects(() => addTimeLimit(calendar, at('2026-03-10T10:00+08:00'), { type: 'weeks' as TimeLimitType, amount: 1 }), 'limit.type');
    rejects(() => workTimeBetween(calendar, at('2026-03-10T10:00+08:00'), new Date('nope'), 'workHours'), 'to');
    rejects(() => stageDeadlines(calendar, at('2026-03-10T10:00+08:00'), [{ name: 'a', amount: 1, type: 'workHours' }, { name: 'a', amount: 1, type: 'workHours' }]), 'stages[1].name');
  });

  it('given an absurdly long limit, when added, then it is refused instead of looping', () => {
    assert.throws(() => addTimeLimit(calendar, at('2026-03-10T10:00+08:00'), { type: 'workDays', amount: 1e9 }), (e: unknown) => e instanceof UserError && e.code === 'engine.clock.limitTooLong');
  });
});
