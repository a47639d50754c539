/** How messages name a BPMN element: its kind, name and id, e.g. 用户任务“立案”（register） / User task "立案" (register). */
import type { LocalizedText } from '../i18n/localized-text.ts';
import { is } from './moddle-element.ts';
import type { ModdleElement } from './moddle-element.ts';

const kind = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

// Most specific first: a SubProcess with triggeredByEvent is matched before this list.
const kinds: readonly [string, LocalizedText][] = [
  ['bpmn:UserTask', kind('用户任务', 'User task')],
  ['bpmn:ServiceTask', kind('服务任务', 'Service task')],
  ['bpmn:SendTask', kind('发送任务', 'Send task')],
  ['bpmn:ReceiveTask', kind('接收任务', 'Receive task')],
  ['bpmn:ScriptTask', kind('脚本任务', 'Script task')],
  ['bpmn:BusinessRuleTask', kind('业务规则任务', 'Business rule task')],
  ['bpmn:ManualTask', kind('手工任务', 'Manual task')],
  ['bpmn:Task', kind('任务', 'Task')],
  ['bpmn:CallActivity', kind('调用活动', 'Call activity')],
  ['bpmn:AdHocSubProcess', kind('自由子流程', 'Ad hoc sub-process')],
  ['bpmn:Transaction', kind('事务子流程', 'Transaction')],
  ['bpmn:SubProcess', kind('子流程', 'Sub-process')],
  ['bpmn:StartEvent', kind('开始事件', 'Start event')],
  ['bpmn:EndEvent', kind('结束事件', 'End event')],
  ['bpmn:BoundaryEvent', kind('边界事件', 'Boundary event')],
  ['bpmn:IntermediateCatchEvent', kind('中间捕获事件', 'Intermediate catch event')],
  ['bpmn:IntermediateThrowEvent', kind('中间抛出事件', 'Intermediate throw event')],
  ['bpmn:ExclusiveGateway', kind('排他网关', 'Exclusive gateway')],
  ['bpmn:ParallelGateway', kind('并行网关', 'Parallel gateway')],
  ['bpmn:InclusiveGateway', kind('包容网关', 'Inclusive gateway')],
  ['bpmn:EventBasedGateway', kind('事件网关', 'Event-based gateway')],
  ['bpmn:ComplexGateway', kind('复杂网关', 'Complex gateway')],
  ['bpmn:SequenceFlow', kind('连线', 'Sequence flow')],
  ['bpmn:Process', kind('流程', 'Process')],
  ['bpmn:Participant', kind('泳池', 'Pool')],
  ['bpmn:Lane', kind('泳道', 'Lane')],
  ['bpmn:Message', kind('消息', 'Message')],
  ['bpmn:Signal', kind('信号', 'Signal')],
  ['bpmn:Error', kind('错误', 'Error')],
  ['bpmn:Escalation', kind('升级', 'Escalation')],
  ['bpmn:Definitions', kind('BPMN 文件', 'BPMN file')],
];
const eventSubProcess = kind('事件子流程', 'Event sub-process');
const unknownKind = kind('元素', 'Element');

/** The element's kind in both languages. */
function elementKind(element: ModdleElement | undefined): LocalizedText {
  if (is(element, 'bpmn:SubProcess') && element?.get('triggeredByEvent') === true) return eventSubProcess;
  return kinds.find(([type]) => is(element, type))?.[1] ?? unknownKind;
}

/** The element's name with white space collapsed, if it has one. */
export function elementName(element: ModdleElement | undefined): string | undefined {
  const name = element?.name?.replace(/\s+/g, ' ').trim();
  return name ? name : undefined;
}

/** Kind, name and id, for the start of a message. */
export function describeElement(element: ModdleElement | undefined, id: string): LocalizedText {
  const k = elementKind(element);
  const name = elementName(element);
  const idPart = (open: string, close: string) => (id ? `${open}${id}${close}` : '');
  if (!name) return { 'zh-CN': `${k['zh-CN']}${idPart('（', '）')}`, en: `${k.en}${idPart(' (', ')')}` };
  return { 'zh-CN': `${k['zh-CN']}“${name}”${idPart('（', '）')}`, en: `${k.en} "${name}"${idPart(' (', ')')}` };
}
