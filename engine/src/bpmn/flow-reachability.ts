/**
 * Which flow nodes a token can reach from a process's start events: along sequence flows, into
 * boundary events of reached activities, into sub-processes (their start events) and event
 * sub-processes (when their scope is reached), and from link throw to link catch events.
 * Compensation activities have no sequence flows, so they never lead anywhere and are left out.
 */
import { elementOf, elementsOf, is, textOf } from './moddle-element.ts';
import type { ModdleElement } from './moddle-element.ts';

/** The flow nodes of a scope (process or sub-process) that are not reachable, in reachable scopes only. */
export function unreachableNodes(process: ModdleElement): ModdleElement[] {
  const walk = new ReachabilityWalk();
  walk.enterScope(process);
  const unreachable: ModdleElement[] = [];
  const collect = (scope: ModdleElement) => {
    for (const node of flowNodesOf(scope)) {
      if (!walk.reached.has(node)) unreachable.push(node);
      else if (is(node, 'bpmn:SubProcess')) collect(node);
    }
  };
  collect(process);
  return unreachable;
}

/** The flow nodes directly inside a process or sub-process. */
function flowNodesOf(scope: ModdleElement): ModdleElement[] {
  return elementsOf(scope, 'flowElements').filter((element) => is(element, 'bpmn:FlowNode'));
}

const isEventSubProcess = (node: ModdleElement) => is(node, 'bpmn:SubProcess') && node.get('triggeredByEvent') === true;

function eventDefinitionOf(node: ModdleElement, type: string): ModdleElement | undefined {
  return elementsOf(node, 'eventDefinitions').find((definition) => is(definition, type));
}

/** A worklist walk; `reached` grows as scopes are entered and tokens move. */
class ReachabilityWalk {
  readonly reached = new Set<ModdleElement>();

  /** A token enters a scope: its start events (or, without any, its implicit starts) and event sub-processes. */
  enterScope(scope: ModdleElement): void {
    const nodes = flowNodesOf(scope);
    const starts = nodes.filter((node) => is(node, 'bpmn:StartEvent'));
    const entries = is(scope, 'bpmn:AdHocSubProcess') ? nodes : starts.length > 0 ? starts : nodes.filter(isImplicitStart);
    for (const node of [...entries, ...nodes.filter(isEventSubProcess)]) this.reach(node);
  }

  private reach(first: ModdleElement): void {
    const pending = [first];
    for (let node = pending.pop(); node; node = pending.pop()) {
      if (this.reached.has(node)) continue;
      this.reached.add(node);
      pending.push(...this.successors(node));
      if (is(node, 'bpmn:SubProcess')) this.enterScope(node);
    }
  }

  private successors(node: ModdleElement): ModdleElement[] {
    const next = elementsOf(node, 'outgoing').map((flow) => elementOf(flow, 'targetRef'));
    const scope = node.$parent;
    if (scope && is(node, 'bpmn:Activity')) next.push(...flowNodesOf(scope).filter((other) => elementOf(other, 'attachedToRef') === node));
    if (scope && is(node, 'bpmn:IntermediateThrowEvent')) next.push(...linkTargets(node, scope));
    return next.filter((target): target is ModdleElement => target !== undefined && is(target, 'bpmn:FlowNode'));
  }
}

/** The link catch events of the scope named like the link this throw event throws. */
function linkTargets(node: ModdleElement, scope: ModdleElement): ModdleElement[] {
  const name = textOf(eventDefinitionOf(node, 'bpmn:LinkEventDefinition'), 'name');
  if (name === undefined) return [];
  return flowNodesOf(scope).filter((other) =>
    is(other, 'bpmn:IntermediateCatchEvent') && textOf(eventDefinitionOf(other, 'bpmn:LinkEventDefinition'), 'name') === name);
}

/** Where BPMN starts a token in a scope without start events: nodes without incoming flows that start nothing else. */
function isImplicitStart(node: ModdleElement): boolean {
  if (elementsOf(node, 'incoming').length > 0 || is(node, 'bpmn:BoundaryEvent') || isEventSubProcess(node)) return false;
  if (node.get('isForCompensation') === true) return false;
  return !(is(node, 'bpmn:IntermediateCatchEvent') && eventDefinitionOf(node, 'bpmn:LinkEventDefinition'));
}
