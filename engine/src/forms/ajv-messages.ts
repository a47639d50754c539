/** Messages for JSON Schema (ajv) errors in users' words, zh-CN and en, shared by request and form validation. */
import type { ErrorObject } from 'ajv';
import type { LocalizedText } from '../i18n/localized-text.ts';

/** The JSON pointer an ajv error is about (the missing or unknown property included). */
export function errorPointer(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${String(p.additionalProperty)}`;
  if (e.keyword === 'required') return `${e.instancePath}/${String(p.missingProperty)}`;
  return e.instancePath;
}

/** What is wrong, for someone filling in a form or calling the API. */
export function describeAjvError(e: ErrorObject): LocalizedText {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { 'zh-CN': `不允许的字段：${String(p.additionalProperty)}`, en: `Unknown field: ${String(p.additionalProperty)}` };
    case 'required':
      return { 'zh-CN': `缺少必填字段：${String(p.missingProperty)}`, en: `Missing required field: ${String(p.missingProperty)}` };
    case 'type':
      return { 'zh-CN': `类型应为 ${String(p.type)}`, en: `Must be of type ${String(p.type)}` };
    case 'maxLength':
      return { 'zh-CN': `长度不能超过 ${String(p.limit)}`, en: `Must be at most ${String(p.limit)} characters` };
    case 'minLength':
      return { 'zh-CN': `长度不能少于 ${String(p.limit)}`, en: `Must be at least ${String(p.limit)} characters` };
    case 'maxItems':
      return { 'zh-CN': `最多 ${String(p.limit)} 项`, en: `At most ${String(p.limit)} items` };
    case 'minItems':
      return { 'zh-CN': `至少 ${String(p.limit)} 项`, en: `At least ${String(p.limit)} items` };
    case 'enum':
      return { 'zh-CN': `取值应为：${(p.allowedValues as unknown[]).join('、')}`, en: `Must be one of: ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { 'zh-CN': `取值应为：${String(p.allowedValue)}`, en: `Must be ${String(p.allowedValue)}` };
    case 'pattern':
    case 'format':
      return { 'zh-CN': '格式不正确', en: 'Has the wrong format' };
    case 'maximum':
    case 'exclusiveMaximum':
      return { 'zh-CN': `不能大于${e.keyword === 'maximum' ? '' : '或等于'} ${String(p.limit)}`, en: `Must be ${e.keyword === 'maximum' ? 'at most' : 'less than'} ${String(p.limit)}` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { 'zh-CN': `不能小于${e.keyword === 'minimum' ? '' : '或等于'} ${String(p.limit)}`, en: `Must be ${e.keyword === 'minimum' ? 'at least' : 'more than'} ${String(p.limit)}` };
    default:
      return { 'zh-CN': `不符合要求：${e.message ?? e.keyword}`, en: e.message ?? e.keyword };
  }
}
