// Helpers for BPMN lint tests: read a fixture beside the tests, lint it, and summarise findings.
import { readFileSync } from 'node:fs';
import { lintBpmn } from '../../../src/index.ts';
import type { BpmnFinding, LintBpmnOptions } from '../../../src/index.ts';

/** Topics and forms the fixtures are written against. */
export const fixtureOptions: LintBpmnOptions = {
  boundTopics: new Set(['gridflow.dispatch', 'gridflow.remind']),
  formKeys: new Set(['register', 'handle', 'verify']),
};

/** The text of engine/test/bpmn/fixtures/<name>.bpmn. */
export function readFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}.bpmn`, import.meta.url), 'utf8');
}

/** Lints a fixture with the fixture options (overridable). */
export function lintFixture(name: string, options: Partial<LintBpmnOptions> = {}): Promise<BpmnFinding[]> {
  return lintBpmn(readFixture(name), { ...fixtureOptions, ...options });
}

/** What a test expects of a finding; `says` is a fragment of the English message. */
export interface Expected {
  rule: string;
  elementId: string;
  line: number;
  severity?: 'error' | 'warning';
  says?: string;
}

/** Findings in the shape of the expectations (severity defaults to error; `says` kept when expected). */
export function summarise(findings: readonly BpmnFinding[], expected: readonly Expected[]): Expected[] {
  return findings.map((f, i) => {
    const summary: Expected = { rule: f.rule, elementId: f.elementId, line: f.line ?? 0 };
    if (f.severity !== 'error') summary.severity = f.severity;
    const says = expected[i]?.says;
    if (says !== undefined) summary.says = f.message.en.includes(says) ? says : f.message.en;
    return summary;
  });
}

/** One line per finding, for assertion messages. */
export function describeFindings(findings: readonly BpmnFinding[]): string {
  return findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.rule} ${f.elementId}: ${f.message.en}`).join('\n');
}
