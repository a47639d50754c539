import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assess, explain } from '../../src/index.ts';
import {
  at, closed, countsOf, dispatched, fullProfile, handled, nonZero, q4, registered, reported, returned, story,
} from './assessment-fixtures.ts';

const december = { from: at('12-01 00:00'), to: at('2027-01-01 00:00') };
const november = { from: at('11-01 00:00'), to: at('12-01 00:00') };

describe('assessment rules: period boundaries [from, to)', () => {
  it('given a registration exactly at from, then it counts; given one exactly at to, then it belongs to the next period', () => {
    const history = [
      ...story('A', reported('09-30 23:00', '10-01 01:00'), registered('10-01 00:00', '2027-01-20 18:00')),
      ...story('B', reported('12-31 23:00', '2027-01-01 10:00'), registered('2027-01-01 00:00', '2027-01-20 18:00')),
    ];
    assert.deepEqual(nonZero(countsOf(history, 'street', 'S1')), { reportsDecided: 1, reportsRegistered: 1, dueToDecide: 1, decidedOnTime: 1 });
    const next = { from: at('2027-01-01 00:00'), to: at('2027-02-01 00:00') };
    assert.equal(countsOf(history, 'street', 'S1', next).reportsDecided, 1);
  });

  it('given a handling deadline exactly at to, then it is not yet overdue; one minute earlier, it is overdue and unhandled', () => {
    const dueAtEnd = story('A', reported('12-20 09:00', '12-20 11:00'), registered('12-20 10:00', '2027-01-10 18:00'), dispatched('12-20 11:00', '2027-01-01 00:00', 'D1'));
    assert.equal(countsOf(dueAtEnd, 'department', 'D1').dueToHandle, 0);
    const dueBefore = story('A', reported('12-20 09:00', '12-20 11:00'), registered('12-20 10:00', '2027-01-10 18:00'), dispatched('12-20 11:00', '12-31 23:59', 'D1'));
    assert.deepEqual(nonZero(countsOf(dueBefore, 'department', 'D1')), { dispatches: 1, accurateDispatches: 1, dueToHandle: 1, overdueUnhandled: 1 });
  });

  it('given handling exactly at the deadline, then it is on time; a minute later, it is handled but late', () => {
    const base = [reported('11-02 09:00', '11-02 11:00'), registered('11-02 10:00', '11-30 18:00'), dispatched('11-02 11:00', '11-09 18:00', 'D1')];
    const onTheDot = countsOf(story('A', ...base, handled('11-09 18:00', 'D1')), 'department', 'D1');
    assert.deepEqual([onTheDot.dueToHandle, onTheDot.handled, onTheDot.handledOnTime], [1, 1, 1]);
    const late = countsOf(story('A', ...base, handled('11-09 18:01', 'D1')), 'department', 'D1');
    assert.deepEqual([late.dueToHandle, late.handled, late.handledOnTime], [1, 1, 0]);
  });

  it('given handling exactly at to, then at the period end the assignment was still open (and overdue)', () => {
    const history = story('A', reported('12-20 09:00', '12-20 11:00'), registered('12-20 10:00', '2027-01-10 18:00'),
      dispatched('12-20 11:00', '12-30 18:00', 'D1'), handled('2027-01-01 00:00', 'D1'));
    assert.deepEqual([countsOf(history, 'department', 'D1').overdueUnhandled, countsOf(history, 'department', 'D1').handled], [1, 0]);
  });

  it('given an assignment overdue since November and handled in January, then it is due in November and December and handled late in January', () => {
    const history = story('A', reported('11-02 09:00', '11-02 11:00'), registered('11-02 10:00', '2027-01-30 18:00'),
      dispatched('11-02 11:00', '11-09 18:00', 'D1'), handled('2027-01-05 10:00', 'D1'));
    assert.equal(countsOf(history, 'department', 'D1', november).overdueUnhandled, 1);
    assert.equal(countsOf(history, 'department', 'D1', december).overdueUnhandled, 1);
    const january = countsOf(history, 'department', 'D1', { from: at('2027-01-01 00:00'), to: at('2027-02-01 00:00') });
    assert.deepEqual([january.dueToHandle, january.handled, january.handledOnTime, january.dispatches], [1, 1, 0, 0]);
  });

  it('given an assignment handled in November but due in December, then it counts once, in November, on time', () => {
    const history = story('A', reported('11-20 09:00', '11-20 11:00'), registered('11-20 10:00', '12-20 18:00'),
      dispatched('11-20 11:00', '12-10 18:00', 'D1'), handled('11-25 10:00', 'D1'));
    assert.equal(countsOf(history, 'department', 'D1', november).handledOnTime, 1);
    assert.equal(countsOf(history, 'department', 'D1', december).dueToHandle, 0);
  });
});

describe('assessment rules: empty denominators', () => {
  it('given a unit with nothing due, when assessed with units listed, then every rate is null (not 0, not 100%) and so are the score and grade', () => {
    const history = story('A', reported('12-30 09:00', '2027-01-02 10:00'));
    const result = assess(history, fullProfile, { ...q4, unitKind: 'street', units: ['S1', 'S9'] });
    assert.deepEqual(result.units.map((u) => u.unit), ['S1', 'S9'], 'listed units come in the order given, even with nothing counted');
    for (const unit of result.units) {
      assert.ok(unit.indicators.every((v) => v.numerator === 0 && v.denominator === 0 && v.rate === null));
      assert.deepEqual([unit.score, unit.grade], [null, null]);
    }
  });

  it('given no units listed, then only units with something counted appear, sorted by code', () => {
    const history = [...story('B', reported('10-02 09:00', '10-02 11:00', { street: 'S2' }), registered('10-02 10:00', '10-30 18:00')),
      ...story('A', reported('10-03 09:00', '10-03 11:00'), registered('10-03 10:00', '10-30 18:00')),
      ...story('C', reported('09-03 09:00', '09-03 11:00', { street: 'S3' }), registered('09-03 10:00', '09-30 18:00'), closed('09-20 10:00'))];
    assert.deepEqual(assess(history, fullProfile, { ...q4, unitKind: 'street' }).units.map((u) => u.unit), ['S1', 'S2']);
  });
});

describe('assessment rules: returns, re-dispatch, suspension, extension and rework', () => {
  it('given a return, then it counts against dispatch accuracy, and the returning department has no handling or closing duty', () => {
    const history = story('A', reported('10-05 09:00', '10-05 11:00'), registered('10-05 10:00', '10-25 18:00'), dispatched('10-05 11:00', '10-12 18:00', 'D2'),
      returned('10-06 09:00', 'D2'), dispatched('10-06 10:00', '10-13 18:00', 'D1'), handled('10-13 17:00', 'D1'), closed('10-14 12:00'));
    assert.deepEqual(nonZero(countsOf(history, 'department', 'D2')), { dispatches: 1 });
    assert.deepEqual(nonZero(countsOf(history, 'department', 'D1')), { dispatches: 1, accurateDispatches: 1, dueToHandle: 1, handled: 1, handledOnTime: 1, dueToClose: 1, closed: 1, closedOnTime: 1 });
    const street = countsOf(history, 'street', 'S1');
    assert.deepEqual([street.dispatches, street.accurateDispatches, street.dueToHandle], [2, 1, 1]);
  });

  it('given an assisting department returns, then the whole dispatch is inaccurate for the place but only that assignment for departments', () => {
    const history = story('A', reported('10-05 09:00', '10-05 11:00'), registered('10-05 10:00', '10-25 18:00'),
      dispatched('10-05 11:00', '10-12 18:00', 'D1', 'D2'), returned('10-06 09:00', 'D2'), handled('10-10 10:00', 'D1'));
    assert.deepEqual([countsOf(history, 'street', 'S1').dispatches, countsOf(history, 'street', 'S1').accurateDispatches], [1, 0]);
    assert.equal(countsOf(history, 'department', 'D1').accurateDispatches, 1);
    assert.equal(countsOf(history, 'department', 'D2').accurateDispatches, 0);
  });

  it('given a re-dispatch without a return (改派), then the first assignment is cancelled: not due, not a return', () => {
    const history = story('A', reported('10-22 09:00', '10-22 11:00'), registered('10-22 10:00', '11-05 18:00'),
      dispatched('10-22 11:00', '10-23 08:00', 'D3'), dispatched('10-23 09:00', '10-30 18:00', 'D2'), handled('10-29 10:00', 'D2'));
    assert.deepEqual(nonZero(countsOf(history, 'department', 'D3')), { dispatches: 1, accurateDispatches: 1 });
    assert.equal(countsOf(history, 'street', 'S1').dueToHandle, 1);
  });

  it('given a case suspended at the period end, then its overdue duties are not counted; resumed, it counts by the moved deadline', () => {
    const base = [reported('11-01 09:00', '11-01 11:00'), registered('11-01 10:00', '11-15 18:00'), dispatched('11-01 11:00', '11-08 18:00', 'D1'),
      { kind: 'suspended', at: at('11-04 10:00') } as const];
    assert.deepEqual(nonZero(countsOf(story('A', ...base), 'department', 'D1')), { dispatches: 1, accurateDispatches: 1 });
    const resumed = story('A', ...base, { kind: 'resumed', at: at('11-20 09:00'), handleDueAt: at('11-24 18:00'), closeDueAt: at('11-30 18:00') },
      handled('11-23 10:00', 'D1'), closed('11-26 10:00'));
    const counts = countsOf(resumed, 'department', 'D1');
    assert.deepEqual([counts.handledOnTime, counts.closedOnTime], [1, 1]);
  });

  it('given an approved extension, then handling by the new deadline is on time and the assignment counts as extended', () => {
    const history = story('A', reported('10-12 09:00', '10-12 11:00'), registered('10-12 10:00', '10-30 18:00'), dispatched('10-12 11:00', '10-19 18:00', 'D3'),
      { kind: 'extended', at: at('10-18 10:00'), department: 'D3', newDueAt: at('10-26 18:00') }, handled('10-25 10:00', 'D3'));
    assert.deepEqual([countsOf(history, 'department', 'D3').handledOnTime, countsOf(history, 'department', 'D3').extended], [1, 1]);
  });

  it('given a failed verification and rework, then handling is judged by the restarted deadline and the closed case counts as reworked', () => {
    const history = story('A', reported('10-03 09:00', '10-03 11:00'), registered('10-03 10:00', '10-25 18:00'), dispatched('10-03 11:00', '10-10 18:00', 'D2'),
      handled('10-09 10:00', 'D2'), { kind: 'reworked', at: at('10-10 09:30'), handleDueAt: at('10-12 18:00') }, handled('10-14 10:00', 'D2'), closed('10-16 10:00'));
    const counts = countsOf(history, 'department', 'D2');
    assert.deepEqual([counts.dueToHandle, counts.handled, counts.handledOnTime, counts.dueToClose, counts.reworked], [1, 1, 0, 1, 1]);
    const october9 = countsOf(history, 'department', 'D2', { from: at('10-01 00:00'), to: at('10-09 12:00') });
    assert.deepEqual([october9.handled, october9.reworked], [1, 0], 'before the rework, the period saw it handled once');
  });
});

describe('assessment rules: grid workers and return visits', () => {
  const checked = story('A', reported('12-01 09:00', '12-02 09:00', { reporter: undefined }),
    { kind: 'checkRequested', at: at('12-01 09:10'), assignee: 'w2', dueAt: at('12-01 12:00') }, { kind: 'checked', at: at('12-01 10:00'), by: 'w1' },
    registered('12-01 11:00', '12-20 18:00'), dispatched('12-01 12:00', '12-08 18:00', 'D1'), handled('12-05 10:00', 'D1'),
    { kind: 'verificationRequested', at: at('12-05 10:30'), assignee: 'w3', dueAt: at('12-06 10:30') }, closed('12-07 10:00'),
    { kind: 'visited', at: at('12-08 10:00'), by: 'w1', satisfaction: 'basicallySatisfied' }, { kind: 'visited', at: at('12-09 10:00'), satisfaction: 'dissatisfied' });

  it('given a citizen report, then no grid worker gets its registration; the check goes to who did it, an open verification to its assignee', () => {
    assert.deepEqual(nonZero(countsOf(checked, 'gridWorker', 'w1')), { dueToCheck: 1, checkedOnTime: 1, visits: 1, satisfiedVisits: 1 });
    assert.deepEqual(nonZero(countsOf(checked, 'gridWorker', 'w2')), {});
    assert.deepEqual(nonZero(countsOf(checked, 'gridWorker', 'w3')), { dueToVerify: 1 });
  });

  it('given 基本满意 and 不满意 visits, then the first is satisfied and the second not; a visit without a visitor still counts for the place', () => {
    const street = countsOf(checked, 'street', 'S1');
    assert.deepEqual([street.visits, street.satisfiedVisits], [2, 1]);
    const department = countsOf(checked, 'department', 'D1');
    assert.deepEqual([department.visits, department.satisfiedVisits, department.dueToVerify], [2, 1, 0]);
  });

  it('given a case dispatched to two departments, then the place counts two handling duties and each department one', () => {
    const history = story('A', reported('11-25 09:00', '11-25 11:00'), registered('11-25 10:00', '12-10 18:00'),
      dispatched('11-25 11:00', '12-02 18:00', 'D1', 'D2'), handled('11-30 10:00', 'D1'), handled('12-04 10:00', 'D2'), closed('12-05 10:00'));
    const street = countsOf(history, 'street', 'S1');
    assert.deepEqual([street.dispatches, street.dueToHandle, street.handledOnTime, street.dueToClose], [1, 2, 1, 1]);
    const explained = explain(history, { ...q4, unitKind: 'street', unit: 'S1', indicator: 'onTimeHandlingRate' });
    assert.deepEqual(explained.denominator.items.map((i) => i.ref), ['D1 dispatch 2026-11-25T03:00:00.000Z', 'D2 dispatch 2026-11-25T03:00:00.000Z']);
    assert.deepEqual(explained.numerator.items, [{ caseId: 'A', ref: 'D1 dispatch 2026-11-25T03:00:00.000Z' }]);
  });
});
