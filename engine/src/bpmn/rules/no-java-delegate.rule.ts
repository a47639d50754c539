/**
 * no-java-delegate: service work is done by external tasks with a topic, never by code in the engine.
 * Refuses Java classes, delegate expressions and method expressions on service-like tasks, message
 * throw events and listeners, connectors, DMN decisions, other implementation types, service-like
 * tasks without an implementation, and Java hooks (variable mapping, form handler classes).
 */
import type { Reporter, RuleDefinition } from 'bpmnlint/lib/types';
import type { BpmnMessageCode } from '../bpmn-messages.ts';
import { connectorOf, listenersOf } from '../camunda-extensions.ts';
import { is, textOf } from '../moddle-element.ts';
import type { ModdleElement } from '../moddle-element.ts';
import { reportProblem } from '../rule-report.ts';
import { serviceWorkOf } from '../service-tasks.ts';
import type { ServiceWork } from '../service-tasks.ts';

const javaImplementations: readonly (readonly [attribute: string, code: BpmnMessageCode])[] = [
  ['camunda:class', 'java.class'],
  ['camunda:delegateExpression', 'java.delegateExpression'],
  ['camunda:expression', 'java.expression'],
];
const javaHooks = ['camunda:variableMappingClass', 'camunda:variableMappingDelegateExpression', 'camunda:formHandlerClass'];

/** Creates the rule (it has no options). */
export function noJavaDelegateRule(): RuleDefinition {
  return { check: (node: ModdleElement, reporter: Reporter) => checkElement(node, reporter) };
}

function checkElement(node: ModdleElement, reporter: Reporter): void {
  if (!is(node, 'bpmn:FlowElement', 'bpmn:Process')) return;
  for (const work of serviceWorkOf(node)) checkImplementation(work, reporter);
  for (const listener of listenersOf(node)) {
    const value = javaImplementations.map(([attribute]) => textOf(listener.element, attribute)).find((v) => v !== undefined);
    if (value !== undefined) reportProblem(reporter, node, 'java.listener', { listener: listener.label, value });
  }
  for (const attribute of javaHooks) {
    const value = textOf(node, attribute);
    if (value !== undefined) reportProblem(reporter, node, 'java.hook', { attribute, value });
  }
}

/** Reports the first thing that keeps the work from being a plain external task. */
function checkImplementation({ owner, holder, implementationRequired }: ServiceWork, reporter: Reporter): void {
  for (const [attribute, code] of javaImplementations) {
    const value = textOf(holder, attribute);
    if (value !== undefined) return reportProblem(reporter, owner, code, { value });
  }
  if (connectorOf(owner)) return reportProblem(reporter, owner, 'java.connector');
  const decision = textOf(holder, 'camunda:decisionRef');
  if (decision !== undefined) return reportProblem(reporter, owner, 'java.decision', { value: decision });
  const type = textOf(holder, 'camunda:type');
  if (type !== undefined && type !== 'external') return reportProblem(reporter, owner, 'java.type', { value: type });
  if (type === undefined && implementationRequired) reportProblem(reporter, owner, 'java.missing');
}
