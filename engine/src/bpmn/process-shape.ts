/**
 * The shape of a process as task operations need it: flow nodes with their sequence flows and
 * multi-instance markers, and the plan of a "return to an earlier step" (退回 / 撤回) as engine
 * modification instructions. Returning re-enters the process before the target step and cancels
 * every active token the re-entered path would produce again — the steps after the target,
 * including sibling parallel branches and whole multi-instance steps when the target lies before
 * their fork — while tokens of branches the target does not lead to are kept. A step in a sibling
 * parallel branch is not "earlier" and is refused. Top-level scope only: sub-processes count as
 * single steps. Also whether the participants of a multi-instance step can be changed (加签 / 减签,
 * planParticipants): only a parallel one over a list variable whose element variable names them.
 */
import { BpmnModdle } from 'bpmn-moddle';
import camundaPackage from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { elementOf, elementsOf, is, isModdleElement, textOf } from './moddle-element.ts';
import type { ModdleElement } from './moddle-element.ts';

/** A flow node of the shape. */
export interface ShapeNode {
  id: string;
  name?: string;
  type: string;
  outgoing: string[];
  multiInstance: boolean;
  /** The multi-instance settings, when the node is a multi-instance step. */
  loop?: LoopShape;
  /** Who a user task is for, as written in the BPMN (expressions unevaluated). */
  people?: UserTaskPeople;
}

/** The multi-instance settings of a step. */
export interface LoopShape {
  sequential: boolean;
  /** `camunda:collection` as written: a variable name or an expression. */
  collection?: string;
  /** `camunda:elementVariable`. */
  elementVariable?: string;
  /** The `loopCardinality` expression. */
  cardinality?: string;
  completionCondition?: string;
}

/** The assignee and candidates of a user task, as written. */
export interface UserTaskPeople {
  assignee?: string;
  candidateUsers: string[];
  candidateGroups: string[];
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
    const multiInstance = isModdleElement(loop) && is(loop, 'bpmn:MultiInstanceLoopCharacteristics');
    nodes.set(element.id, {
      id: element.id, type: element.$type, ...(element.name ? { name: element.name } : {}),
      outgoing: [...outgoing, ...boundary], multiInstance,
      ...(multiInstance ? { loop: loopOf(loop) } : {}),
      ...(is(element, 'bpmn:UserTask') ? { people: peopleOf(element) } : {}),
    });
  }
  return { processId: process.id, nodes };
}

function loopOf(loop: ModdleElement): LoopShape {
  const formal = (property: string) => textOf(elementOf(loop, property), 'body');
  const collection = textOf(loop, 'camunda:collection');
  const elementVariable = textOf(loop, 'camunda:elementVariable');
  const cardinality = formal('loopCardinality');
  const completionCondition = formal('completionCondition');
  return {
    sequential: loop.get('isSequential') === true,
    ...(collection ? { collection: collection.trim() } : {}), ...(elementVariable ? { elementVariable: elementVariable.trim() } : {}),
    ...(cardinality ? { cardinality: cardinality.trim() } : {}), ...(completionCondition ? { completionCondition: completionCondition.trim() } : {}),
  };
}

/** A comma-separated Camunda list attribute (expressions kept whole when they hold commas). */
function listOf(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out.filter((v) => v !== '');
}

function peopleOf(task: ModdleElement): UserTaskPeople {
  const assignee = textOf(task, 'camunda:assignee');
  return { ...(assignee ? { assignee: assignee.trim() } : {}), candidateUsers: listOf(textOf(task, 'camunda:candidateUsers')), candidateGroups: listOf(textOf(task, 'camunda:candidateGroups')) };
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

/** What a participant of a multi-instance step stands for: a user, a department (`dept:<code>`), or a value some candidate group is built from. */
export type ParticipantKind = 'user' | 'department' | 'group';

/** Why the participants of a step cannot be changed. */
export type ParticipantRefusal =
  | 'unknownStep' | 'notUserTask' | 'notMultiInstance' | 'sequential' | 'noCollection' | 'collectionExpression' | 'noElementVariable' | 'participantUnused';

/** How the participants of a multi-instance step are added (加签) and removed (减签), or why they cannot be. */
export type ParticipantPlan =
  | {
    ok: true;
    step: string;
    /** The activity id of the multi-instance body. */
    body: string;
    /** The process variable holding the list of participants. */
    collection: string;
    /** The local variable of each inner instance holding its participant. */
    elementVariable: string;
    kind: ParticipantKind;
    /** The assignee / candidate users and the candidate groups that name the participant (`${elementVariable}`). */
    templates: { users: string[]; groups: string[] };
  }
  | { ok: false; reason: ParticipantRefusal };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variable a `camunda:collection` names: `list` or `${list}`; undefined for any other expression. */
function collectionVariable(collection: string): string | undefined {
  const inner = /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(collection)?.[1];
  return inner ?? (IDENTIFIER.test(collection) ? collection : undefined);
}

/**
 * Plans changing the participants of a step: only a parallel multi-instance user task over a list
 * variable (`camunda:collection`) with an element variable that its assignee, candidate users or
 * candidate groups are built from. Sequential steps (the next participant is taken from the list as
 * the previous one finishes) and steps with a fixed number of instances (`loopCardinality`) are refused.
 */
export function planParticipants(shape: ProcessShape, step: string): ParticipantPlan {
  const node = shape.nodes.get(step);
  const refuse = (reason: ParticipantRefusal): ParticipantPlan => ({ ok: false, reason });
  if (!node) return refuse('unknownStep');
  if (node.type !== 'bpmn:UserTask') return refuse('notUserTask');
  if (!node.loop) return refuse('notMultiInstance');
  if (node.loop.sequential) return refuse('sequential');
  if (!node.loop.collection) return refuse('noCollection');
  const collection = collectionVariable(node.loop.collection);
  if (!collection) return refuse('collectionExpression');
  const element = node.loop.elementVariable;
  if (!element || !IDENTIFIER.test(element)) return refuse('noElementVariable');
  const reference = new RegExp(`\\$\\{\\s*${element}\\s*\\}`, 'g');
  // A template names the participant and nothing else that would need the engine to evaluate.
  const names = (t: string) => t.replace(reference, '') !== t && !/[$#]\{/.test(t.replace(reference, ''));
  const people = node.people ?? { candidateUsers: [], candidateGroups: [] };
  const users = [...(people.assignee ? [people.assignee] : []), ...people.candidateUsers].filter(names);
  const groups = people.candidateGroups.filter(names);
  if (users.length === 0 && groups.length === 0) return refuse('participantUnused');
  const exactly = (t: string, prefix = '') => t.startsWith(prefix) && t.slice(prefix.length).replace(reference, '') === '';
  const kind: ParticipantKind = users.some((u) => exactly(u)) ? 'user' : groups.some((g) => exactly(g, 'dept:')) ? 'department' : 'group';
  return { ok: true, step, body: `${step}#multiInstanceBody`, collection, elementVariable: element, kind, templates: { users, groups } };
}

/** The users and candidate groups a participant stands for at a step (its templates filled in). */
export function participantCandidates(plan: Extract<ParticipantPlan, { ok: true }>, participant: string): { users: string[]; groups: string[] } {
  const fill = (t: string) => t.replace(new RegExp(`\\$\\{\\s*${plan.elementVariable}\\s*\\}`, 'g'), () => participant);
  return { users: plan.templates.users.map(fill), groups: plan.templates.groups.map(fill) };
}
