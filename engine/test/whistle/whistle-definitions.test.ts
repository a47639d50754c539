/**
 * The whistle process comes with the definitions package: loading a package with a whistle template
 * puts the generated process at processes/whistle.bpmn (checked like every process: its forms must
 * exist), an overlay's template regenerates it, a stale copy in the package is replaced with a
 * warning, and a template with a repeated kind is refused.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { standardPackageDir } from '@gridflow/definitions';
import { formatProblem, generateWhistleBpmn, loadPackage, WHISTLE_PROCESS_PATH } from '../../src/index.ts';
import type { SourcePackage, WhistleTemplate } from '../../src/index.ts';

const read = (path: string) => readFileSync(join(standardPackageDir, path), 'utf8');
const whistleForms = ['report-in', 'opinion', 'consolidate', 'rate', 'district-coordinate'].map((f) => `forms/whistle-${f}.form.json`);

/** The roles the whistle forms' field rules name. */
const roles = ['department-handler', 'department-leader', 'street-leader', 'district-dispatcher']
  .map((code) => `  - { code: ${code}, name: ${code}, scope: ${code.startsWith('department') ? 'department' : code.split('-')[0]} }`).join('\n');

/** The parts of the standard package the whistle needs: the template and its forms, and the roles they name. */
function basePackage(): SourcePackage {
  return {
    label: 'standard',
    files: [
      { path: 'manifest.yaml', text: 'key: standard\nname: 标准包\nversion: 2026.1.0\n' },
      { path: 'roles.yaml', text: `roles:\n${roles}\n` },
      ...['whistles.yaml', ...whistleForms].map((path) => ({ path, text: read(path) })),
    ],
  };
}

const overlay = (files: SourcePackage['files']): SourcePackage => ({
  label: 'district',
  files: [{ path: 'manifest.yaml', text: 'key: district\nname: 区包\nversion: 1.0.0\nextends: standard@2026.1.0\n' }, ...files],
});
const options = { findBase: async () => ({ kind: 'source' as const, source: basePackage() }) };
const problemsOf = (r: Awaited<ReturnType<typeof loadPackage>>) => r.problems.map((p) => formatProblem(p, 'en'));

describe('the whistle process of a definitions package', () => {
  it('is generated from the package\'s template, its forms found', async () => {
    const result = await loadPackage(basePackage());
    assert.deepEqual(problemsOf(result), []);
    assert.equal(result.resolved?.processes[WHISTLE_PROCESS_PATH], generateWhistleBpmn(parse(read('whistles.yaml')) as WhistleTemplate));
  });

  it('is inherited by an overlay, and regenerated from the overlay\'s template when it changes a kind', async () => {
    const inherited = await loadPackage(overlay([]), options);
    assert.deepEqual(problemsOf(inherited), []);
    const base = inherited.resolved?.processes[WHISTLE_PROCESS_PATH] ?? '';
    assert.ok(base.includes("(whistleKind == 'daily' &amp;&amp; !whistleResolved)"));

    const changed = await loadPackage(overlay([{ path: 'whistles.yaml', text: [
      'kinds:',
      '  - code: daily',
      '    $override: true',
      '    reportInMinutes: 20',
      '    escalate: { unresolved: true, overdue: true }',
    ].join('\n') }]), options);
    assert.deepEqual(problemsOf(changed), []);
    const xml = changed.resolved?.processes[WHISTLE_PROCESS_PATH] ?? '';
    assert.ok(xml.includes("(whistleKind == 'daily' &amp;&amp; (!whistleResolved || whistleOverdue))"), 'the overlay\'s rule is in the gateway');
    assert.ok(xml.includes('日常哨（daily）：20 分钟内报到'));
    assert.equal(changed.resolved?.data.whistles?.kinds.find((k) => k.code === 'daily')?.name, '日常哨', 'fields the overlay does not name are kept');
  });

  it('replaces a different copy in the package with a warning, and keeps an identical one silently', async () => {
    const stale = overlay([{ path: WHISTLE_PROCESS_PATH, text: '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="whistle" /></bpmn:definitions>' }]);
    const result = await loadPackage(stale, options);
    assert.deepEqual(result.problems.map((p) => [p.severity, p.code, p.file]), [['warning', 'whistle.processReplaced', `district/${WHISTLE_PROCESS_PATH}`]]);
    const generated = result.resolved?.processes[WHISTLE_PROCESS_PATH] ?? '';
    assert.ok(generated.includes('departmentWork'));
    const same = await loadPackage(overlay([{ path: WHISTLE_PROCESS_PATH, text: generated }]), options);
    assert.deepEqual(problemsOf(same), [], 'an exported package re-imports without a warning');
  });

  it('refuses a template that names a kind twice, and one that breaks the schema', async () => {
    const twice = basePackage();
    (twice.files.find((f) => f.path === 'whistles.yaml') as { text: string }).text += [
      '  - code: daily',
      '    name: 又一个日常哨',
      '    reportInMinutes: 10',
      '    handleWithin: { type: workDays, amount: 1 }',
      '    escalate: { unresolved: false, overdue: false }',
      '',
    ].join('\n');
    const result = await loadPackage(twice);
    assert.equal(result.resolved, undefined);
    assert.deepEqual(result.problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.file, p.pointer]), [['duplicate', 'standard/whistles.yaml', '/kinds/3/code']]);

    const broken = basePackage();
    const file = broken.files.find((f) => f.path === 'whistles.yaml') as { text: string };
    file.text = file.text.replace('reportInMinutes: 15', 'reportInMinutes: 0');
    const refused = await loadPackage(broken);
    assert.equal(refused.resolved, undefined);
    assert.deepEqual(refused.problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.pointer]), [['schema.minimum', '/kinds/2/reportInMinutes']]);
  });
});
