import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage, formatProblem } from '../src/index.ts';
import { parse } from 'yaml';
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

describe('definitions file formats', () => {
  it('accepts JSON wherever YAML is accepted, with the same result', async () => {
    const { packages, options } = miniPackages();
    const yamlResult = await loadPackage(packages['mini-district']!, options);
    const district = packages['mini-district']!;
    for (const file of district.files.filter((f) => f.path.endsWith('.yaml'))) {
      file.text = JSON.stringify(parse(file.text), null, 2);
      file.path = file.path.replace(/\.yaml$/, '.json');
    }
    const jsonResult = await loadPackage(district, options);
    assert.deepEqual(jsonResult.problems, []);
    assert.deepEqual(jsonResult.resolved, yamlResult.resolved);
  });

  it('reports a JSON problem with its line', async () => {
    const { packages, options } = miniPackages();
    const departments = packages['mini-district']!.files.find((f) => f.path === 'departments.yaml')!;
    departments.path = 'departments.json';
    departments.text = '{\n  "departments": [\n    { "code": "D01", "name": "执法局", "orgUnit": "370102", "color": "red" }\n  ]\n}\n';
    const result = await loadPackage(packages['mini-district']!, options);
    const errors = result.problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.file}:${p.line}`);
    assert.ok(errors.includes('schema.additionalProperties mini-district/departments.json:3'), errors.join('\n'));
  });
});
