/**
 * Messages of BPMN linting in configurators' words (zh-CN and en). `{element}` is always filled with
 * the element's kind, name and id (see element-label.ts); other placeholders come from the rule.
 */
import type { LocalizedText } from '../i18n/localized-text.ts';

const m = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

const externalZh = '流程中的业务处理一律由绑定了主题的外部任务完成（camunda:type="external" + camunda:topic）';
const externalEn = 'service work is done by external tasks with a topic (camunda:type="external" and camunda:topic)';
const noScriptsZh = 'GridFlow 不在流程引擎中运行脚本';
const noScriptsEn = 'GridFlow runs no scripts in the process engine';
const noCodeZh = 'GridFlow 不在流程引擎中运行自定义代码';
const noCodeEn = 'GridFlow runs no custom code in the process engine';

/** Every message of BPMN linting, by code. */
export const bpmnMessages = {
  // The file itself
  'syntax.malformed': m('BPMN 文件不是合法的 XML：{detail}', 'The BPMN file is not well-formed XML: {detail}'),
  'syntax.notBpmn': m('不是 BPMN 2.0 文件：{detail}', 'Not a BPMN 2.0 file: {detail}'),
  'schema.unknownElement': m('不认识的元素 <{tag}>（拼写错误，或不属于 BPMN 2.0）', 'Unknown element <{tag}> (a typo, or not BPMN 2.0)'),
  'schema.duplicateId': m('元素 id“{id}”重复，id 在文件中必须唯一', 'Element id "{id}" is used twice; ids must be unique in the file'),
  'schema.unresolvedReference': m('{element}引用的“{ref}”不存在', '{element} refers to "{ref}", which does not exist'),
  'schema.unknownAttribute': m('{element}有不认识的属性 {attribute}（可能拼写错误）', '{element} has an unknown attribute {attribute} (a typo?)'),
  'schema.other': m('无法识别的 BPMN 内容：{detail}', 'BPMN content not understood: {detail}'),
  'lint.ruleFailed': m('检查规则 {rule} 运行出错：{detail}', 'Check {rule} failed: {detail}'),
  'lint.unknownMessage': m('{element}：{detail}（规则 {rule}）', '{element}: {detail} (rule {rule})'),

  // no-script-task
  'script.task': m(`{element}：不能使用脚本任务，${noScriptsZh}；请改用外部任务`, `{element}: script tasks are not allowed, as ${noScriptsEn}; use an external task`),
  'script.listener': m(`{element}的{listener}是脚本：${noScriptsZh}`, `{element} has a script {listener}: ${noScriptsEn}`),
  'script.parameter': m(`{element}的{parameter}用脚本计算：${noScriptsZh}，请改用 \${…} 表达式`, `{element} computes its {parameter} with a script: ${noScriptsEn}; use a \${…} expression`),
  'script.condition': m(`{element}的{site}使用脚本语言“{language}”：${noScriptsZh}，请改用 \${…} 表达式`, `{element} has a {site} in the script language "{language}": ${noScriptsEn}; use a \${…} expression`),

  // no-java-delegate
  'java.class': m(`{element}由 Java 类“{value}”实现：${externalZh}`, `{element} is implemented by the Java class "{value}": ${externalEn}`),
  'java.delegateExpression': m(`{element}由委托表达式“{value}”实现：${externalZh}`, `{element} is implemented by the delegate expression "{value}": ${externalEn}`),
  'java.expression': m(`{element}由表达式“{value}”实现：${externalZh}`, `{element} is implemented by the expression "{value}": ${externalEn}`),
  'java.connector': m(`{element}使用连接器（camunda:connector）：${externalZh}`, `{element} uses a connector (camunda:connector): ${externalEn}`),
  'java.decision': m(`{element}引用 DMN 决策“{value}”，GridFlow 不部署决策表：${externalZh}`, `{element} refers to the DMN decision "{value}", and GridFlow deploys no decision tables: ${externalEn}`),
  'java.type': m(`{element}的实现类型“{value}”不受支持：${externalZh}`, `{element} has the unsupported implementation type "{value}": ${externalEn}`),
  'java.missing': m(`{element}不是外部任务：${externalZh}`, `{element} is not an external task: ${externalEn}`),
  'java.listener': m(`{element}的{listener}由 Java 代码实现（{value}）：${noCodeZh}`, `{element}: its {listener} runs Java code ({value}): ${noCodeEn}`),
  'java.hook': m(`{element}的 {attribute}=“{value}”需要引擎中的 Java 代码：${noCodeZh}`, `{element} has {attribute}="{value}", which needs Java code in the engine: ${noCodeEn}`),

  // juel-subset
  'juel.refused': m('{element}的{site}中的表达式“{expression}”不被允许：{reason}', '{element}: the expression "{expression}" in its {site} is not allowed: {reason}'),

  // external-topic-bound
  'topic.missing': m('{element}是外部任务，但没有填写主题（camunda:topic）', '{element} is an external task without a topic (camunda:topic)'),
  'topic.unbound': m('{element}的主题“{topic}”没有插件处理（已绑定的主题：{bound}）', '{element} uses the topic "{topic}", which no plugin handles (bound topics: {bound})'),

  // user-task-form-and-candidates
  'userTask.noForm': m('{element}没有指定表单', '{element} has no form (camunda:formKey)'),
  'userTask.unknownForm': m('{element}引用的表单“{form}”不存在', '{element} refers to form "{form}", which does not exist'),
  'userTask.noCandidates': m('{element}没有指定办理人：请填写办理人、候选人或候选组', '{element} has nobody to do it: set an assignee, candidate users or candidate groups'),

  // reachability
  'reach.unreachable': m('{element}从开始事件无法到达，永远不会执行', '{element} cannot be reached from a start event, so it never runs'),
} satisfies Record<string, LocalizedText>;

/** A message code of BPMN linting. */
export type BpmnMessageCode = keyof typeof bpmnMessages;
