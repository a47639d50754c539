import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compare, fraction, fromDecimal, over, plus, rounded, truncated, whole } from '../../src/assessment/fraction.ts';

describe('exact fractions', () => {
  it('given decimals as written, then they convert exactly, exponents included', () => {
    assert.deepEqual(fromDecimal(89.99), { n: 8999n, d: 100n });
    assert.deepEqual(fromDecimal(2.5), { n: 5n, d: 2n });
    assert.deepEqual(fromDecimal(1e-7), { n: 1n, d: 10000000n });
    assert.deepEqual(fromDecimal(1e21), { n: 10n ** 21n, d: 1n });
    assert.throws(() => fromDecimal(Number.NaN), RangeError);
  });

  it('given 0.1 + 0.2, then the sum is exactly 3/10, unlike floating point', () => {
    assert.equal(compare(plus(fromDecimal(0.1), fromDecimal(0.2)), fromDecimal(0.3)), 0);
  });

  it('given fractions, then truncation cuts and rounding goes half up', () => {
    assert.equal(truncated(fraction(89999n, 1000n), 2), 89.99);
    assert.equal(rounded(fraction(5n, 6n), 4), '0.8333');
    assert.equal(rounded(fraction(2n, 3n), 4), '0.6667');
    assert.equal(rounded(fraction(1n, 8n), 2), '0.13');
    assert.equal(rounded(whole(1), 4), '1.0000');
    assert.equal(rounded(fraction(7n, 2n), 0), '4');
    assert.deepEqual(over(whole(3), whole(6)), { n: 1n, d: 2n });
  });
});
