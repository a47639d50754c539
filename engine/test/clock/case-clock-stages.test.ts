import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError, clockState, nextTimerDates, type ClockEvent, type TimeLimit } from '../../src/index.ts';
import { at, beijing, calendar, hours } from './clock-fixtures.ts';

/** 违法建设: stop work in 4 work-hours → penalise in 7 work-days → demolish in 20 work-days (27.5 work-days in all). */
const illegalBuilding: TimeLimit = {
  type: 'workDays', amount: 27.5,
  stages: [
    { name: '责令停工', amount: 4, type: 'workHours' },
    { name: '立案处罚', amount: 7, type: 'workDays' },
    { name: '强制拆除', amount: 20, type: 'workDays' },
  ],
};
const start: ClockEvent = { kind: 'started', at: at('2026-03-10T10:00+08:00'), limit: illegalBuilding };
const reached = (stage: string, when: string): ClockEvent => ({ kind: 'stageReached', at: at(when), stage });
const stateAt = (events: ClockEvent[], now: string) => clockState(calendar, events, at(now));

describe('case clock: staged limits', () => {
  it('given a staged limit just started, when asked, then the stages are planned in order from the start', () => {
    const state = stateAt([start], '2026-03-10T11:00+08:00');
    assert.equal(state.currentStage, '责令停工');
    assert.deepEqual(state.stages.map((s) => s.status), ['current', 'pending', 'pending']);
    assert.deepEqual(state.stageDueAts.map(beijing), ['2026-03-10T16:00+08:00', '2026-03-19T16:00+08:00', '2026-04-17T16:00+08:00']);
    assert.equal(beijing(state.dueAt), '2026-04-17T16:00+08:00', 'the total agrees with the last stage');
    assert.deepEqual([state.stages[0]?.elapsedMs, state.stages[0]?.remainingMs, state.stages[1]?.startedAt], [hours(1), hours(3), null]);
  });

  it('given the first stage reached early, when asked, then the next stage counts from that moment', () => {
    const state = stateAt([start, reached('责令停工', '2026-03-10T15:00+08:00')], '2026-03-11T10:00+08:00');
    assert.equal(state.currentStage, '立案处罚');
    const [first, second, third] = state.stages;
    assert.deepEqual([first?.status, first?.onTime, beijing(first?.reachedAt)], ['reached', true, '2026-03-10T15:00+08:00']);
    assert.deepEqual([second?.status, beijing(second?.startedAt), beijing(second?.dueAt)], ['current', '2026-03-10T15:00+08:00', '2026-03-19T15:00+08:00']);
    assert.deepEqual([third?.status, beijing(third?.dueAt)], ['pending', '2026-04-17T15:00+08:00']);
  });

  it('given the first stage overdue, when asked, then the clock is red although the overall limit is not', () => {
    const state = stateAt([start], '2026-03-10T17:00+08:00');
    assert.deepEqual([state.warning, state.limitWarning, state.overdue, state.stages[0]?.warning], ['red', 'none', false, 'red']);
  });

  it('given the first stage reached late, when asked, then it was not on time and the next stage counts from when it was reached', () => {
    const state = stateAt([start, reached('责令停工', '2026-03-11T09:00+08:00')], '2026-03-11T10:00+08:00');
    assert.deepEqual([state.stages[0]?.onTime, state.stages[0]?.warning, state.warning], [false, 'red', 'none']);
    assert.equal(beijing(state.stages[1]?.dueAt), '2026-03-20T09:00+08:00');
  });

  it('given every stage reached, when asked, then no stage is current', () => {
    const events = [start, reached('责令停工', '2026-03-10T15:00+08:00'), reached('立案处罚', '2026-03-12T10:00+08:00'), reached('强制拆除', '2026-03-20T10:00+08:00')];
    const state = stateAt(events, '2026-03-20T11:00+08:00');
    assert.deepEqual([state.currentStage, state.stages.map((s) => s.onTime)], [null, [true, true, true]]);
  });

  it('given a staged limit, when extended, then the current stage, the planned stages and the overall deadline all move', () => {
    const events = [start, { kind: 'extended', at: at('2026-03-10T11:00+08:00'), by: { amount: 2, type: 'workHours' } } as const];
    const state = stateAt(events, '2026-03-10T11:30+08:00');
    assert.deepEqual(state.stageDueAts.map(beijing), ['2026-03-10T18:00+08:00', '2026-03-19T18:00+08:00', '2026-04-17T18:00+08:00']);
    assert.equal(beijing(state.dueAt), '2026-04-17T18:00+08:00');
  });

  it('given a staged limit, when timers are asked for, then the current stage gives the next yellow and due instants', () => {
    assert.deepEqual(Object.values(nextTimerDates(stateAt([start], '2026-03-10T11:00+08:00'))).map(beijing), ['2026-03-10T12:00+08:00', '2026-03-10T16:00+08:00']);
  });

  it('given a paused staged clock, when asked, then the deadlines that depend on it are unknown', () => {
    const state = stateAt([start, { kind: 'paused', at: at('2026-03-10T11:00+08:00') }], '2026-03-10T12:00+08:00');
    assert.deepEqual(state.stageDueAts, [null, null, null]);
  });

  it('given a restart, when asked, then the stages start over', () => {
    const events = [start, reached('责令停工', '2026-03-10T15:00+08:00'), { kind: 'restarted', at: at('2026-03-11T10:00+08:00') } as const];
    const state = stateAt(events, '2026-03-11T10:30+08:00');
    assert.deepEqual([state.currentStage, beijing(state.stageDueAts[0])], ['责令停工', '2026-03-11T16:00+08:00']);
  });
});

describe('case clock: illegal event sequences', () => {
  const running: ClockEvent[] = [{ kind: 'started', at: at('2026-03-10T09:00+08:00'), limit: { type: 'workHours', amount: 4 } }];
  const fails = (events: ClockEvent[], target: string, message: RegExp) =>
    assert.throws(() => stateAt(events, '2026-03-12T09:00+08:00'), (e: unknown) =>
      e instanceof UserError && e.details[0]?.target === target && message.test(e.message));

  const cases: [string, ClockEvent[], string, RegExp][] = [
    ['no events', [], 'events', /has not started/],
    ['a first event that is not started', [{ kind: 'paused', at: at('2026-03-10T09:00+08:00') }], 'events[0]', /first event must be started/],
    ['two starts', [...running, ...running], 'events[1]', /already started/],
    ['a resume while running', [...running, { kind: 'resumed', at: at('2026-03-10T10:00+08:00') }], 'events[1]', /resumed is not allowed while the clock is running/],
    ['a pause while paused', [...running, { kind: 'paused', at: at('2026-03-10T10:00+08:00') }, { kind: 'paused', at: at('2026-03-10T11:00+08:00') }], 'events[2]', /paused is not allowed while the clock is paused/],
    ['events out of order', [...running, { kind: 'paused', at: at('2026-03-10T08:00+08:00') }], 'events[1]', /earlier than the event before it/],
    ['a pause after stopping', [...running, { kind: 'stopped', at: at('2026-03-10T10:00+08:00') }, { kind: 'paused', at: at('2026-03-10T11:00+08:00') }], 'events[2]', /while the clock is stopped/],
    ['an extension after stopping', [...running, { kind: 'stopped', at: at('2026-03-10T10:00+08:00') }, { kind: 'extended', at: at('2026-03-10T11:00+08:00'), by: { amount: 1 } }], 'events[2]', /extended is not allowed/],
    ['an extension of nothing', [...running, { kind: 'extended', at: at('2026-03-10T11:00+08:00'), by: { amount: 0 } }], 'events[1].by.amount', /> 0/],
    ['a bad instant', [...running, { kind: 'paused', at: new Date('soon') }], 'events[1].at', /valid Date/],
    ['a bad limit', [{ kind: 'started', at: at('2026-03-10T09:00+08:00'), limit: { type: 'workHours', amount: Number.NaN } }], 'events[0].limit.amount', /not a number/],
    ['an unknown kind', [...running, { kind: 'snoozed', at: at('2026-03-10T10:00+08:00') } as unknown as ClockEvent], 'events[1]', /unknown kind "snoozed"/],
    ['a stage without stages', [...running, reached('责令停工', '2026-03-10T10:00+08:00')], 'events[1].stage', /no stage is left/],
    ['a stage out of order', [start, reached('立案处罚', '2026-03-10T11:00+08:00')], 'events[1].stage', /the current stage is "责令停工"/],
  ];
  for (const [name, events, target, message] of cases) {
    it(`given ${name}, when replayed, then a UserError names ${target}`, () => fails(events, target, message));
  }

  it('given a clock started after now, when asked, then it has not started', () => {
    assert.throws(() => clockState(calendar, running, at('2026-03-10T08:00+08:00')), /has not started/);
  });
});
