/**
 * no-script-task: GridFlow runs no scripts in the engine. Refuses script tasks, script listeners,
 * input/output parameters computed by scripts, and conditions, timers and multi-instance settings
 * written in a script language.
 */
import type { Reporter, RuleDefinition } from 'bpmnlint/lib/types';
import { listenersOf, parameterValuesOf } from '../camunda-extensions.ts';
import { formalExpressionsOf, scriptLanguageOf } from '../expression-sites.ts';
import { elementOf, is } from '../moddle-element.ts';
import type { ModdleElement } from '../moddle-element.ts';
import { reportProblem } from '../rule-report.ts';

/** Creates the rule (it has no options). */
export function noScriptTaskRule(): RuleDefinition {
  return { check: (node: ModdleElement, reporter: Reporter) => checkElement(node, reporter) };
}

function checkElement(node: ModdleElement, reporter: Reporter): void {
  if (!is(node, 'bpmn:FlowElement', 'bpmn:Process')) return;
  if (is(node, 'bpmn:ScriptTask')) reportProblem(reporter, node, 'script.task');
  for (const listener of listenersOf(node)) {
    if (elementOf(listener.element, 'script')) reportProblem(reporter, node, 'script.listener', { listener: listener.label });
  }
  for (const value of parameterValuesOf(node)) {
    if (value.script) reportProblem(reporter, node, 'script.parameter', { parameter: value.label });
  }
  for (const site of formalExpressionsOf(node)) {
    const language = scriptLanguageOf(site.expression);
    if (language) reportProblem(reporter, node, 'script.condition', { site: site.label, language });
  }
}
