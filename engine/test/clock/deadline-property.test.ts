import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addTimeLimit, workTimeBetween, type TimeLimitType } from '../../src/index.ts';
import { calendar, hours } from './clock-fixtures.ts';

/** mulberry32: a small seeded PRNG, so every run draws the same cases. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const yearStart = Date.parse('2026-01-01T00:00+08:00');
const yearEnd = Date.parse('2027-01-01T00:00+08:00');
const iterations = 400;

/** A random start in 2026 on a whole minute, and a random amount: whole units or halves. */
function draw(random: () => number, maxAmount: number): { start: Date; amount: number } {
  const minute = Math.floor(random() * ((yearEnd - yearStart) / 60_000));
  const amount = Math.floor(random() * maxAmount * 2) / 2;
  return { start: new Date(yearStart + minute * 60_000), amount };
}

/** Beijing wall-clock date and minute of the day of an instant. */
function local(date: Date): { date: string; minute: number } {
  const text = new Date(date.getTime() + hours(8)).toISOString();
  return { date: text.slice(0, 10), minute: Number(text.slice(11, 13)) * 60 + Number(text.slice(14, 16)) };
}

describe('deadline properties over random starts in 2026', () => {
  const cases: [TimeLimitType, number, number][] = [['workHours', 80, 20260101], ['workDays', 25, 20261001]];
  for (const [type, maxAmount, seed] of cases) {
    it(`given ${iterations} random starts and ${type} amounts (seed ${seed}), when the due instant is computed, then workTimeBetween(start, due) is the amount`, () => {
      const random = prng(seed);
      for (let i = 0; i < iterations; i++) {
        const { start, amount } = draw(random, maxAmount);
        const { dueAt } = addTimeLimit(calendar, start, { type, amount });
        const elapsed = workTimeBetween(calendar, start, dueAt, type);
        assert.ok(Math.abs(elapsed.amount - amount) < 1e-9, `${start.toISOString()} + ${amount} ${type}: measured ${elapsed.amount}`);
        assert.ok(dueAt >= start, `${start.toISOString()} + ${amount} ${type}: due before the start`);
      }
    });

    it(`given ${iterations} random starts and ${type} amounts (seed ${seed}), when the due instant is computed, then it lies inside or at the end of a work period of a working day`, () => {
      const random = prng(seed + 1);
      for (let i = 0; i < iterations; i++) {
        const { start, amount } = draw(random, maxAmount);
        const { dueAt } = addTimeLimit(calendar, start, { type, amount });
        const { date, minute } = local(dueAt);
        const inside = calendar.workPeriods(date).some((p) => minute >= p.start && minute <= p.end);
        assert.ok(inside, `${start.toISOString()} + ${amount} ${type} is due ${date} minute ${minute}, outside work time`);
      }
    });
  }

  it('given random starts, when the amount grows, then the due instant never moves earlier', () => {
    const random = prng(7);
    for (let i = 0; i < iterations; i++) {
      const { start, amount } = draw(random, 40);
      const shorter = addTimeLimit(calendar, start, { type: 'workHours', amount }).dueAt;
      const longer = addTimeLimit(calendar, start, { type: 'workHours', amount: amount + 0.5 }).dueAt;
      assert.ok(longer > shorter, `${start.toISOString()} + ${amount}`);
    }
  });

  it('given random starts, when urgent and natural-day limits are measured back, then they round-trip too', () => {
    const random = prng(11);
    for (let i = 0; i < iterations; i++) {
      const { start, amount } = draw(random, 30);
      for (const type of ['urgent', 'naturalDays'] as const) {
        const { dueAt } = addTimeLimit(calendar, start, { type, amount });
        assert.equal(workTimeBetween(calendar, start, dueAt, type).amount, amount, `${start.toISOString()} + ${amount} ${type}`);
      }
    }
  });
});
