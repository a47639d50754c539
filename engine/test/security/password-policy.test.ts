import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { afterAttempt, checkPassword, dengbaoPolicy, isLocked, lengthOnlyPolicy, passwordExpired, passwordPolicy } from '../../src/index.ts';

const problems = (password: string, policy = dengbaoPolicy, username = 'wgy001') => checkPassword(password, policy, username).map((p) => p.en);

describe('password policy', () => {
  const dengbao: [string, number][] = [
    ['Gridflow@2026', 0], ['abcdEF12', 0], ['abcd12!@', 0], ['ABCD12!@', 0], ['网格Ab1!xyz', 0],
    ['abcdefgh', 1], ['abcdef12', 1], ['ABCDEFGH', 1], ['Ab1!', 1], ['abc', 2], ['Wgy001Abc!', 1], ['aaaaaaaa', 2],
  ];
  for (const [password, count] of dengbao) {
    it(`等保 profile: "${password}" breaks ${count} rule(s)`, () => assert.equal(problems(password).length, count, problems(password).join('; ')));
  }

  it('the length-only profile asks for 12 characters and no composition', () => {
    assert.deepEqual(problems('correct horse battery', lengthOnlyPolicy), []);
    assert.deepEqual(problems('Ab1!Ab1!', lengthOnlyPolicy), ['The password needs at least 12 characters']);
  });

  it('messages come in both languages', () => {
    const [p] = checkPassword('short', dengbaoPolicy);
    assert.equal(p?.['zh-CN'], '密码至少 8 位');
  });

  it('profiles come from configuration; an unknown one is refused', () => {
    assert.equal(passwordPolicy(undefined).profile, 'dengbao');
    assert.deepEqual(passwordPolicy('length-only', 90), { ...lengthOnlyPolicy, maxAgeDays: 90 });
    assert.throws(() => passwordPolicy('weak'), /dengbao or length-only/);
  });

  it('passwords expire only when the policy says so', () => {
    const changed = new Date('2026-01-01T00:00:00Z');
    assert.equal(passwordExpired(changed, dengbaoPolicy, new Date('2030-01-01')), false);
    assert.equal(passwordExpired(changed, { ...dengbaoPolicy, maxAgeDays: 90 }, new Date('2026-03-31T23:59:59Z')), false);
    assert.equal(passwordExpired(changed, { ...dengbaoPolicy, maxAgeDays: 90 }, new Date('2026-04-01T00:00:00Z')), true);
  });
});

describe('lockout', () => {
  const t0 = new Date('2026-11-23T08:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  it('the fifth failure locks the account for 15 minutes', () => {
    let state = { failedAttempts: 0, lockedUntil: null as Date | null };
    for (let i = 1; i <= 4; i++) {
      state = afterAttempt(state, false, at(i));
      assert.equal(isLocked(state, at(i)), false);
    }
    state = afterAttempt(state, false, at(5));
    assert.deepEqual(state, { failedAttempts: 0, lockedUntil: at(20) });
    assert.equal(isLocked(state, at(19)), true);
    assert.equal(isLocked(state, at(20)), false);
  });

  it('a success clears the count; a failure after the lock ran out starts a new count', () => {
    assert.deepEqual(afterAttempt({ failedAttempts: 3, lockedUntil: null }, true, t0), { failedAttempts: 0, lockedUntil: null });
    assert.deepEqual(afterAttempt({ failedAttempts: 0, lockedUntil: at(-1) }, false, t0), { failedAttempts: 1, lockedUntil: null });
  });
});
