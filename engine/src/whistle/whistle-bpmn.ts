/**
 * Generates the `whistle` process (街道吹哨、部门报到) from a package's whistle template. Pure:
 * the same template always gives the same XML, with a diagram so it opens in bpmn-js.
 *
 * One process serves every kind: kinds differ in numbers (report-in minutes, the handling limit),
 * which the runtime turns into absolute dates at the start (`reportInDueAt`, `handleDueAt`), and in
 * their escalation rules, which the template writes into the escalation gateway's condition.
 *
 *   吹哨 → [each summoned department, in parallel: 报到 (timer at reportInDueAt: 迟到催报) → 登记报到
 *   → 提出意见并处置 → 登记意见] (timer at handleDueAt: 超期) → 牵头汇总 (timer: 超期) → 登记汇总
 *   → 提级到区？ → (提级 → 区级协调 → 登记区级意见) → 评价报到部门 → 登记评价 (incomplete: again) → 办结
 */
import { writeBpmn, xmlEscape } from './bpmn-writer.ts';
import type { Bounds, FlowNode, ProcessModel, SequenceFlow } from './bpmn-writer.ts';
import {
  WHISTLE_FORMS, WHISTLE_PROCESS_KEY, WHISTLE_RATINGS_INCOMPLETE, WHISTLE_STEPS, WHISTLE_TOPICS, WHISTLE_VARIABLES,
} from './whistle-template.ts';
import type { WhistleKind, WhistleTemplate } from './whistle-template.ts';

const task = (x: number, y: number): Bounds => ({ x, y, width: 100, height: 80 });
const event = (cx: number, cy: number): Bounds => ({ x: cx - 18, y: cy - 18, width: 36, height: 36 });
const gateway = (cx: number, cy: number): Bounds => ({ x: cx - 25, y: cy - 25, width: 50, height: 50 });

const io = (params: [string, string | undefined][]) => [
  '<bpmn:extensionElements>',
  '  <camunda:inputOutput>',
  ...params.map(([name, value]) => (value === undefined ? `    <camunda:inputParameter name="${name}" />` : `    <camunda:inputParameter name="${name}">${xmlEscape(value)}</camunda:inputParameter>`)),
  '  </camunda:inputOutput>',
  '</bpmn:extensionElements>',
];
const timer = (id: string, date: string) => [
  `<bpmn:timerEventDefinition id="${id}">`,
  `  <bpmn:timeDate xsi:type="bpmn:tFormalExpression">${date}</bpmn:timeDate>`,
  '</bpmn:timerEventDefinition>',
];

function userTask(id: string, name: string, form: string, group: string, bounds: Bounds, extra: { due?: string; parent?: string; head?: string[] } = {}): FlowNode {
  return {
    id, tag: 'userTask', name, bounds, ...(extra.parent ? { parent: extra.parent } : {}), ...(extra.head ? { head: extra.head } : {}),
    attrs: { 'camunda:formKey': `gridflow:form:${form}`, 'camunda:candidateGroups': group, ...(extra.due ? { 'camunda:dueDate': extra.due } : {}) },
  };
}

function serviceTask(id: string, name: string, topic: string, bounds: Bounds, parent?: string): FlowNode {
  return { id, tag: 'serviceTask', name, bounds, attrs: { 'camunda:type': 'external', 'camunda:topic': topic }, ...(parent ? { parent } : {}) };
}

function boundaryTimer(id: string, name: string, host: string, date: string, bounds: Bounds, parent?: string): FlowNode {
  return { id, tag: 'boundaryEvent', name, bounds, attrs: { cancelActivity: 'false', attachedToRef: host }, tail: timer(`${id}-timer`, date), ...(parent ? { parent } : {}) };
}

/** Each summoned department's work: report in (late: urged), record it, give an opinion, record it. */
function departmentWork(): { nodes: FlowNode[]; flows: SequenceFlow[] } {
  const parent = 'departmentWork';
  const dept = `\${${WHISTLE_VARIABLES.department}}`;
  const nodes: FlowNode[] = [
    {
      id: parent, tag: 'subProcess', name: '部门报到与处置', bounds: { x: 240, y: 130, width: 780, height: 340 },
      // Each department's form values stay in its own instance (local variables), not overwriting the others'.
      head: io([['reportInNote', undefined], ['whistleOpinion', undefined], ['whistleResult', undefined]]),
      tail: [`<bpmn:multiInstanceLoopCharacteristics camunda:collection="\${${WHISTLE_VARIABLES.departments}}" camunda:elementVariable="${WHISTLE_VARIABLES.department}" />`],
    },
    { id: 'summoned', tag: 'startEvent', name: '部门被召集', bounds: event(290, 240), parent },
    userTask(WHISTLE_STEPS.reportIn, '部门报到', WHISTLE_FORMS.reportIn, `dept:${dept}`, task(350, 200), {
      parent, due: '${reportInDueAt}', head: io([[WHISTLE_VARIABLES.reportingDepartment, dept]]),
    }),
    boundaryTimer('reportInLate', '报到超时', WHISTLE_STEPS.reportIn, '${reportInDueAt}', event(400, 280), parent),
    serviceTask('flagLate', '标记迟到并催报', WHISTLE_TOPICS.late, task(450, 360), parent),
    { id: 'lateUrged', tag: 'endEvent', name: '已催报', bounds: event(620, 400), parent },
    serviceTask('recordReportIn', '登记报到', WHISTLE_TOPICS.reported, task(500, 200), parent),
    userTask(WHISTLE_STEPS.opinion, '提出意见并处置', WHISTLE_FORMS.opinion, `dept:${dept}`, task(650, 200), { parent, due: '${handleDueAt}' }),
    serviceTask('recordOpinion', '登记意见', WHISTLE_TOPICS.opinion, task(800, 200), parent),
    { id: 'departmentDone', tag: 'endEvent', name: '部门办结', bounds: event(970, 240), parent },
  ];
  const flows: SequenceFlow[] = [
    { id: 'flow-summoned', source: 'summoned', target: WHISTLE_STEPS.reportIn },
    { id: 'flow-reported-in', source: WHISTLE_STEPS.reportIn, target: 'recordReportIn' },
    { id: 'flow-to-opinion', source: 'recordReportIn', target: WHISTLE_STEPS.opinion },
    { id: 'flow-opinion-given', source: WHISTLE_STEPS.opinion, target: 'recordOpinion' },
    { id: 'flow-department-done', source: 'recordOpinion', target: 'departmentDone' },
    { id: 'flow-late', source: 'reportInLate', target: 'flagLate', waypoints: [[400, 298], [400, 400], [450, 400]] },
    { id: 'flow-late-urged', source: 'flagLate', target: 'lateUrged' },
  ];
  return { nodes, flows };
}

/** Past the handling limit (during the departments' work or the consolidation): flag and urge. */
function overduePath(): { nodes: FlowNode[]; flows: SequenceFlow[] } {
  return {
    nodes: [
      boundaryTimer('handleOverdue', '办理超期', 'departmentWork', '${handleDueAt}', event(980, 470)),
      boundaryTimer('consolidateOverdue', '汇总超期', WHISTLE_STEPS.consolidate, '${handleDueAt}', event(1130, 340)),
      { id: 'overdueMerge', tag: 'exclusiveGateway', name: '超期', bounds: gateway(1130, 550) },
      serviceTask('flagOverdue', '标记超期并督办', WHISTLE_TOPICS.overdue, task(1200, 510)),
      { id: 'overdueUrged', tag: 'endEvent', name: '已督办', bounds: event(1370, 550) },
    ],
    flows: [
      { id: 'flow-work-overdue', source: 'handleOverdue', target: 'overdueMerge', waypoints: [[980, 488], [980, 550], [1105, 550]] },
      { id: 'flow-consolidate-overdue', source: 'consolidateOverdue', target: 'overdueMerge', waypoints: [[1130, 358], [1130, 525]] },
      { id: 'flow-to-flag-overdue', source: 'overdueMerge', target: 'flagOverdue' },
      { id: 'flow-overdue-urged', source: 'flagOverdue', target: 'overdueUrged' },
    ],
  };
}

/** The escalation condition: for each kind, the reasons its rules escalate for; undefined when no kind escalates. */
export function escalationCondition(kinds: readonly WhistleKind[]): string | undefined {
  const parts = kinds.flatMap((k) => {
    const reasons = [k.escalate.unresolved ? `!${WHISTLE_VARIABLES.resolved}` : '', k.escalate.overdue ? WHISTLE_VARIABLES.overdue : ''].filter(Boolean);
    if (reasons.length === 0) return [];
    const why = reasons.length === 1 ? reasons[0] : `(${reasons.join(' || ')})`;
    return [`(${WHISTLE_VARIABLES.kind} == '${k.code}' && ${why})`];
  });
  return parts.length > 0 ? `\${${parts.join(' || ')}}` : undefined;
}

/** 提级到区: the gateway, the district's coordination and its record (only when some kind escalates). */
function escalationPath(condition: string): { nodes: FlowNode[]; flows: SequenceFlow[] } {
  return {
    nodes: [
      { id: 'escalationGateway', tag: 'exclusiveGateway', name: '是否提级到区？', bounds: gateway(1405, 300), attrs: { default: 'flow-no-escalation' } },
      serviceTask('escalate', '提级到区', WHISTLE_TOPICS.escalate, task(1480, 120)),
      userTask(WHISTLE_STEPS.district, '区级协调', WHISTLE_FORMS.district, 'district-dispatcher@${districtCode}', task(1630, 120)),
      serviceTask('recordDistrict', '登记区级协调意见', WHISTLE_TOPICS.district, task(1780, 120)),
    ],
    flows: [
      { id: 'flow-to-escalation', source: 'recordConsolidation', target: 'escalationGateway' },
      { id: 'flow-escalate', name: '提级到区', source: 'escalationGateway', target: 'escalate', condition, waypoints: [[1405, 275], [1405, 160], [1480, 160]] },
      { id: 'flow-no-escalation', name: '街道评价', source: 'escalationGateway', target: 'rateMerge' },
      { id: 'flow-to-district', source: 'escalate', target: WHISTLE_STEPS.district },
      { id: 'flow-district-done', source: WHISTLE_STEPS.district, target: 'recordDistrict' },
      { id: 'flow-district-recorded', source: 'recordDistrict', target: 'rateMerge', waypoints: [[1880, 160], [1955, 160], [1955, 275]] },
    ],
  };
}

/** The main line: whistle, consolidation, rating (again while incomplete) and close. */
function mainLine(): { nodes: FlowNode[]; flows: SequenceFlow[] } {
  return {
    nodes: [
      { id: 'whistled', tag: 'startEvent', name: '街道吹哨', bounds: event(160, 300) },
      userTask(WHISTLE_STEPS.consolidate, '牵头汇总', WHISTLE_FORMS.consolidate, 'dept:${leadDepartment}', task(1080, 260), { due: '${handleDueAt}' }),
      serviceTask('recordConsolidation', '登记汇总', WHISTLE_TOPICS.consolidated, task(1230, 260)),
      { id: 'rateMerge', tag: 'exclusiveGateway', name: '评价', bounds: gateway(1955, 300) },
      userTask(WHISTLE_STEPS.rate, '评价报到部门', WHISTLE_FORMS.rate, 'street-leader@${streetCode}', task(2030, 260)),
      serviceTask('recordRatings', '登记评价', WHISTLE_TOPICS.rated, task(2180, 260)),
      {
        id: 'ratingsIncomplete', tag: 'boundaryEvent', name: '评价不完整', bounds: event(2230, 340), attrs: { attachedToRef: 'recordRatings' },
        tail: ['<bpmn:errorEventDefinition id="ratingsIncomplete-error" errorRef="ratingsIncompleteError" />'],
      },
      serviceTask('closeWhistle', '吹哨办结', WHISTLE_TOPICS.closed, task(2330, 260)),
      { id: 'closed', tag: 'endEvent', name: '办结', bounds: event(2500, 300) },
    ],
    flows: [
      { id: 'flow-whistled', source: 'whistled', target: 'departmentWork' },
      { id: 'flow-departments-done', source: 'departmentWork', target: WHISTLE_STEPS.consolidate },
      { id: 'flow-consolidated', source: WHISTLE_STEPS.consolidate, target: 'recordConsolidation' },
      { id: 'flow-to-rate', source: 'rateMerge', target: WHISTLE_STEPS.rate },
      { id: 'flow-rated', source: WHISTLE_STEPS.rate, target: 'recordRatings' },
      { id: 'flow-rate-again', name: '重新评价', source: 'ratingsIncomplete', target: 'rateMerge', waypoints: [[2230, 358], [2230, 420], [1955, 420], [1955, 325]] },
      { id: 'flow-to-close', source: 'recordRatings', target: 'closeWhistle' },
      { id: 'flow-closed', source: 'closeWhistle', target: 'closed' },
    ],
  };
}

const LIMIT_UNITS: Record<WhistleKind['handleWithin']['type'], string> = {
  urgent: '小时（连续计时）', workHours: '个工作小时', workDays: '个工作日', naturalDays: '个自然日',
};

/** The process documentation: what each kind of the template means. */
function documentation(kinds: readonly WhistleKind[]): string {
  const rules = (k: WhistleKind) => [k.escalate.unresolved ? '未解决提级到区' : '', k.escalate.overdue ? '超期提级到区' : ''].filter(Boolean).join('、') || '不提级';
  const lines = kinds.map((k) => `${k.name}（${k.code}）：${k.reportInMinutes} 分钟内报到，${k.handleWithin.amount} ${LIMIT_UNITS[k.handleWithin.type]}内办结；${rules(k)}。`);
  return ['街道吹哨、部门报到（由吹哨模板生成，请勿手工修改）。被召集部门逐一报到并提出意见、反馈结果，牵头部门汇总，街道对各部门评价；迟到报到标记并催报，超期督办，未解决或超期按规则提级到区。', ...lines].join('\n');
}

/** The BPMN XML of the `whistle` process for a template. */
export function generateWhistleBpmn(template: WhistleTemplate): string {
  const parts = [mainLine(), departmentWork(), overduePath()];
  const condition = escalationCondition(template.kinds);
  if (condition) parts.push(escalationPath(condition));
  const flows = parts.flatMap((p) => p.flows);
  if (!condition) flows.push({ id: 'flow-to-rating', source: 'recordConsolidation', target: 'rateMerge' });
  const model: ProcessModel = {
    id: WHISTLE_PROCESS_KEY, name: '街道吹哨、部门报到', documentation: documentation(template.kinds),
    rootElements: [`<bpmn:error id="ratingsIncompleteError" name="评价不完整" errorCode="${WHISTLE_RATINGS_INCOMPLETE}" />`],
    nodes: parts.flatMap((p) => p.nodes), flows,
  };
  return writeBpmn(model);
}
