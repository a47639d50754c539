/**
 * Configurator-friendly wording (zh-CN and en) of what bpmnlint's recommended rules report in English.
 * Matched by rule and English text; named groups become parameters. `{element}` is filled by lintBpmn.
 */
import type { LocalizedText } from '../i18n/localized-text.ts';

const m = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

type Wording = readonly [pattern: RegExp, message: LocalizedText];

const linkSides: Record<string, LocalizedText> = { catch: m('捕获', 'catch'), throw: m('抛出', 'throw') };

/** Wordings by bpmnlint rule name. */
const wordings: Record<string, readonly Wording[]> = {
  'ad-hoc-sub-process': [
    [/Start Event/, m('{element}：自由子流程中不能有开始事件', '{element}: an ad hoc sub-process cannot contain a start event')],
    [/End Event/, m('{element}：自由子流程中不能有结束事件', '{element}: an ad hoc sub-process cannot contain an end event')],
  ],
  'conditional-flows': [[/./, m(
    '{element}缺少条件：它的起点已有带条件或默认的出口连线，其余出口连线都要写条件（或设为默认连线）',
    '{element} has no condition: its source has conditional or default outgoing flows, so every other outgoing flow needs a condition (or must be the default)',
  )]],
  'end-event-required': [[/./, m('{element}缺少结束事件', '{element} has no end event')]],
  'event-based-gateway': [
    [/at least 2/, m('{element}至少需要两条出口连线', '{element} needs at least two outgoing flows')],
    [/conditional/, m('{element}从事件网关出发，不能带条件', '{element} leaves an event-based gateway, so it cannot have a condition')],
  ],
  'event-sub-process-typed-start-event': [[/./, m(
    '{element}位于事件子流程中，必须指定触发方式（定时、消息、信号、错误等）',
    '{element} is in an event sub-process, so it needs a trigger (timer, message, signal, error, ...)',
  )]],
  'fake-join': [[/./, m('{element}有多条进入连线，但活动不会等待它们汇合：请先用网关合并', '{element} has several incoming flows, which do not join: merge them with a gateway first')]],
  'global': [
    [/missing name/, m('{element}缺少名称', '{element} has no name')],
    [/unused/, m('{element}没有被任何事件或任务使用', '{element} is not used by any event or task')],
    [/not unique/, m('{element}与另一个同类元素重名', '{element} has the same name as another element of its kind')],
  ],
  'label-required': [[/./, m('{element}缺少名称', '{element} has no name')]],
  'link-event': [
    [/missing link name/, m('{element}是链接事件，但没有链接名称', '{element} is a link event without a link name')],
    [/^Duplicate link catch event with link name <(?<name>.*)>/, m('{element}：同一范围内有多个名为“{name}”的链接捕获事件', '{element}: there is more than one link catch event named "{name}" in this scope')],
    [/^Link (?<side>catch|throw) event with link name <(?<name>.*)> missing/, m('{element}：同一范围内没有名为“{name}”的链接{side}事件', '{element}: there is no link {side} event named "{name}" in this scope')],
  ],
  'no-complex-gateway': [[/./, m('{element}：流程引擎不支持复杂网关，请改用排他、并行或包容网关', '{element}: the engine does not run complex gateways; use an exclusive, parallel or inclusive gateway')]],
  'no-disconnected': [[/./, m('{element}没有任何连线', '{element} is not connected to anything')]],
  'no-duplicate-sequence-flows': [
    [/is a duplicate/, m('{element}与另一条连线重复（起点、终点和条件都相同）', '{element} duplicates another sequence flow (same source, target and condition)')],
    [/outgoing/, m('{element}有重复的出口连线', '{element} has duplicate outgoing flows')],
    [/incoming/, m('{element}有重复的进入连线', '{element} has duplicate incoming flows')],
  ],
  'no-gateway-join-fork': [[/./, m('{element}既汇合又分支：请拆成两个网关', '{element} both joins and forks: split it into two gateways')]],
  'no-implicit-split': [[/./, m('{element}有多条出口连线却没有用网关：请用网关明确分支', '{element} splits the flow without a gateway: use a gateway to fork')]],
  'no-implicit-end': [[/./, m('{element}没有出口连线，也不是结束事件：请连到结束事件', '{element} has no outgoing flow and is not an end event: connect it to an end event')]],
  'no-implicit-start': [[/./, m('{element}没有进入连线，也不是开始事件：请从开始事件连过来', '{element} has no incoming flow and is not a start event: connect it from a start event')]],
  'single-blank-start-event': [[/./, m('{element}有多个空白开始事件，只能有一个', '{element} has more than one blank start event; keep one')]],
  'single-event-definition': [[/./, m('{element}有多个事件定义，只能有一个', '{element} has more than one event definition; keep one')]],
  'start-event-required': [[/./, m('{element}缺少开始事件', '{element} has no start event')]],
  'sub-process-blank-start-event': [[/./, m('{element}位于子流程中，必须是空白开始事件', '{element} is in a sub-process, so it must be a blank start event')]],
  'superfluous-gateway': [[/./, m('{element}只有一条进入和一条出口连线，是多余的', '{element} has only one incoming and one outgoing flow, so it is superfluous')]],
  'superfluous-termination': [[/./, m('{element}：此处不需要终止结束事件，用普通结束事件即可', '{element}: termination is not needed here; a plain end event will do')]],
};

/** The wording of a bpmnlint report and its parameters, or undefined for a text not known here. */
export function wordRecommendedReport(rule: string, message: string): { message: LocalizedText; params: Record<string, unknown> } | undefined {
  for (const [pattern, wording] of wordings[rule] ?? []) {
    const match = pattern.exec(message);
    if (!match) continue;
    const params: Record<string, unknown> = { ...match.groups };
    if (match.groups?.side) params.side = linkSides[match.groups.side];
    return { message: wording, params };
  }
  return undefined;
}
