/**
 * reachability: every flow node can be reached from a start event. bpmnlint's no-disconnected and
 * no-implicit-start already report nodes without incoming flows; this rule reports what they miss:
 * nodes whose incoming flows all come from unreachable parts (islands, loops, dead branches).
 * Contents of an unreachable sub-process are not reported one by one: the sub-process is.
 */
import type { Reporter, RuleDefinition } from 'bpmnlint/lib/types';
import { unreachableNodes } from '../flow-reachability.ts';
import { elementsOf, is } from '../moddle-element.ts';
import type { ModdleElement } from '../moddle-element.ts';
import { reportProblem } from '../rule-report.ts';

/** Creates the rule (it has no options). */
export function reachabilityRule(): RuleDefinition {
  return {
    check: (node: ModdleElement, reporter: Reporter) => {
      if (!is(node, 'bpmn:Process')) return;
      for (const unreachable of unreachableNodes(node)) {
        if (elementsOf(unreachable, 'incoming').length > 0) reportProblem(reporter, unreachable, 'reach.unreachable');
      }
    },
  };
}
