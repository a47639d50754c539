import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintBpmn } from '../../src/index.ts';
import { describeFindings, fixtureOptions, lintFixture, readFixture, summarise } from './support/lint-fixture.ts';
import type { Expected } from './support/lint-fixture.ts';

// One fixture per rule, each violating it; every finding of the file is listed (all at once, in order).
const ruleFixtures: Record<string, Expected[]> = {
  'no-script-task': [
    { rule: 'no-script-task', elementId: 'score', line: 11, says: 'script tasks are not allowed' },
    { rule: 'no-script-task', elementId: 'notify', line: 17, says: 'script execution listener (start)' },
    { rule: 'no-script-task', elementId: 'notify', line: 17, says: 'input parameter "computed" with a script' },
    { rule: 'no-script-task', elementId: 'high', line: 41, says: 'condition in the script language "javascript"' },
    { rule: 'no-script-task', elementId: 'review', line: 48, says: 'script task listener (create)' },
  ],
  'no-java-delegate': [
    { rule: 'no-java-delegate', elementId: 'no-java-delegate', line: 5, says: 'its execution listener (end) runs Java code (${auditListener})' },
    { rule: 'no-java-delegate', elementId: 'by-class', line: 13, says: 'Java class "com.example.DispatchDelegate"' },
    { rule: 'no-java-delegate', elementId: 'by-delegate', line: 18, says: 'delegate expression "${dispatchDelegate}"' },
    { rule: 'no-java-delegate', elementId: 'by-expression', line: 23, says: 'expression "${sms.send(caseCode)}"' },
    { rule: 'no-java-delegate', elementId: 'by-decision', line: 28, says: 'DMN decision "grade"' },
    { rule: 'no-java-delegate', elementId: 'by-connector', line: 33, says: 'connector' },
    { rule: 'no-java-delegate', elementId: 'unimplemented', line: 43, says: 'is not an external task' },
    { rule: 'no-java-delegate', elementId: 'mail', line: 48, says: 'implementation type "mail"' },
    { rule: 'no-java-delegate', elementId: 'approve', line: 53, says: 'its task listener (complete) runs Java code (com.example.ApproveListener)' },
    { rule: 'no-java-delegate', elementId: 'publish', line: 61, says: 'Java class "com.example.PublishDelegate"' },
    { rule: 'no-java-delegate', elementId: 'call', line: 67, says: 'camunda:variableMappingClass="com.example.Mapping"' },
  ],
  'juel-subset': [
    { rule: 'global', elementId: 'reminder-message', line: 6, severity: 'warning', says: 'is not used' },
    { rule: 'juel-subset', elementId: 'reminder-message', line: 6, says: 'in its message name is not allowed: it calls the method or function "toString(…)"' },
    { rule: 'juel-subset', elementId: 'assign', line: 12, says: 'in its assignee is not allowed: "execution" is an engine object' },
    { rule: 'juel-subset', elementId: 'assign', line: 12, says: 'in its due date is not allowed: it uses #{…}' },
    { rule: 'juel-subset', elementId: 'assign', line: 12, says: 'in its multi-instance collection is not allowed: it calls the method or function "list(…)"' },
    { rule: 'juel-subset', elementId: 'assign', line: 12, says: 'in its output parameter "next" is not allowed: it calls the method or function "next(…)"' },
    { rule: 'juel-subset', elementId: 'overdue', line: 34, says: 'in its condition is not allowed: it calls the method or function "now(…)"' },
    { rule: 'juel-subset', elementId: 'wait', line: 38, says: 'in its timer duration is not allowed: brackets may only hold' },
  ],
  'external-topic-bound': [
    { rule: 'external-topic-bound', elementId: 'no-topic', line: 15, says: 'without a topic' },
    { rule: 'external-topic-bound', elementId: 'typo', line: 20, says: 'topic "gridflow.sms", which no plugin handles (bound topics: gridflow.dispatch, gridflow.remind)' },
    { rule: 'external-topic-bound', elementId: 'rate', line: 25, says: 'topic "gridflow.rate"' },
    { rule: 'external-topic-bound', elementId: 'notified', line: 36, says: 'topic "gridflow.notify"' },
  ],
  'user-task-form-and-candidates': [
    { rule: 'user-task-form-and-candidates', elementId: 'register', line: 10, says: 'has no form' },
    { rule: 'user-task-form-and-candidates', elementId: 'handle', line: 15, says: 'refers to form "gridflow:form:handel", which does not exist' },
    { rule: 'user-task-form-and-candidates', elementId: 'verify', line: 20, says: 'has nobody to do it' },
    { rule: 'user-task-form-and-candidates', elementId: 'visit', line: 25, says: 'has no form' },
    { rule: 'user-task-form-and-candidates', elementId: 'visit', line: 25, says: 'has nobody to do it' },
  ],
  'reachability': [
    { rule: 'reachability', elementId: 'ping', line: 71 },
    { rule: 'reachability', elementId: 'pong', line: 76 },
    { rule: 'no-implicit-start', elementId: 'orphan', line: 81 },
    { rule: 'reachability', elementId: 'dead', line: 85 },
    { rule: 'reachability', elementId: 'dead-end', line: 97 },
  ],
};

/** Every message is in both languages, with no placeholder left unfilled. */
function assertWorded(findings: Awaited<ReturnType<typeof lintBpmn>>): void {
  for (const f of findings) {
    assert.ok(f.message['zh-CN'].length > 0 && f.message.en.length > 0, 'every message in both languages');
    // `${name}` and `#{name}` are expressions quoted from the file, not placeholders.
    assert.ok(!/(?<![$#])\{\w+\}/.test(f.message['zh-CN'] + f.message.en), `no unfilled placeholder: ${f.message.en}`);
  }
}

describe('lintBpmn: one fixture per rule', () => {
  for (const [name, expected] of Object.entries(ruleFixtures)) {
    it(`reports ${name} with element ids and lines`, async () => {
      const findings = await lintFixture(name);
      assert.deepEqual(summarise(findings, expected), expected, describeFindings(findings));
      assertWorded(findings);
    });
  }

  it('names the element by kind, name and id in configurators\' words', async () => {
    const findings = await lintFixture('user-task-form-and-candidates');
    const register = findings.find((f) => f.elementId === 'register');
    assert.equal(register?.message['zh-CN'], '用户任务“立案”（register）没有指定表单');
    assert.equal(register?.message.en, 'User task "立案" (register) has no form (camunda:formKey)');
    assert.equal(register?.elementName, '立案');
    assert.equal(register?.column, 5);
  });
});

describe('lintBpmn: reachability beyond sequence flows', () => {
  it('follows boundary events, sub-processes, event sub-processes and link events', async () => {
    const reached = ['work-overdue', 'overdue-end', 'inner-start', 'inner-work', 'inner-end', 'landing', 'end', 'daily', 'daily-start', 'daily-work', 'daily-end'];
    const findings = await lintFixture('reachability');
    assert.deepEqual(findings.filter((f) => reached.includes(f.elementId)), []);
  });

  it('starts sub-processes without start events at their implicit starts, and leaves ad hoc and compensation activities alone', async () => {
    const findings = await lintFixture('reachability-entries');
    assert.deepEqual(summarise(findings, []), [
      { rule: 'start-event-required', elementId: 'no-start', line: 31 },
      { rule: 'no-implicit-start', elementId: 'first', line: 34 },
    ], describeFindings(findings));
  });
});

describe('lintBpmn: a valid process', () => {
  it('accepts the closed loop (register → decide → dispatch → parallel handling with timers → verify)', async () => {
    const findings = await lintFixture('closed-loop');
    assert.deepEqual(findings, [], describeFindings(findings));
  });

  it('accepts bare and gridflow:form: form keys, and checks only presence without known forms', async () => {
    const known = await lintFixture('closed-loop', { formKeys: new Set(['register', 'handle', 'verify']) });
    assert.deepEqual(known, []);
    const { formKeys: _, ...withoutForms } = fixtureOptions;
    const unknownForms = await lintBpmn(readFixture('user-task-form-and-candidates'), withoutForms);
    assert.deepEqual(unknownForms.filter((f) => f.message.en.includes('does not exist')), [], 'no form list, no unknown form');
    assert.equal(unknownForms.filter((f) => f.message.en.includes('has no form')).length, 2, 'missing forms still reported');
  });

  it('refuses the closed loop when its topics are not bound', async () => {
    const findings = await lintFixture('closed-loop', { boundTopics: new Set() });
    assert.deepEqual(findings.map((f) => `${f.rule} ${f.elementId}`), [
      'external-topic-bound dispatch',
      'external-topic-bound remind-primary',
      'external-topic-bound remind-assist',
    ]);
    assert.match(findings[0]?.message['zh-CN'] ?? '', /已绑定的主题：无/);
  });
});

describe('lintBpmn: reporting everything at once', () => {
  it('reports every problem of a file with several, from every rule, in line order', async () => {
    const expected: Expected[] = [
      { rule: 'bpmn-schema', elementId: 'register', line: 11, severity: 'warning', says: 'unknown attribute camunda:asignee' },
      { rule: 'user-task-form-and-candidates', elementId: 'register', line: 11, says: 'has no form' },
      { rule: 'user-task-form-and-candidates', elementId: 'register', line: 11, says: 'has nobody to do it' },
      { rule: 'juel-subset', elementId: 'is-accepted', line: 21, says: '"accept(…)"' },
      { rule: 'conditional-flows', elementId: 'not-accepted', line: 24, says: 'has no condition' },
      { rule: 'external-topic-bound', elementId: 'dispatch', line: 28, says: '"gridflow.dispach"' },
      { rule: 'no-script-task', elementId: 'score', line: 33 },
      { rule: 'no-java-delegate', elementId: 'archive', line: 39 },
      { rule: 'reachability', elementId: 'revisit', line: 47 },
      { rule: 'reachability', elementId: 'revisit-again', line: 52 },
      { rule: 'bpmn-schema', elementId: 'dangling', line: 57, says: 'refers to "archived", which does not exist' },
    ];
    const findings = await lintFixture('many-problems');
    assert.deepEqual(summarise(findings, expected), expected, describeFindings(findings));
    assertWorded(findings);
  });
});

describe('lintBpmn: files that cannot be read', () => {
  it('reports malformed XML as one bpmn-syntax finding with its position', async () => {
    const findings = await lintBpmn(readFixture('malformed'), { ...fixtureOptions, file: 'processes/malformed.bpmn' });
    assert.deepEqual(findings.map((f) => ({ rule: f.rule, elementId: f.elementId, line: f.line, column: f.column, file: f.file })), [
      { rule: 'bpmn-syntax', elementId: '', line: 5, column: 17, file: 'processes/malformed.bpmn' },
    ]);
    assert.match(findings[0]?.message['zh-CN'] ?? '', /^BPMN 文件不是合法的 XML：unexpected close tag/);
  });

  for (const [what, xml] of [['an empty file', ''], ['text', 'not xml'], ['XML that is not BPMN', '<process id="p"/>']]) {
    it(`reports ${what} as one bpmn-syntax finding`, async () => {
      const findings = await lintBpmn(xml ?? '', fixtureOptions);
      assert.deepEqual(findings.map((f) => `${f.rule} ${f.line}`), ['bpmn-syntax 1']);
      assertWorded(findings);
    });
  }

  it('reports duplicate ids and unknown elements as bpmn-schema errors, at their tags', async () => {
    const findings = await lintFixture('schema-problems');
    assert.deepEqual(summarise(findings, []), [
      { rule: 'bpmn-schema', elementId: 'work', line: 18 },
      { rule: 'bpmn-schema', elementId: 'typo', line: 19 },
    ], describeFindings(findings));
    assert.match(findings[1]?.message['zh-CN'] ?? '', /不认识的元素 <bpmn:userTaks>/);
  });

  it('lints a file without any process', async () => {
    const xml = '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x"/>';
    assert.deepEqual(await lintBpmn(xml, fixtureOptions), []);
  });
});
