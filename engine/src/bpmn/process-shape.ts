/**
 * The shape of a process as task operations need it: flow nodes with their sequence flows and
 * multi-instance markers, and the plan of a "return to an earlier step" (退回 / 撤回) as engine
 * modification instructions. Returning re-enters the process before the target step and cancels
 * every active token the re-entered path would produce again — the steps after the target,
 * including sibling parallel branches and whole multi-instance steps when the target lies before
 * their fork — while tokens of branches the target does not lead to are kept. A step in a sibling
 * parallel branch is not "earlier" and is refused. Top-level scope only: sub-processes count as
 * single steps.
 */
import { BpmnModdle } from 'bpmn-moddle';
import camundaPackage from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { elementOf, elementsOf, is, isModdleElement } from './moddle-element.ts';
import type { ModdleElement } from './moddle-element.ts';

/** A flow node of the shape. */
export interface ShapeNode {
  id: string;
  name?: string;
  type: string;
  outgoing: string[];
  multiInstance: boolean;
}

/** The top-level flow nodes of one process. */
export interface ProcessShape {
  processId: string;
  nodes: Map<string, ShapeNode>;
}

/** An active token of a process instance (from the engine's activity instance tree). */
export interface ActiveActivity {
  /** Activity instance id (for cancel instructions). */
  instanceId: string;
  /** The activity id; `<id>#multiInstanceBody` for the body of a multi-instance step. */
  activityId: string;
  activityType: string;
  /** The enclosing activity instance (a multi-instance body, a sub-process), if any. */
  parentInstanceId?: string;
}

/** The plan of a return, or why it is refused. */
export type ReturnPlan =
  | { ok: true; startBefore: string; cancel: string[] }
  | { ok: false; reason: 'unknownStep' | 'notUserTask' | 'notEarlier' | 'sameStep' | 'insideParallelBranch' };

/** Reads the shape of a process from BPMN XML (the first executable process unless one is named). */
export async function loadProcessShape(xml: string, processId?: string): Promise<ProcessShape> {
  const { rootElement } = await new BpmnModdle({ camunda: camundaPackage }).fromXML(xml);
  const processes = elementsOf(rootElement as ModdleElement, 'rootElements').filter((e) => is(e, 'bpmn:Process'));
  const process = processes.find((p) => (processId ? p.id === processId : p.get('isExecutable') === true)) ?? processes[0];
  if (!process?.id) throw new Error('The BPMN has no process');
  const nodes = new Map<string, ShapeNode>();
  const elements = elementsOf(process, 'flowElements');
  // Edges from the sequence flows themselves (files need not list <outgoing> on their nodes).
  const edges = new Map<string, string[]>();
  for (const flow of elements.filter((e) => is(e, 'bpmn:SequenceFlow'))) {
    const source = elementOf(flow, 'sourceRef')?.id;
    const target = elementOf(flow, 'targetRef')?.id;
    if (source && target) edges.set(source, [...(edges.get(source) ?? []), target]);
  }
  for (const element of elements) {
    if (!is(element, 'bpmn:FlowNode') || !element.id) continue;
    const outgoing = edges.get(element.id) ?? [];
    const boundary = elements.filter((b) => is(b, 'bpmn:BoundaryEvent') && elementOf(b, 'attachedToRef') === element).map((b) => b.id as string);
    const loop = element.get('loopCharacteristics');
    nodes.set(element.id, {
      id: element.id, type: element.$type, ...(element.name ? { name: element.name } : {}),
      outgoing: [...outgoing, ...boundary], multiInstance: isModdleElement(loop) && is(loop, 'bpmn:MultiInstanceLoopCharacteristics'),
    });
  }
  return { processId: process.id, nodes };
}

/** The flow nodes a token at `from` can reach (not `from` itself unless a loop leads back to it). */
export function reachableFrom(shape: ProcessShape, from: string): Set<string> {
  const seen = new Set<string>();
  const queue = [...(shape.nodes.get(from)?.outgoing ?? [])];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(shape.nodes.get(id)?.outgoing ?? []));
  }
  return seen;
}

const stepOf = (activityId: string) => activityId.replace(/#multiInstanceBody$/, '');

/** Plans returning from the step `from` (an active user task) to the earlier user task `to`. */
export function planReturn(shape: ProcessShape, active: readonly ActiveActivity[], from: string, to: string): ReturnPlan {
  const target = shape.nodes.get(to);
  if (!target || !shape.nodes.has(from)) return { ok: false, reason: 'unknownStep' };
  if (target.type !== 'bpmn:UserTask') return { ok: false, reason: 'notUserTask' };
  if (to === from) return { ok: false, reason: 'sameStep' };
  const ahead = reachableFrom(shape, to);
  if (!ahead.has(from)) return { ok: false, reason: 'notEarlier' };
  // Re-entering one branch of a parallel split whose join lies before `from` would leave the join waiting forever.
  for (const id of ahead) {
    const node = shape.nodes.get(id);
    if (node?.type === 'bpmn:ParallelGateway' && (id === from || reachableFrom(shape, id).has(from)) && !leadsIntoAllBranches(shape, ahead, to, id)) {
      return { ok: false, reason: 'insideParallelBranch' };
    }
  }
  const cancel = active.filter((a) => {
    const step = stepOf(a.activityId);
    if (!ahead.has(step) && step !== to) return false;
    // A token waiting at a join stays unless the target leads into every branch of that join.
    if (a.activityType === 'parallelGateway' || a.activityType === 'inclusiveGateway') return leadsIntoAllBranches(shape, ahead, to, step);
    return true;
  });
  // Cancelling a multi-instance body (or a sub-process) cancels what is inside it.
  const chosen = new Set(cancel.map((a) => a.instanceId));
  const byId = new Map(active.map((a) => [a.instanceId, a]));
  const inside = (a: ActiveActivity): boolean => {
    for (let p = a.parentInstanceId; p; p = byId.get(p)?.parentInstanceId) if (chosen.has(p)) return true;
    return false;
  };
  return { ok: true, startBefore: target.multiInstance ? `${to}#multiInstanceBody` : to, cancel: cancel.filter((a) => !inside(a)).map((a) => a.instanceId) };
}

/** Whether every incoming branch of a join is re-entered from the target. */
function leadsIntoAllBranches(shape: ProcessShape, ahead: Set<string>, to: string, join: string): boolean {
  const sources = [...shape.nodes.values()].filter((n) => n.outgoing.includes(join)).map((n) => n.id);
  return sources.every((s) => s === to || ahead.has(s));
}
