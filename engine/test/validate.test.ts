import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage, formatProblem } from '../src/index.ts';
import { applyEdits, miniPackages, readInvalidFixtures } from './support/fixture-package.ts';

describe('definitions validation', () => {
  it('accepts the mini district and resolves its overlay', async () => {
    const { packages, options } = miniPackages();
    const result = await loadPackage(packages['mini-district']!, options);
    assert.deepEqual(result.problems.map((p) => formatProblem(p, 'en')), []);
    const classes = result.resolved?.data.catalogue?.classes ?? [];
    assert.deepEqual(classes.map((c) => c.code), ['01', '04', '10']);
    const garbage = classes[0]?.subclasses.find((s) => s.code === '01002');
    assert.deepEqual(garbage?.timeLimit, { type: 'workHours', amount: 1 }, 'override replaced the time limit');
    assert.equal(garbage?.name, '暴露垃圾', 'override kept the fields it did not name');
    assert.equal(result.resolved?.data.roles?.roles.length, 3, 'roles inherited from the base');
    assert.equal(result.unpublishedBases.map((b) => b.manifest.key).join(), 'mini-standard');
  });

  for (const { name, fixture } of readInvalidFixtures()) {
    it(`reports ${name}: ${fixture.description}`, async () => {
      const { packages, options } = miniPackages();
      applyEdits(packages, fixture.edits);
      const result = await loadPackage(packages['mini-district']!, options);
      const actual = result.problems
        .filter((p) => p.severity === 'error' || fixture.expect.some((e) => e.severity === 'warning'))
        .map((p) => ({ code: p.code, file: p.file, ...(p.line !== undefined ? { line: p.line } : {}), severity: p.severity }));
      const expected = fixture.expect.map((e) => ({ code: e.code, file: e.file, ...(e.line !== undefined ? { line: e.line } : {}), severity: e.severity ?? 'error' }));
      assert.deepEqual(actual, expected, result.problems.map((p) => formatProblem(p, 'en')).join('\n'));
      assert.equal(result.resolved, undefined, 'an invalid package does not resolve');
      for (const p of result.problems) {
        assert.ok(p.message['zh-CN'].length > 0 && p.message.en.length > 0, 'every message in both languages');
        assert.ok(!/\{\w+\}/.test(p.message['zh-CN'] + p.message.en), `no unfilled placeholder: ${p.message.en}`);
      }
    });
  }
});
