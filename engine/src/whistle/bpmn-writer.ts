/**
 * A small writer of BPMN 2.0 XML in the Camunda 7 dialect with its diagram (DI): flow nodes and
 * sequence flows with their bounds and waypoints, nested in expanded sub-processes. Deterministic:
 * the same model always gives the same bytes. Used by generators of processes from templates.
 */

/** A rectangle of the diagram. */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A flow node: its BPMN tag, attributes and inner XML, and where it is drawn. */
export interface FlowNode {
  id: string;
  /** BPMN element name without prefix: `userTask`, `startEvent`, `subProcess` … */
  tag: string;
  name: string;
  attrs?: Record<string, string>;
  /** Inner XML before `incoming`/`outgoing` (documentation, extension elements). */
  head?: string[];
  /** Inner XML after `incoming`/`outgoing` (event definitions, loop characteristics). */
  tail?: string[];
  bounds: Bounds;
  /** The expanded sub-process the node is in. */
  parent?: string;
}

/** A sequence flow; waypoints default to a straight line between the nodes' facing sides. */
export interface SequenceFlow {
  id: string;
  source: string;
  target: string;
  name?: string;
  /** A JUEL condition `${...}`. */
  condition?: string;
  waypoints?: [number, number][];
}

/** The whole model of one process. */
export interface ProcessModel {
  id: string;
  name: string;
  documentation: string;
  /** Root elements besides the process (errors, messages), as XML. */
  rootElements: string[];
  nodes: FlowNode[];
  flows: SequenceFlow[];
}

const NAMESPACES = [
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"', 'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"',
  'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"', 'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"', 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
  'xmlns:modeler="http://camunda.org/schema/modeler/1.0"',
];

/** Escapes text for XML content and attribute values. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Attributes as ` a="b"` text, in the given order. */
export function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs).map(([k, v]) => ` ${k}="${xmlEscape(v)}"`).join('');
}

const centre = (b: Bounds): [number, number] => [b.x + b.width / 2, b.y + b.height / 2];

/** Serializes the model: definitions, the process with its elements, then the diagram. */
export function writeBpmn(model: ProcessModel): string {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  for (const f of model.flows) {
    if (!byId.has(f.source) || !byId.has(f.target)) throw new Error(`Flow ${f.id} joins unknown nodes`);
  }
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<bpmn:definitions ${NAMESPACES.join(' ')} id="${model.id}-definitions" targetNamespace="https://gridflow.dev/bpmn" modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.24.0">`,
    ...model.rootElements.map((e) => `  ${e}`),
    `  <bpmn:process id="${model.id}" name="${xmlEscape(model.name)}" isExecutable="true" camunda:historyTimeToLive="P180D">`,
    `    <bpmn:documentation>${xmlEscape(model.documentation)}</bpmn:documentation>`,
    ...scopeXml(model, undefined, '    '),
    '  </bpmn:process>',
    ...diagramXml(model, byId),
    '</bpmn:definitions>',
    '',
  ];
  return lines.join('\n');
}

/** The nodes and flows of one scope (the process, or a sub-process). */
function scopeXml(model: ProcessModel, parent: string | undefined, indent: string): string[] {
  const inScope = new Set(model.nodes.filter((n) => n.parent === parent).map((n) => n.id));
  const out: string[] = [];
  for (const node of model.nodes.filter((n) => n.parent === parent)) out.push(...nodeXml(model, node, indent));
  for (const flow of model.flows.filter((f) => inScope.has(f.source))) out.push(...flowXml(flow, indent));
  return out;
}

function nodeXml(model: ProcessModel, node: FlowNode, indent: string): string[] {
  const inner = `${indent}  `;
  const links = [
    ...model.flows.filter((f) => f.target === node.id).map((f) => `${inner}<bpmn:incoming>${f.id}</bpmn:incoming>`),
    ...model.flows.filter((f) => f.source === node.id).map((f) => `${inner}<bpmn:outgoing>${f.id}</bpmn:outgoing>`),
  ];
  const children = node.tag === 'subProcess' ? scopeXml(model, node.id, inner) : [];
  const body = [...(node.head ?? []).map((l) => inner + l), ...links, ...(node.tail ?? []).map((l) => inner + l), ...children];
  const open = `${indent}<bpmn:${node.tag} id="${node.id}" name="${xmlEscape(node.name)}"${attributes(node.attrs ?? {})}`;
  return body.length === 0 ? [`${open} />`] : [`${open}>`, ...body, `${indent}</bpmn:${node.tag}>`];
}

function flowXml(flow: SequenceFlow, indent: string): string[] {
  const open = `${indent}<bpmn:sequenceFlow id="${flow.id}"${flow.name ? ` name="${xmlEscape(flow.name)}"` : ''} sourceRef="${flow.source}" targetRef="${flow.target}"`;
  if (!flow.condition) return [`${open} />`];
  return [
    `${open}>`,
    `${indent}  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${xmlEscape(flow.condition)}</bpmn:conditionExpression>`,
    `${indent}</bpmn:sequenceFlow>`,
  ];
}

function diagramXml(model: ProcessModel, byId: Map<string, FlowNode>): string[] {
  const shapes = model.nodes.flatMap((n) => {
    const extra = n.tag === 'subProcess' ? ' isExpanded="true"' : n.tag.endsWith('Gateway') ? ' isMarkerVisible="true"' : '';
    const { x, y, width, height } = n.bounds;
    return [
      `      <bpmndi:BPMNShape id="${n.id}_di" bpmnElement="${n.id}"${extra}>`,
      `        <dc:Bounds x="${x}" y="${y}" width="${width}" height="${height}" />`,
      '      </bpmndi:BPMNShape>',
    ];
  });
  const edges = model.flows.flatMap((f) => [
    `      <bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}">`,
    ...waypointsOf(f, byId).map(([x, y]) => `        <di:waypoint x="${x}" y="${y}" />`),
    '      </bpmndi:BPMNEdge>',
  ]);
  return [
    `  <bpmndi:BPMNDiagram id="${model.id}-diagram">`,
    `    <bpmndi:BPMNPlane id="${model.id}-plane" bpmnElement="${model.id}">`,
    ...shapes, ...edges,
    '    </bpmndi:BPMNPlane>',
    '  </bpmndi:BPMNDiagram>',
  ];
}

/** The given waypoints, else the right side of the source to the left side of the target. */
function waypointsOf(flow: SequenceFlow, byId: Map<string, FlowNode>): [number, number][] {
  if (flow.waypoints) return flow.waypoints;
  const s = (byId.get(flow.source) as FlowNode).bounds;
  const t = (byId.get(flow.target) as FlowNode).bounds;
  const [, sy] = centre(s);
  const [, ty] = centre(t);
  return [[s.x + s.width, sy], [t.x, ty]];
}
