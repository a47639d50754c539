import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clockState, workTimeBetween, type ClockEvent } from '../../src/index.ts';
import { calendar, hours } from './clock-fixtures.ts';

/** A seeded linear congruential generator (no Math.random: every run draws the same cases). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

/** A clock started at a random minute of 2026's first half, paused and resumed a few times at random. */
function randomClock(random: () => number): { events: ClockEvent[]; now: Date; runs: [Date, Date][] } {
  let t = Date.parse('2026-01-01T00:00+08:00') + Math.floor(random() * 180 * 24 * 60) * 60_000;
  const events: ClockEvent[] = [{ kind: 'started', at: new Date(t), limit: { type: 'workDays', amount: 1 + Math.floor(random() * 10) } }];
  const runs: [Date, Date][] = [];
  let runFrom = t;
  const toggles = Math.floor(random() * 6);
  for (let i = 0; i < toggles; i++) {
    t += Math.floor(random() * 3 * 24 * 60) * 60_000;
    if (i % 2 === 0) runs.push([new Date(runFrom), new Date(t)]);
    else runFrom = t;
    events.push({ kind: i % 2 === 0 ? 'paused' : 'resumed', at: new Date(t) });
  }
  const now = t + Math.floor(random() * 5 * 24 * 60) * 60_000;
  if (toggles % 2 === 0) runs.push([new Date(runFrom), new Date(now)]);
  return { events, now: new Date(now), runs };
}

describe('case clock properties over random pause/resume histories', () => {
  it('given 300 random histories (seed 2026), when the state is computed, then elapsed is the work time of the runs and elapsed + remaining is the limit', () => {
    const random = lcg(2026);
    for (let i = 0; i < 300; i++) {
      const { events, now, runs } = randomClock(random);
      const state = clockState(calendar, events, now);
      const worked = runs.reduce((sum, [from, to]) => sum + workTimeBetween(calendar, from, to, 'workDays').ms, 0);
      const label = JSON.stringify(events.map((e) => [e.kind, e.at.toISOString()]));
      assert.equal(state.elapsedMs, worked, label);
      assert.equal(state.elapsedMs + state.remainingMs, state.budgetMs, label);
      assert.equal(state.budgetMs, hours(8) * (events[0] as { limit: { amount: number } }).limit.amount, label);
    }
  });

  it('given 300 random histories (seed 7), when a running clock is not overdue, then the work time from now to the deadline is the remaining time', () => {
    const random = lcg(7);
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const { events, now } = randomClock(random);
      const state = clockState(calendar, events, now);
      if (state.status !== 'running' || state.warning === 'red' || !state.dueAt) continue;
      checked++;
      assert.equal(workTimeBetween(calendar, now, state.dueAt, 'workDays').ms, state.remainingMs, JSON.stringify(events));
    }
    assert.ok(checked > 50, `only ${checked} histories were running and on time`);
  });
});
