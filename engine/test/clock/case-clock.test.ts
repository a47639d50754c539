import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError, clockState, nextTimerDates, type ClockEvent, type TimeLimit, type WarningPolicy } from '../../src/index.ts';
import { at, beijing, calendar, hours } from './clock-fixtures.ts';

const oneWorkDay: TimeLimit = { type: 'workDays', amount: 1 };
const fourWorkHours: TimeLimit = { type: 'workHours', amount: 4 };
const started = (when: string, limit: TimeLimit): ClockEvent => ({ kind: 'started', at: at(when), limit });
const stateAt = (events: ClockEvent[], now: string, policy?: WarningPolicy) => clockState(calendar, events, at(now), policy);

describe('case clock: running', () => {
  const events = [started('2026-03-10T09:00+08:00', oneWorkDay)];

  it('given a 1 work-day limit started Tuesday 09:00, when asked at 12:00, then 3 work-hours elapsed, 5 remain and it is due Wednesday 09:00', () => {
    const state = stateAt(events, '2026-03-10T12:00+08:00');
    assert.equal(state.status, 'running');
    assert.equal(state.measure, 'workTime');
    assert.deepEqual([state.elapsedMs, state.remainingMs, state.budgetMs], [hours(3), hours(5), hours(8)]);
    assert.equal(beijing(state.dueAt), '2026-03-11T09:00+08:00');
    assert.equal(beijing(state.yellowAt), '2026-03-10T17:00+08:00', '2 work-hours left comes before 80%');
    assert.deepEqual([state.warning, state.overdue, state.onTime], ['none', false, null]);
    assert.deepEqual([beijing(state.startedAt), beijing(state.asOf), state.restarts], ['2026-03-10T09:00+08:00', '2026-03-10T12:00+08:00', 0]);
    assert.deepEqual([state.calendarCoverage, state.stages, state.currentStage], ['covered', [], null]);
  });

  it('given the same clock, when asked over lunch, then no work time passes', () => {
    assert.equal(stateAt(events, '2026-03-10T13:30+08:00').elapsedMs, hours(3));
  });

  it('given events after now, when asked, then they are ignored (the state is as of now)', () => {
    const later = [...events, { kind: 'paused', at: at('2026-03-10T15:00+08:00') } as const];
    assert.equal(stateAt(later, '2026-03-10T12:00+08:00').status, 'running');
    assert.equal(stateAt(later, '2026-03-10T15:00+08:00').status, 'paused');
  });
});

describe('case clock: warnings', () => {
  it('given a 10 work-day limit and a 80% policy, when 8 work-days have elapsed, then it turns yellow', () => {
    const events = [started('2026-03-10T10:00+08:00', { type: 'workDays', amount: 10 })];
    const policy = { yellowAtFraction: 0.8 };
    assert.equal(beijing(stateAt(events, '2026-03-10T10:00+08:00', policy).yellowAt), '2026-03-20T10:00+08:00');
    assert.equal(stateAt(events, '2026-03-20T09:59+08:00', policy).warning, 'none');
    assert.equal(stateAt(events, '2026-03-20T10:00+08:00', policy).warning, 'yellow');
    assert.equal(beijing(stateAt(events, '2026-03-20T10:00+08:00').yellowAt), '2026-03-20T10:00+08:00', 'the default policy agrees: 80% comes first');
  });

  it('given a 4 work-hour limit, when 2 work-hours are left, then it turns yellow before 80% is reached', () => {
    const events = [started('2026-03-10T10:00+08:00', fourWorkHours)];
    assert.equal(beijing(stateAt(events, '2026-03-10T10:00+08:00').yellowAt), '2026-03-10T12:00+08:00');
    assert.equal(stateAt(events, '2026-03-10T11:59+08:00').warning, 'none');
    assert.equal(stateAt(events, '2026-03-10T12:00+08:00').warning, 'yellow');
    assert.equal(beijing(stateAt(events, '2026-03-10T10:00+08:00', { yellowAtFraction: 0.8 }).yellowAt), '2026-03-10T15:12+08:00');
  });

  it('given a 4 work-hour limit due 16:00, when the deadline comes, then it is red and overdue', () => {
    const events = [started('2026-03-10T10:00+08:00', fourWorkHours)];
    assert.equal(stateAt(events, '2026-03-10T15:59+08:00').warning, 'yellow');
    const due = stateAt(events, '2026-03-10T16:00+08:00');
    assert.deepEqual([due.warning, due.overdue, due.remainingMs], ['red', true, 0]);
    const nextMorning = stateAt(events, '2026-03-11T09:00+08:00');
    assert.deepEqual([nextMorning.warning, nextMorning.remainingMs, beijing(nextMorning.dueAt)], ['red', -hours(3), '2026-03-10T16:00+08:00']);
  });

  it('given a running clock, when timers are asked for, then the next yellow and due instants are given until they pass', () => {
    const events = [started('2026-03-10T09:00+08:00', oneWorkDay)];
    const dates = (now: string) => Object.values(nextTimerDates(stateAt(events, now))).map(beijing);
    assert.deepEqual(dates('2026-03-10T12:00+08:00'), ['2026-03-10T17:00+08:00', '2026-03-11T09:00+08:00']);
    assert.deepEqual(dates('2026-03-10T17:30+08:00'), [null, '2026-03-11T09:00+08:00']);
    assert.deepEqual(dates('2026-03-11T09:00+08:00'), [null, null]);
  });

  it('given a bad policy, when asked, then a UserError names the policy field', () => {
    const events = [started('2026-03-10T09:00+08:00', oneWorkDay)];
    const target = (policy: WarningPolicy) => {
      try { stateAt(events, '2026-03-10T12:00+08:00', policy); } catch (e) { return e instanceof UserError ? e.details[0]?.target : String(e); }
      return 'accepted';
    };
    assert.equal(target({ yellowAtFraction: 0 }), 'policy.yellowAtFraction');
    assert.equal(target({ yellowAtFraction: 1.5 }), 'policy.yellowAtFraction');
    assert.equal(target({ yellowAtFraction: 0.8, yellowBeforeWorkMinutes: -1 }), 'policy.yellowBeforeWorkMinutes');
  });
});

describe('case clock: pause and resume (挂起)', () => {
  const events: ClockEvent[] = [
    started('2026-03-05T10:00+08:00', { type: 'workDays', amount: 2 }),
    { kind: 'paused', at: at('2026-03-06T15:00+08:00'), reason: '等待当事人' },
    { kind: 'resumed', at: at('2026-03-09T14:00+08:00') },
  ];

  it('given a clock paused on Friday 15:00, when asked on Saturday, then the remaining work time is frozen and there is no deadline', () => {
    const state = stateAt(events, '2026-03-07T12:00+08:00');
    assert.deepEqual([state.status, beijing(state.pausedAt)], ['paused', '2026-03-06T15:00+08:00']);
    assert.deepEqual([state.elapsedMs, state.remainingMs, state.dueAt, state.yellowAt], [hours(11), hours(5), null, null]);
    assert.deepEqual(nextTimerDates(state), { yellowAt: null, dueAt: null });
  });

  it('given the clock resumed Monday 14:00, when asked, then the deadline is recomputed from the 5 work-hours left', () => {
    const state = stateAt(events, '2026-03-09T15:00+08:00');
    assert.deepEqual([state.status, state.pausedAt, state.elapsedMs], ['running', null, hours(12)]);
    assert.equal(beijing(state.dueAt), '2026-03-10T09:00+08:00', 'without the pause it was due Monday 10:00');
    assert.equal(beijing(state.yellowAt), '2026-03-09T15:48+08:00');
  });

  it('given a clock paused after its deadline, when asked, then it stays red with the deadline it missed', () => {
    const overdue = [started('2026-03-10T10:00+08:00', fourWorkHours), { kind: 'paused', at: at('2026-03-10T17:00+08:00') } as const];
    const state = stateAt(overdue, '2026-03-11T10:00+08:00');
    assert.deepEqual([state.status, state.warning, beijing(state.dueAt)], ['paused', 'red', '2026-03-10T16:00+08:00']);
  });

  it('given an urgent limit paused overnight, when resumed, then the paused hours move the deadline', () => {
    const urgent: ClockEvent[] = [
      started('2026-03-06T17:00+08:00', { type: 'urgent', amount: 24 }),
      { kind: 'paused', at: at('2026-03-06T20:00+08:00') },
      { kind: 'resumed', at: at('2026-03-07T08:00+08:00') },
    ];
    const state = stateAt(urgent, '2026-03-07T09:00+08:00');
    assert.deepEqual([state.measure, state.elapsedMs, beijing(state.dueAt)], ['continuous', hours(4), '2026-03-08T05:00+08:00']);
  });

  it('given a natural-day limit paused for a day, when resumed, then it is due a day later at the same local time', () => {
    const natural: ClockEvent[] = [
      started('2026-03-09T10:00+08:00', { type: 'naturalDays', amount: 3 }),
      { kind: 'paused', at: at('2026-03-10T10:00+08:00') },
      { kind: 'resumed', at: at('2026-03-11T10:00+08:00') },
    ];
    assert.equal(beijing(stateAt(natural, '2026-03-11T11:00+08:00').dueAt), '2026-03-13T10:00+08:00');
  });
});

describe('case clock: extension (延期)', () => {
  const extendedBy = (by: { amount: number; type?: TimeLimit['type'] }, when = '2026-03-10T15:00+08:00'): ClockEvent[] =>
    [started('2026-03-10T09:00+08:00', oneWorkDay), { kind: 'extended', at: at(when), by }];

  it('given an approved extension of 2 work-days, when asked, then the deadline moves by 2 work-days', () => {
    const state = stateAt(extendedBy({ amount: 2 }), '2026-03-10T16:00+08:00');
    assert.deepEqual([beijing(state.dueAt), state.budgetMs], ['2026-03-13T09:00+08:00', hours(24)]);
  });

  it('given an extension in work-hours on a work-day limit, when asked, then it adds that work time', () => {
    assert.equal(beijing(stateAt(extendedBy({ amount: 4, type: 'workHours' }), '2026-03-10T16:00+08:00').dueAt), '2026-03-11T15:00+08:00');
  });

  it('given an extension in natural days on a work-day limit, when asked, then the deadline moves to the same work time as 3 calendar days later', () => {
    assert.equal(beijing(stateAt(extendedBy({ amount: 3, type: 'naturalDays' }), '2026-03-10T16:00+08:00').dueAt), '2026-03-13T18:00+08:00');
  });

  it('given an overdue clock, when extended, then it is no longer red', () => {
    const events: ClockEvent[] = [started('2026-03-10T09:00+08:00', fourWorkHours), { kind: 'extended', at: at('2026-03-10T16:00+08:00'), by: { amount: 2 } }];
    assert.equal(stateAt(events.slice(0, 1), '2026-03-10T16:00+08:00').warning, 'red');
    const state = stateAt(events, '2026-03-10T16:00+08:00');
    assert.deepEqual([state.warning, state.remainingMs, beijing(state.dueAt)], ['yellow', hours(1), '2026-03-10T17:00+08:00']);
  });

  it('given a paused clock, when extended and resumed, then the extension adds to the frozen remaining time', () => {
    const events: ClockEvent[] = [
      started('2026-03-10T09:00+08:00', oneWorkDay),
      { kind: 'paused', at: at('2026-03-10T10:00+08:00') },
      { kind: 'extended', at: at('2026-03-10T11:00+08:00'), by: { amount: 1 } },
      { kind: 'resumed', at: at('2026-03-11T09:00+08:00') },
    ];
    assert.equal(stateAt(events, '2026-03-10T12:00+08:00').remainingMs, hours(15));
    assert.equal(beijing(stateAt(events, '2026-03-11T09:00+08:00').dueAt), '2026-03-12T18:00+08:00');
  });
});

describe('case clock: stop and rework (返工)', () => {
  const base = started('2026-03-10T10:00+08:00', fourWorkHours);
  const stoppedAt = (when: string): ClockEvent[] => [base, { kind: 'stopped', at: at(when) }];

  it('given a clock stopped at its deadline, when asked later, then it was on time', () => {
    const state = stateAt(stoppedAt('2026-03-10T16:00+08:00'), '2026-03-12T10:00+08:00');
    assert.deepEqual([state.status, beijing(state.stoppedAt), state.onTime, state.warning, state.overdue], ['stopped', '2026-03-10T16:00+08:00', true, 'none', false]);
    assert.deepEqual([state.elapsedMs, beijing(state.dueAt)], [hours(4), '2026-03-10T16:00+08:00']);
    assert.deepEqual(nextTimerDates(state), { yellowAt: null, dueAt: null });
  });

  it('given a clock stopped a minute late, when asked, then it was late and stays red', () => {
    const state = stateAt(stoppedAt('2026-03-10T16:01+08:00'), '2026-03-12T10:00+08:00');
    assert.deepEqual([state.onTime, state.warning, state.overdue], [false, 'red', true]);
  });

  it('given a deadline at Friday 18:00, when stopped at 19:00, then it is late although no work time passed', () => {
    const events: ClockEvent[] = [started('2026-03-06T14:00+08:00', fourWorkHours), { kind: 'stopped', at: at('2026-03-06T19:00+08:00') }];
    const state = stateAt(events, '2026-03-07T10:00+08:00');
    assert.deepEqual([state.onTime, state.remainingMs, beijing(state.dueAt)], [false, 0, '2026-03-06T18:00+08:00']);
  });

  it('given a clock stopped early, when asked, then the deadline in force at the stop is reported', () => {
    const state = stateAt(stoppedAt('2026-03-10T11:00+08:00'), '2026-03-10T12:00+08:00');
    assert.deepEqual([state.onTime, state.elapsedMs, beijing(state.dueAt)], [true, hours(1), '2026-03-10T16:00+08:00']);
  });

  it('given a handled case sent back for rework, when restarted, then the full limit counts again from the restart', () => {
    const events: ClockEvent[] = [...stoppedAt('2026-03-10T15:00+08:00'), { kind: 'restarted', at: at('2026-03-11T10:00+08:00') }];
    const state = stateAt(events, '2026-03-11T11:00+08:00');
    assert.deepEqual([state.status, state.restarts, state.stoppedAt, state.onTime], ['running', 1, null, null]);
    assert.deepEqual([beijing(state.startedAt), state.elapsedMs, beijing(state.dueAt)], ['2026-03-11T10:00+08:00', hours(1), '2026-03-11T16:00+08:00']);
  });

  it('given an extended clock, when restarted, then the extension is dropped; a restart may bring its own limit', () => {
    const events: ClockEvent[] = [base, { kind: 'extended', at: at('2026-03-10T11:00+08:00'), by: { amount: 1, type: 'workDays' } }, { kind: 'restarted', at: at('2026-03-10T14:00+08:00') }];
    assert.equal(beijing(stateAt(events, '2026-03-10T14:30+08:00').dueAt), '2026-03-10T18:00+08:00');
    const withLimit: ClockEvent[] = [base, { kind: 'restarted', at: at('2026-03-10T14:00+08:00'), limit: { type: 'workDays', amount: 2 } }];
    const state = stateAt(withLimit, '2026-03-10T14:30+08:00');
    assert.deepEqual([state.limit, beijing(state.dueAt)], [{ type: 'workDays', amount: 2 }, '2026-03-12T12:00+08:00']);
  });

  it('given a clock across the year end, when asked, then the assumed year 2027 is reported', () => {
    const state = stateAt([started('2026-12-31T16:00+08:00', oneWorkDay)], '2026-12-31T17:00+08:00');
    assert.deepEqual([beijing(state.dueAt), state.calendarCoverage, state.assumedYears], ['2027-01-01T16:00+08:00', 'assumed', [2027]]);
  });
});
