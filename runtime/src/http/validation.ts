/** Request validation with ajv over the routes' schemas (TypeBox): unknown fields are refused. */
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { UserError } from '@gridflow/engine';
import type { LocalizedText } from '@gridflow/engine';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const strictAjv = addFormats(new Ajv({ allErrors: true, strict: true, coerceTypes: false }));
const coercingAjv = addFormats(new Ajv({ allErrors: true, strict: true, coerceTypes: true }));
const emptyQuery = { type: 'object', additionalProperties: false, properties: {} };

function describe(e: ErrorObject): LocalizedText {
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
    case 'enum':
      return { 'zh-CN': `取值应为：${(p.allowedValues as unknown[]).join('、')}`, en: `Must be one of: ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
    case 'format':
      return { 'zh-CN': '格式不正确', en: 'Has the wrong format' };
    case 'maximum':
    case 'minimum':
      return { 'zh-CN': `超出允许范围（${e.message ?? ''}）`, en: `Out of range (${e.message ?? ''})` };
    default:
      return { 'zh-CN': `不符合要求：${e.message ?? e.keyword}`, en: e.message ?? e.keyword };
  }
}

/** A function that validates (and, for params and query, coerces) one part of a request. */
export function validator(schema: TSchema | undefined, part: 'params' | 'query' | 'body', coerce: boolean): (value: unknown) => unknown {
  const check = (coerce ? coercingAjv : strictAjv).compile(schema ?? emptyQuery);
  return (value) => {
    if (check(value)) return value;
    const details = (check.errors ?? []).map((e) => {
      const where = `/${part}${e.instancePath}${e.keyword === 'additionalProperties' ? `/${String((e.params as Record<string, unknown>).additionalProperty)}` : e.keyword === 'required' ? `/${String((e.params as Record<string, unknown>).missingProperty)}` : ''}`;
      return { target: where, message: describe(e) };
    });
    throw new UserError('request.invalid', { 'zh-CN': '请求参数不正确', en: 'The request is not valid' }, { details });
  };
}
