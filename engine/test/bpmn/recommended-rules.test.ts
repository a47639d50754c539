import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import recommended from 'bpmnlint/config/recommended';
import { leftOutRules, recommendedRules, recommendedSeverities } from '../../src/bpmn/recommended-rules.ts';
import { wordRecommendedReport } from '../../src/bpmn/recommended-messages.ts';

// What bpmnlint's rules report (from their sources, bpmnlint 11), by rule.
const bpmnlintReports: Record<string, string[]> = {
  'ad-hoc-sub-process': ['A <Start Event> is not allowed in <Ad Hoc Sub Process>', 'An <End Event> is not allowed in <Ad Hoc Sub Process>'],
  'conditional-flows': ['Sequence flow is missing condition'],
  'end-event-required': ['Process is missing end event'],
  'event-based-gateway': ['An <Event-based Gateway> must have at least 2 outgoing <Sequence Flows>', 'A <Sequence Flow> outgoing from an <Event-based Gateway> must not be conditional'],
  'event-sub-process-typed-start-event': ['Start event is missing event definition'],
  'fake-join': ['Incoming flows do not join'],
  'global': ['Element is missing name', 'Element is unused', 'Element name is not unique'],
  'label-required': ['Element is missing label/name'],
  'link-event': ['Link event is missing link name', 'Link catch event with link name <a> missing in scope', 'Duplicate link catch event with link name <a> in scope'],
  'no-complex-gateway': ['Element type <bpmn:ComplexGateway> is discouraged'],
  'no-disconnected': ['Element is not connected'],
  'no-duplicate-sequence-flows': ['SequenceFlow is a duplicate', 'Duplicate outgoing sequence flows', 'Duplicate incoming sequence flows'],
  'no-gateway-join-fork': ['Gateway forks and joins'],
  'no-implicit-end': ['Element is an implicit end'],
  'no-implicit-split': ['Flow splits implicitly'],
  'no-implicit-start': ['Element is an implicit start'],
  'single-blank-start-event': ['Process has multiple blank start events'],
  'single-event-definition': ['Event has multiple event definitions'],
  'start-event-required': ['Process is missing start event'],
  'sub-process-blank-start-event': ['Start event must be blank'],
  'superfluous-gateway': ['Gateway is superfluous. It only has one source and target.'],
  'superfluous-termination': ['Termination is superfluous.'],
};

describe('bpmnlint recommended rules', () => {
  it('decides on every recommended rule: run it, or leave it out with a reason', () => {
    const decided = [...Object.keys(recommendedRules), ...Object.keys(leftOutRules)].sort();
    assert.deepEqual(decided, Object.keys(recommended.rules ?? {}).sort());
  });

  it('runs the chosen rules at their recommended severities', () => {
    assert.deepEqual(Object.keys(recommendedSeverities).sort(), Object.keys(recommendedRules).sort());
    assert.equal(recommendedSeverities['no-disconnected'], 'error');
    assert.equal(recommendedSeverities['fake-join'], 'warn');
  });

  it('words link event reports with the link name and side in both languages', () => {
    const worded = wordRecommendedReport('link-event', 'Link catch event with link name <to-end> missing in scope');
    assert.deepEqual(worded?.params, { side: { 'zh-CN': '捕获', en: 'catch' }, name: 'to-end' });
  });

  it('words every English report of the rules it runs, each differently', () => {
    for (const [rule, reports] of Object.entries(bpmnlintReports)) {
      assert.ok(rule in recommendedRules, `${rule} runs`);
      const wordings = reports.map((report) => wordRecommendedReport(rule, report)?.message.en);
      assert.ok(wordings.every((w) => w !== undefined), `${rule}: ${JSON.stringify(wordings)}`);
      assert.equal(new Set(wordings).size, reports.length, `${rule} words each report differently`);
    }
    assert.deepEqual(Object.keys(bpmnlintReports).sort(), Object.keys(recommendedRules).sort());
  });
});
