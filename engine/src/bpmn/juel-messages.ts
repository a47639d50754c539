/** Why an expression is outside GridFlow's JUEL subset, in configurators' words (zh-CN and en). */
import type { LocalizedText } from '../i18n/localized-text.ts';
import type { JuelErrorCode } from './juel-subset.ts';

const m = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

/** The reason for each refusal; `{token}` is the name or token concerned. */
export const juelReasons: Record<JuelErrorCode, LocalizedText> = {
  'method-call': m('调用了方法或函数“{token}(…)”，表达式只能读取流程变量及其属性', 'it calls the method or function "{token}(…)"; expressions may only read process variables and their properties'),
  'deferred': m('使用了 #{…}，请改用 ${…}', 'it uses #{…}; use ${…}'),
  'forbidden-identifier': m('“{token}”是流程引擎的内部对象，请改用 GridFlow 设置的流程变量', '"{token}" is an engine object; use the process variables GridFlow sets'),
  'unsupported-operator': m('不支持运算符“{token}”', 'the operator "{token}" is not supported'),
  'dynamic-index': m('方括号中只能写字符串或数字常量（如 a[\'b\']），不能写“{token}”', 'brackets may only hold a string or number literal (like a[\'b\']), not "{token}"'),
  'unexpected-token': m('语法错误：此处不应出现“{token}”', 'syntax error: unexpected "{token}"'),
  'unterminated-string': m('字符串缺少结束引号', 'a string has no closing quote'),
  'unterminated-expression': m('缺少结束的“}”', 'the closing "}" is missing'),
  'invalid-escape': m('字符串中的“{token}”无效：只能转义引号和反斜杠', '"{token}" in a string is invalid: only quotes and backslashes can be escaped'),
  'invalid-character': m('不能使用字符“{token}”', 'the character "{token}" is not allowed'),
  'empty-expression': m('表达式为空', 'the expression is empty'),
};
