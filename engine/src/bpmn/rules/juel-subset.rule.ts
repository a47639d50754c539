/**
 * juel-subset: every expression the engine evaluates stays within GridFlow's safe JUEL subset
 * (variables, properties, literals and operators; no calls, no engine objects, no `#{...}`).
 */
import type { Reporter, RuleDefinition } from 'bpmnlint/lib/types';
import { format } from '../../i18n/localized-text.ts';
import { expressionSitesOf, formalExpressionTexts } from '../expression-sites.ts';
import { juelReasons } from '../juel-messages.ts';
import { checkJuelSubset } from '../juel-subset.ts';
import { is } from '../moddle-element.ts';
import type { ModdleElement } from '../moddle-element.ts';
import { reportProblem } from '../rule-report.ts';

const maxShownLength = 80;

/** Creates the rule (it has no options). */
export function juelSubsetRule(): RuleDefinition {
  return { check: (node: ModdleElement, reporter: Reporter) => checkElement(node, reporter) };
}

function checkElement(node: ModdleElement, reporter: Reporter): void {
  if (!is(node, 'bpmn:FlowElement', 'bpmn:Process', 'bpmn:Message', 'bpmn:Signal')) return;
  for (const site of [...formalExpressionTexts(node), ...expressionSitesOf(node)]) {
    const check = checkJuelSubset(site.text);
    if (check.ok) continue;
    const reason = format(juelReasons[check.error.code], { token: check.error.token ?? '' });
    reportProblem(reporter, node, 'juel.refused', { site: site.label, expression: shorten(site.text.trim()), reason });
  }
}

function shorten(text: string): string {
  return text.length > maxShownLength ? `${text.slice(0, maxShownLength - 1)}…` : text;
}
