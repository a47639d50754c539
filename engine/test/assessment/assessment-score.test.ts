import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assess, type AssessmentProfile, type IndicatorCode } from '../../src/index.ts';
import { goldenHistory, q4, registered, reported, standardBands, standardProfile, story } from './assessment-fixtures.ts';

type Weights = [IndicatorCode, number, boolean?][];
const profileOf = (weights: Weights): AssessmentProfile => ({
  indicators: weights.map(([code, weight, inverse]) => ({ code, name: code, weight, inverse: inverse ?? false })),
  bands: standardBands,
});

// Street S1 has one case: registered on time (按时立案率 1/1 = 1) and not closed by its deadline (结案率 0/1 = 0).
const oneCase = story('A', reported('10-02 09:00', '10-02 11:00'), registered('10-02 10:00', '10-20 18:00'));
const scoreOf = (history: typeof oneCase, weights: Weights, unitKind: 'street' | 'department' = 'street', unit = 'S1') => {
  const result = assess(history, profileOf(weights), { ...q4, unitKind, units: [unit] }).units[0]!;
  return [result.score, result.grade];
};
const split = (full: number, zero: number): Weights => [['onTimeRegistrationRate', full], ['closingRate', zero]];

describe('assessment score: bands', () => {
  it('given a score of exactly 90, then grade A; 89.99, then B', () => {
    assert.deepEqual(scoreOf(oneCase, split(90, 10)), [90, 'A']);
    assert.deepEqual(scoreOf(oneCase, split(89.99, 10.01)), [89.99, 'B']);
  });

  it('given an exact score of 89.999, then it is shown cut to 89.99 (never rounded up to 90.00) and graded B', () => {
    assert.deepEqual(scoreOf(oneCase, split(89.999, 10.001)), [89.99, 'B']);
  });

  it('given the other band minimums, then each boundary belongs to the band above it', () => {
    assert.deepEqual(scoreOf(oneCase, split(75, 25)), [75, 'B']);
    assert.deepEqual(scoreOf(oneCase, split(74.99, 25.01)), [74.99, 'C']);
    assert.deepEqual(scoreOf(oneCase, split(60, 40)), [60, 'C']);
    assert.deepEqual(scoreOf(oneCase, split(40, 60)), [40, 'D']);
    assert.deepEqual(scoreOf(oneCase, split(39.99, 60.01)), [39.99, 'E']);
    assert.deepEqual(scoreOf(oneCase, split(0, 1)), [0, 'E']);
  });

  it('given bands that do not reach down to 0, then a score below them all has no grade', () => {
    const profile = { ...profileOf(split(50, 50)), bands: [{ grade: 'A', min: 90 }, { grade: 'B', min: 60 }] };
    const unit = assess(oneCase, profile, { ...q4, unitKind: 'street' }).units[0]!;
    assert.deepEqual([unit.score, unit.grade], [50, null]);
  });
});

describe('assessment score: weights', () => {
  it('given an indicator with no denominator, then its weight is left out and the others count in proportion', () => {
    // 准确派遣率 has no dispatch to count for S1: the score is 按时立案率 alone.
    assert.deepEqual(scoreOf(oneCase, [['onTimeRegistrationRate', 20], ['accurateDispatchRate', 80]]), [100, 'A']);
  });

  it('given only indicators of weight 0 have a rate, then there is no score', () => {
    assert.deepEqual(scoreOf(oneCase, [['onTimeRegistrationRate', 0], ['accurateDispatchRate', 80]]), [null, null]);
  });

  it('given the inverse flag, then 1 − rate counts: less is better', () => {
    assert.deepEqual(scoreOf(oneCase, [['closingRate', 1, true]]), [100, 'A']);
    assert.deepEqual(scoreOf(oneCase, [['closingRate', 1, false]]), [0, 'E']);
  });

  it('given the golden D01, when the profile weights change, then its score changes with them', () => {
    // D01: 按期处置率 8/13, 准确派遣率 12/12, 返工率 0/12, 满意率 8/9 (see the golden ledger).
    assert.deepEqual(scoreOf(goldenHistory, [['onTimeHandlingRate', 1]], 'department', 'D01'), [61.53, 'C']);
    assert.deepEqual(scoreOf(goldenHistory, [['accurateDispatchRate', 1]], 'department', 'D01'), [100, 'A']);
    assert.deepEqual(scoreOf(goldenHistory, [['onTimeHandlingRate', 1], ['satisfactionRate', 1]], 'department', 'D01'), [75.21, 'B']);
    assert.deepEqual(scoreOf(goldenHistory, [['onTimeHandlingRate', 1], ['satisfactionRate', 3]], 'department', 'D01'), [82.05, 'B']);
    assert.deepEqual(scoreOf(goldenHistory, [['onTimeHandlingRate', 1], ['reworkRate', 1, true]], 'department', 'D01'), [80.76, 'B']);
  });

  it('given the standard profile with weights summing to 100 or scaled by 10, then the score is the same', () => {
    const scaled = { ...standardProfile, indicators: standardProfile.indicators.map((x) => ({ ...x, weight: x.weight * 10 })) };
    const options = { ...q4, unitKind: 'department' as const };
    assert.deepEqual(assess(goldenHistory, scaled, options).units.map((u) => u.score), assess(goldenHistory, standardProfile, options).units.map((u) => u.score));
  });
});
