/** Request validation with ajv over the routes' schemas (TypeBox): unknown fields are refused. */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { describeAjvError, errorPointer, UserError } from '@gridflow/engine';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const strictAjv = addFormats(new Ajv({ allErrors: true, strict: true, coerceTypes: false }));
const coercingAjv = addFormats(new Ajv({ allErrors: true, strict: true, coerceTypes: true }));
const emptyQuery = { type: 'object', additionalProperties: false, properties: {} };

/** A function that validates (and, for params and query, coerces) one part of a request. */
export function validator(schema: TSchema | undefined, part: 'params' | 'query' | 'body', coerce: boolean): (value: unknown) => unknown {
  const check = (coerce ? coercingAjv : strictAjv).compile(schema ?? emptyQuery);
  return (value) => {
    if (check(value)) return value;
    const details = (check.errors ?? []).map((e) => ({ target: `/${part}${errorPointer(e)}`, message: describeAjvError(e) }));
    throw new UserError('request.invalid', { 'zh-CN': '请求参数不正确', en: 'The request is not valid' }, { details });
  };
}
