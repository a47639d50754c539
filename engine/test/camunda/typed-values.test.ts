// Plain values ⇄ Camunda 7 typed values (no engine needed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  UserError, formatEngineDate, fromTypedValue, fromVariables, parseEngineDate, toTypedValue, toVariables, typed,
} from '../../src/index.ts';

describe('typed values', () => {
  it('maps JavaScript values to the engine types', () => {
    assert.deepEqual(toVariables({
      s: '网格', b: false, i: -2_147_483_648, l: 2_147_483_648, d: 0.1, n: null, skipped: undefined,
      date: new Date('2026-01-05T00:00:00.000Z'), json: { a: [1, 'x'] }, list: ['a', 'b'],
    }), {
      s: { type: 'String', value: '网格' },
      b: { type: 'Boolean', value: false },
      i: { type: 'Integer', value: -2_147_483_648 },
      l: { type: 'Long', value: 2_147_483_648 },
      d: { type: 'Double', value: 0.1 },
      n: { type: 'Null', value: null },
      date: { type: 'Date', value: '2026-01-05T00:00:00.000+0000' },
      json: { type: 'String', value: '{"a":[1,"x"]}' },
      list: { type: 'String', value: '["a","b"]' },
    });
  });

  it('honours an explicit type', () => {
    assert.deepEqual(toTypedValue(typed('Double', 2)), { type: 'Double', value: 2 });
    assert.deepEqual(toTypedValue(typed('Long', 7)), { type: 'Long', value: 7 });
    assert.deepEqual(toTypedValue(typed('Date', '2026-01-05T08:00:00+08:00')), { type: 'Date', value: '2026-01-05T00:00:00.000+0000' });
    assert.deepEqual(toTypedValue(typed('String', { a: 1 })), { type: 'String', value: '{"a":1}' });
  });

  it('refuses values the engine cannot hold, naming the variable', () => {
    for (const value of [Number.NaN, Infinity, 2 ** 60, new Date('nonsense'), () => 1, new Map(), 10n, typed('Integer', 'x')]) {
      assert.throws(() => toVariables({ amount: value }), (e: unknown) => e instanceof UserError && e.details[0]?.target === 'amount' && /"amount"/.test(e.message));
    }
  });

  it('writes and reads the engine date format with milliseconds and offset', () => {
    const date = new Date('2026-11-23T12:34:56.789Z');
    assert.equal(formatEngineDate(date), '2026-11-23T12:34:56.789+0000');
    assert.equal(parseEngineDate('2026-11-23T20:34:56.789+0800').getTime(), date.getTime());
    assert.equal(parseEngineDate('2026-11-23T20:34:56.789+08:00').getTime(), date.getTime());
    assert.equal(parseEngineDate('2026-11-23T12:34:56.789Z').getTime(), date.getTime());
    assert.throws(() => parseEngineDate('yesterday'), RangeError);
  });

  it('reads engine values back, parsing JSON only where asked', () => {
    assert.deepEqual(fromTypedValue({ type: 'Date', value: '2026-01-05T08:00:00.000+0800' }), new Date('2026-01-05T00:00:00.000Z'));
    assert.equal(fromTypedValue({ type: 'Null', value: null }), null);
    assert.deepEqual(fromVariables({
      json: { type: 'String', value: '{"a":1}' },
      text: { type: 'String', value: '{"looks":"like json"}' },
      count: { type: 'Long', value: 5 },
    }, { json: ['json'] }), { json: { a: 1 }, text: '{"looks":"like json"}', count: 5 });
  });
});
