/** JSON Schema validation of definitions files (ajv, draft 2020-12) with configurator-friendly messages. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { schemasDir } from '@gridflow/definitions';
import type { MessageCode } from './messages.ts';
import type { Problems } from './problems.ts';
import type { ProvNode } from './provenance.ts';
import { locateResolved } from './provenance.ts';

const schemaBase = 'https://gridflow.dev/schemas/';
let ajv: Ajv2020 | undefined;

function getAjv(): Ajv2020 {
  if (ajv) return ajv;
  const instance = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  for (const file of readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json')).sort()) {
    instance.addSchema(JSON.parse(readFileSync(join(schemasDir, file), 'utf8')) as object);
  }
  ajv = instance;
  return instance;
}

/** The compiled validator of a schema file in definitions/schemas. */
export function validatorFor(schemaFile: string): ValidateFunction {
  const fn = getAjv().getSchema(schemaBase + schemaFile);
  if (!fn) throw new Error(`No schema ${schemaFile} in ${schemasDir}`);
  return fn;
}

const typeNames: Record<string, { 'zh-CN': string; en: string }> = {
  string: { 'zh-CN': '文本', en: 'a string' },
  number: { 'zh-CN': '数字', en: 'a number' },
  integer: { 'zh-CN': '整数', en: 'an integer' },
  boolean: { 'zh-CN': '是/否 (true/false)', en: 'true or false' },
  array: { 'zh-CN': '列表', en: 'a list' },
  object: { 'zh-CN': '对象（键值）', en: 'an object (key: value)' },
  null: { 'zh-CN': '空值', en: 'null' },
};

/** Drops errors implied by others: a failed oneOf/anyOf reports its branches instead of itself. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const withoutCombinators = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const seen = new Set<string>();
  return withoutCombinators.filter((e) => {
    const id = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function toProblem(e: ErrorObject): { code: MessageCode; pointer: string; params: Record<string, unknown> } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { code: 'schema.required', pointer: e.instancePath, params: { field: p.missingProperty } };
    case 'additionalProperties':
      return { code: 'schema.additionalProperties', pointer: `${e.instancePath}/${String(p.additionalProperty)}`, params: { field: p.additionalProperty } };
    case 'type': {
      const types = String(p.type).split(',');
      const expected = {
        'zh-CN': types.map((t) => typeNames[t]?.['zh-CN'] ?? t).join('或'),
        en: types.map((t) => typeNames[t]?.en ?? t).join(' or '),
      };
      return { code: 'schema.type', pointer: e.instancePath, params: { expected } };
    }
    case 'enum':
      return { code: 'schema.enum', pointer: e.instancePath, params: { allowed: (p.allowedValues as unknown[]).join(', ') } };
    case 'const':
      return { code: 'schema.const', pointer: e.instancePath, params: { allowed: JSON.stringify(p.allowedValue) } };
    case 'pattern':
      return { code: 'schema.pattern', pointer: e.instancePath, params: { pattern: p.pattern } };
    case 'minItems': case 'maxItems': case 'minLength': case 'maxLength':
    case 'minimum': case 'maximum': case 'exclusiveMinimum':
      return { code: `schema.${e.keyword}` as MessageCode, pointer: e.instancePath, params: { limit: p.limit } };
    default:
      return { code: 'schema.other', pointer: e.instancePath, params: { detail: e.message ?? e.keyword } };
  }
}

/** Validates a resolved document against its schema; every error is reported where it came from. */
export function validateAgainstSchema(value: unknown, schemaFile: string, prov: ProvNode, problems: Problems): boolean {
  const validate = validatorFor(schemaFile);
  if (validate(value)) return true;
  for (const error of relevant(validate.errors ?? [])) {
    const { code, pointer, params } = toProblem(error);
    problems.error(code, locateResolved(prov, pointer), params);
  }
  return false;
}
