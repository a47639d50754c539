/**
 * The case clock read from the timeline (pure): which `clock.*` rows count, how they replay on the
 * working calendar, where a case's limit comes from, which timer a job definition is, who decides
 * an extension and which level supervises an overdue case.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { clockState, loadProcessShape } from '@gridflow/engine';
import type { ResolvedPackage, TimeLimit, WorkingCalendar } from '@gridflow/engine';
import { clockEventsOf, extensionOf, limitOf, timerDatesOf } from '../../src/clock/case-clock-events.ts';
import type { ClockRow } from '../../src/clock/case-clock-events.ts';
import { handlingLimit, isUrgent } from '../../src/clock/handling-limit.ts';
import { timerVariableOf } from '../../src/clock/reschedule.ts';
import { approverOf } from '../../src/clock/extension-requests.ts';
import { supervisingLevel } from '../../src/clock/clock-alerts.ts';
import { watchedStep } from '../../src/clock/timer-step.ts';
import { localTimeText } from '../../src/clock/local-time-text.ts';
import { DistrictDefinitions } from '../../src/definitions/active-definitions.ts';

const calendar: WorkingCalendar = {
  timezone: 'Asia/Shanghai',
  workHours: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
  years: [{ year: 2026, holidays: [{ name: '国庆节', dates: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'] }], workdays: [{ date: '2026-10-10', reason: '国庆节调休' }] }],
};
/** An instant on Beijing time. */
const cst = (local: string) => new Date(`${local}+08:00`);
const row = (kind: string, local: string, details: Record<string, unknown> = {}): ClockRow => ({ kind, at: cst(local), details });
const fourHours: TimeLimit = { type: 'workHours', amount: 4 };

describe('clock events from the timeline', () => {
  it('a pause before the clock started, a resume without a pause and a bad extension do not count', () => {
    const events = clockEventsOf([
      row('clock.paused', '2026-11-23T08:30:00'),
      row('clock.resumed', '2026-11-23T08:40:00'),
      row('clock.started', '2026-11-23T09:00:00', { limit: fourHours }),
      row('clock.resumed', '2026-11-23T09:10:00'),
      row('clock.extended', '2026-11-23T09:20:00', { by: { amount: -1 } }),
      row('clock.extended', '2026-11-23T09:25:00', { by: { amount: 1, type: 'fortnights' } }),
      row('clock.warning', '2026-11-23T09:30:00', { level: 'yellow' }),
    ]);
    assert.deepEqual(events, [{ kind: 'started', at: cst('2026-11-23T09:00:00'), limit: fourHours }]);
  });

  it('a pause freezes the time left, an extension moves the deadline (also while paused), all on work time', () => {
    const rows = [
      row('clock.started', '2026-11-23T09:00:00', { limit: fourHours }),
      row('clock.paused', '2026-11-23T10:00:00'),
      row('clock.extended', '2026-11-23T16:00:00', { by: { amount: 2 } }),
      row('clock.resumed', '2026-11-24T09:00:00'),
    ];
    const events = clockEventsOf(rows);
    assert.deepEqual(events.map((e) => e.kind), ['started', 'paused', 'extended', 'resumed']);
    const paused = clockState(calendar, events, cst('2026-11-23T17:00:00'));
    assert.equal(paused.status, 'paused');
    assert.equal(paused.dueAt, null, 'no deadline while paused');
    // 1 work-hour used on Monday; 3 + 2 (extension) left from Tuesday 09:00: 09–12 then 14–16.
    const running = clockState(calendar, events, cst('2026-11-24T09:30:00'));
    assert.deepEqual(running.dueAt, cst('2026-11-24T16:00:00'));
    assert.equal(running.warning, 'none');
  });

  it('a stop ends the count; pauses after it are ignored; a restart (or a second start) counts the full limit again', () => {
    const rows = [
      row('clock.started', '2026-11-23T09:00:00', { limit: fourHours }),
      row('clock.stopped', '2026-11-23T10:00:00'),
      row('clock.paused', '2026-11-23T10:30:00'),
      row('clock.stopped', '2026-11-23T10:40:00'),
      row('clock.started', '2026-11-23T11:00:00', { limit: { type: 'workHours', amount: 2 } }),
    ];
    const events = clockEventsOf(rows);
    assert.deepEqual(events.map((e) => e.kind), ['started', 'stopped', 'restarted']);
    const state = clockState(calendar, events, cst('2026-11-23T11:30:00'));
    assert.equal(state.restarts, 1);
    assert.equal(state.status, 'running');
    assert.deepEqual(state.dueAt, cst('2026-11-23T15:00:00'), '2 work-hours from 11:00 across the lunch break');
    const stoppedEarly = clockState(calendar, events, cst('2026-11-23T10:10:00'));
    assert.deepEqual([stoppedEarly.status, stoppedEarly.onTime], ['stopped', true]);
  });

  it('stages are reached only in order, by name', () => {
    const staged: TimeLimit = { type: 'urgent', amount: 3, stages: [{ name: '现场控制', amount: 1, type: 'urgent' }, { name: '抢修', amount: 2, type: 'urgent' }] };
    const events = clockEventsOf([
      row('clock.started', '2026-11-23T09:00:00', { limit: staged }),
      row('clock.stageReached', '2026-11-23T09:20:00', { stage: '抢修' }),
      row('clock.stageReached', '2026-11-23T09:30:00', { stage: '现场控制' }),
    ]);
    assert.deepEqual(events.map((e) => (e.kind === 'stageReached' ? e.stage : e.kind)), ['started', '现场控制']);
  });

  it('limits and extensions are read defensively from details', () => {
    assert.equal(limitOf({ type: 'workDays', amount: 0 }), undefined);
    assert.equal(limitOf({ type: 'weeks', amount: 1 }), undefined);
    assert.equal(limitOf({ type: 'urgent', amount: 2, stages: [{ name: 'x', amount: 1 }] }), undefined);
    assert.deepEqual(limitOf({ type: 'workDays', amount: 3 }), { type: 'workDays', amount: 3 });
    assert.deepEqual(extensionOf({ amount: 1.5 }), { amount: 1.5 });
    assert.deepEqual(extensionOf({ amount: 1, type: 'naturalDays' }), { amount: 1, type: 'naturalDays' });
    assert.equal(extensionOf({ amount: '1' }), undefined);
  });

  it('the warning timer fires at yellow; a limit shorter than the warning margin is yellow from its start', () => {
    const events = clockEventsOf([row('clock.started', '2026-11-23T09:00:00', { limit: fourHours })]);
    const dates = timerDatesOf(clockState(calendar, events, cst('2026-11-23T09:00:00')));
    // Yellow at 80% or 2 work-hours left, whichever first: 2 work-hours in, at 11:00.
    assert.deepEqual(dates, { dueAt: cst('2026-11-23T15:00:00'), warnAt: cst('2026-11-23T11:00:00') });
    const short = clockEventsOf([row('clock.started', '2026-11-23T09:00:00', { limit: { type: 'workHours', amount: 1 } })]);
    assert.deepEqual(timerDatesOf(clockState(calendar, short, cst('2026-11-23T09:00:00'))).warnAt, cst('2026-11-23T09:00:00'), 'shorter than the warning margin: yellow from the start');
  });
});

describe('the handling limit of a case', () => {
  const pkg = {
    manifest: { key: 'test', name: 'test', version: '1.0.0', districtCode: '370102' },
    processes: {}, forms: {},
    data: {
      catalogue: { classes: [{ code: '10', name: '文明', subclasses: [
        { code: '10002', name: '不文明养犬', registrationConditions: [{ text: '遛犬未束犬链' }, { text: '犬只伤人', timeLimit: { type: 'urgent', amount: 2 } }], timeLimit: { type: 'workHours', amount: 4 }, closingConditions: ['已处理'], level: 'community' },
        { code: '10003', name: '不文明行为', registrationConditions: [{ text: '随地吐痰' }], timeLimit: { type: 'workHours', amount: 2 }, closingConditions: ['已纠正'], level: 'community' },
      ] }] },
      responsibilities: { responsibilities: [
        { subclass: '10002', level: 'community', departments: [{ code: 'D01', role: 'primary' }] },
        { subclass: '10003', level: 'community', departments: [{ code: 'D01', role: 'primary' }], timeLimit: { type: 'workDays', amount: 1 } },
        { subclass: '10003', scope: '370102002', level: 'street', departments: [{ code: 'D02', role: 'primary' }], timeLimit: { type: 'workHours', amount: 6 } },
      ] },
    },
  } as unknown as ResolvedPackage;
  const defs = new DistrictDefinitions(pkg);

  it('the subclass limit, overridden by the responsibility list (the most specific entry for the place)', () => {
    assert.deepEqual(handlingLimit(defs, '10002', {}, false), { limit: { type: 'workHours', amount: 4 }, source: 'subclass', subclass: '10002' });
    assert.deepEqual(handlingLimit(defs, '10003', { streetCode: '370102004' }, false)?.limit, { type: 'workDays', amount: 1 });
    assert.deepEqual(handlingLimit(defs, '10003', { streetCode: '370102002' }, false), { limit: { type: 'workHours', amount: 6 }, source: 'responsibility', subclass: '10003' });
  });

  it('an urgent case counts by the subclass\'s urgent registration condition, when it has one', () => {
    assert.deepEqual(handlingLimit(defs, '10002', {}, true), { limit: { type: 'urgent', amount: 2 }, source: 'urgentCondition', subclass: '10002' });
    assert.equal(handlingLimit(defs, '10003', {}, true)?.source, 'responsibility', 'no urgent condition: the usual limit');
    assert.equal(handlingLimit(defs, '99999', {}, false), undefined);
    assert.equal(handlingLimit(defs, null, {}, false), undefined);
    assert.deepEqual([isUrgent(true), isUrgent('true'), isUrgent(false), isUrgent(undefined)], [true, true, false, false]);
  });
});

describe('timers, approvers, supervising levels', () => {
  it('a timer job is told by its definition\'s expression', () => {
    assert.equal(timerVariableOf('DATE: ${handleDueAt}'), 'due');
    assert.equal(timerVariableOf('DATE: ${ handleWarnAt }'), 'warn');
    assert.equal(timerVariableOf('DATE: 2026-11-23T10:00:00'), null);
    assert.equal(timerVariableOf('DATE: ${handleDueAtLater}'), null);
    assert.equal(timerVariableOf(null), null);
  });

  it('the boundary timer before a service task watches the user task it is attached to', async () => {
    const shape = await loadProcessShape(readFileSync(new URL('./fixtures/clock-handling.bpmn', import.meta.url), 'utf8'), 'clock-fixture');
    assert.equal(watchedStep(shape, 'overdueNotice'), 'handle');
    assert.equal(watchedStep(shape, 'warnNotice'), 'handle');
    assert.equal(watchedStep(shape, 'stopClock'), null);
  });

  it('the tier that dispatched decides extensions; without one, the handling level tells', () => {
    const place = { street_code: '370102002', district_code: '370102' };
    assert.deepEqual(approverOf({ tier: 'street' }, place), { tier: 'street', group: 'street-dispatcher@370102002' });
    assert.deepEqual(approverOf({ tier: 'district', handlingLevel: 'community' }, place), { tier: 'district', group: 'district-dispatcher@370102' });
    assert.deepEqual(approverOf({ handlingLevel: 'district' }, place), { tier: 'district', group: 'district-dispatcher@370102' });
    assert.deepEqual(approverOf({}, place), { tier: 'street', group: 'street-dispatcher@370102002' });
    assert.deepEqual(approverOf({ tier: 'street' }, { street_code: null, district_code: '370102' }), { tier: 'district', group: 'district-dispatcher@370102' });
  });

  it('overdue cases are supervised one level up: community → street, street or department → district', () => {
    assert.equal(supervisingLevel('community', '370102002'), 'street');
    assert.equal(supervisingLevel('street', '370102002'), 'district');
    assert.equal(supervisingLevel('district', '370102002'), 'district');
    assert.equal(supervisingLevel(undefined, '370102002'), 'district');
    assert.equal(supervisingLevel('community', null), 'district');
  });

  it('instants in messages are on the calendar\'s wall clock', () => {
    assert.equal(localTimeText(new Date('2026-11-23T02:05:00Z'), 'Asia/Shanghai'), '2026-11-23 10:05');
    assert.equal(localTimeText(new Date('2026-11-23T16:00:00Z'), 'Asia/Shanghai'), '2026-11-24 00:00');
  });
});
