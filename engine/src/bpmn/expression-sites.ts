/**
 * Where an element holds JUEL: its formal expressions (conditions, timers, multi-instance) and the
 * Camunda attributes and extension values that the engine evaluates as expressions.
 */
import type { LocalizedText } from '../i18n/localized-text.ts';
import { parameterValuesOf } from './camunda-extensions.ts';
import { elementOf, elementsOf, extensionsOf, is, textOf } from './moddle-element.ts';
import type { ModdleElement } from './moddle-element.ts';

const l = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

/** A contained bpmn:FormalExpression, with the label messages use for it. */
export interface FormalExpressionSite {
  label: LocalizedText;
  expression: ModdleElement;
}

/** A text the engine evaluates as an expression, with the label messages use for it. */
export interface ExpressionSite {
  label: LocalizedText;
  text: string;
}

/** The formal expressions of an element and of its event definitions and multi-instance settings. */
export function formalExpressionsOf(element: ModdleElement): FormalExpressionSite[] {
  const sites: FormalExpressionSite[] = [];
  const add = (holder: ModdleElement | undefined, property: string, label: LocalizedText) => {
    const expression = elementOf(holder, property);
    if (expression) sites.push({ label, expression });
  };
  add(element, 'conditionExpression', l('条件', 'condition'));
  for (const definition of elementsOf(element, 'eventDefinitions')) {
    add(definition, 'condition', l('触发条件', 'trigger condition'));
    add(definition, 'timeDate', l('定时日期', 'timer date'));
    add(definition, 'timeDuration', l('定时时长', 'timer duration'));
    add(definition, 'timeCycle', l('定时周期', 'timer cycle'));
  }
  const loop = elementOf(element, 'loopCharacteristics');
  add(loop, 'loopCardinality', l('多实例数量', 'multi-instance cardinality'));
  add(loop, 'completionCondition', l('多实例完成条件', 'multi-instance completion condition'));
  return sites;
}

// Attributes the engine evaluates as expressions, by the element types that carry them.
const attributeSites: readonly (readonly [types: readonly string[], attribute: string, label: LocalizedText])[] = [
  [['bpmn:UserTask'], 'camunda:assignee', l('办理人', 'assignee')],
  [['bpmn:UserTask'], 'camunda:candidateUsers', l('候选人', 'candidate users')],
  [['bpmn:UserTask'], 'camunda:candidateGroups', l('候选组', 'candidate groups')],
  [['bpmn:UserTask'], 'camunda:dueDate', l('到期时间', 'due date')],
  [['bpmn:UserTask'], 'camunda:followUpDate', l('跟进时间', 'follow-up date')],
  [['bpmn:UserTask'], 'camunda:priority', l('优先级', 'priority')],
  [['bpmn:CallActivity'], 'calledElement', l('被调用流程', 'called process')],
  [['bpmn:CallActivity'], 'camunda:calledElementBinding', l('被调用流程的版本绑定', 'called process binding')],
  [['bpmn:CallActivity'], 'camunda:calledElementVersion', l('被调用流程版本', 'called process version')],
  [['bpmn:CallActivity'], 'camunda:calledElementVersionTag', l('被调用流程版本标签', 'called process version tag')],
  [['bpmn:CallActivity'], 'camunda:calledElementTenantId', l('被调用流程租户', 'called process tenant')],
  [['bpmn:Message'], 'name', l('消息名称', 'message name')],
  [['bpmn:Signal'], 'name', l('信号名称', 'signal name')],
  [['bpmn:FlowNode', 'bpmn:Process'], 'camunda:jobPriority', l('作业优先级', 'job priority')],
  [['bpmn:Task', 'bpmn:Process'], 'camunda:taskPriority', l('外部任务优先级', 'external task priority')],
];

/** The texts of an element that the engine evaluates as expressions (formal expressions excluded). */
export function expressionSitesOf(element: ModdleElement): ExpressionSite[] {
  const sites: ExpressionSite[] = [];
  const add = (holder: ModdleElement | undefined, property: string, label: LocalizedText) => {
    const text = textOf(holder, property);
    if (text !== undefined) sites.push({ label, text });
  };
  for (const [types, attribute, label] of attributeSites) if (is(element, ...types)) add(element, attribute, label);
  add(elementOf(element, 'loopCharacteristics'), 'camunda:collection', l('多实例集合', 'multi-instance collection'));
  for (const value of parameterValuesOf(element)) if (value.text !== undefined) sites.push({ label: value.label, text: value.text });
  for (const holder of [element, ...elementsOf(element, 'eventDefinitions')]) {
    for (const mapping of extensionsOf(holder, 'camunda:In', 'camunda:Out')) {
      add(mapping, 'sourceExpression', l('变量传递表达式', 'variable mapping expression'));
      add(mapping, 'businessKey', l('业务键', 'business key'));
    }
  }
  for (const errorDefinition of extensionsOf(element, 'camunda:ErrorEventDefinition')) add(errorDefinition, 'expression', l('错误判断表达式', 'error expression'));
  const retry = extensionsOf(element, 'camunda:FailedJobRetryTimeCycle')[0];
  add(retry, 'body', l('失败重试周期', 'retry time cycle'));
  return sites;
}

/** The body of each JUEL formal expression, as expression sites (scripts are no-script-task's concern). */
export function formalExpressionTexts(element: ModdleElement): ExpressionSite[] {
  return formalExpressionsOf(element).flatMap(({ label, expression }) => {
    const text = textOf(expression, 'body');
    return text === undefined || scriptLanguageOf(expression) !== undefined ? [] : [{ label, text }];
  });
}

/** The script language of a formal expression, or undefined for JUEL. An external resource is a script too. */
export function scriptLanguageOf(expression: ModdleElement): string | undefined {
  const language = textOf(expression, 'language');
  const isJuel = language === undefined || language.trim().toLowerCase() === 'juel';
  if (!isJuel) return language;
  return textOf(expression, 'camunda:resource') ? (language ?? 'camunda:resource') : undefined;
}
