/**
 * Process variables between plain JavaScript values and Camunda 7's typed-value format
 * (`{ type, value, valueInfo }`).
 *
 * string → String, boolean → Boolean, integer → Integer (32 bit) or Long, other numbers → Double,
 * Date → Date in the engine's date format, null → Null, plain objects and arrays → String holding
 * JSON. Neither engine ships Spin, so there is no Json type: JSON travels as a String and is parsed
 * back only for the variables the caller names (`fromVariables(vars, { json: [...] })`).
 */
import { UserError } from '../errors.ts';
import type { VariableValueDto } from './engine-rest.types.ts';

/** Value types GridFlow sends; the engine may report others (Short, Bytes, Object, …). */
export type EngineValueType = 'String' | 'Boolean' | 'Integer' | 'Long' | 'Double' | 'Date' | 'Null';

/** A value with an explicit engine type, for when the default mapping is not what is meant. */
export interface ExplicitValue {
  readonly [explicitMarker]: true;
  readonly type: EngineValueType;
  readonly value: unknown;
}

const explicitMarker = Symbol('gridflow.engineValue');

/** Marks a value with an engine type, e.g. `typed('Double', 2)` or `typed('Long', 5)`. */
export function typed(type: EngineValueType, value: unknown): ExplicitValue {
  return { [explicitMarker]: true, type, value };
}

/** Formats a Date in the engine's default date format `yyyy-MM-dd'T'HH:mm:ss.SSSZ` (UTC, `+0000`). */
export function formatEngineDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date');
  return date.toISOString().replace('Z', '+0000');
}

/** Parses a date as the engine writes it (`2026-01-05T08:00:00.000+0800`; also accepts `Z`/`+08:00`). */
export function parseEngineDate(text: string): Date {
  const iso = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an engine date: ${text}`);
  return date;
}

/** Converts one plain value (or an explicit one) to the engine's typed-value format. */
export function toTypedValue(value: unknown, name = 'value'): VariableValueDto {
  if (isExplicit(value)) return explicitToDto(value, name);
  if (value === null) return { type: 'Null', value: null };
  switch (typeof value) {
    case 'string':
      return { type: 'String', value };
    case 'boolean':
      return { type: 'Boolean', value };
    case 'number':
      return numberToDto(value, name);
    case 'object':
      if (value instanceof Date) return dateToDto(value, name);
      if (Array.isArray(value) || isPlainObject(value)) return { type: 'String', value: JSON.stringify(value) };
      break;
    default:
      break;
  }
  throw unsupported(name, value);
}

/** Converts a map of plain values; `undefined` entries are left out. */
export function toVariables(values: Record<string, unknown> | undefined): Record<string, VariableValueDto> {
  const out: Record<string, VariableValueDto> = {};
  for (const [name, value] of Object.entries(values ?? {})) {
    if (value !== undefined) out[name] = toTypedValue(value, name);
  }
  return out;
}

/** Converts one engine typed value back to a plain value (Date for Date, number for numbers). */
export function fromTypedValue(dto: VariableValueDto): unknown {
  const { type, value } = dto;
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'Date':
      return typeof value === 'string' ? parseEngineDate(value) : value;
    case 'Json':
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return value;
  }
}

/** Options of fromVariables. */
export interface FromVariablesOptions {
  /** Names of String variables that hold JSON (written from objects/arrays) to parse back. */
  json?: Iterable<string>;
}

/** Converts an engine variable map back to plain values. */
export function fromVariables(
  variables: Record<string, VariableValueDto> | null | undefined,
  options: FromVariablesOptions = {},
): Record<string, unknown> {
  const json = new Set(options.json ?? []);
  const out: Record<string, unknown> = {};
  for (const [name, dto] of Object.entries(variables ?? {})) {
    const plain = fromTypedValue(dto);
    out[name] = json.has(name) && typeof plain === 'string' ? JSON.parse(plain) : plain;
  }
  return out;
}

function numberToDto(value: number, name: string): VariableValueDto {
  if (!Number.isFinite(value)) throw unsupported(name, value);
  if (!Number.isInteger(value)) return { type: 'Double', value };
  if (value >= -(2 ** 31) && value < 2 ** 31) return { type: 'Integer', value };
  if (Number.isSafeInteger(value)) return { type: 'Long', value };
  throw unsupported(name, value);
}

function dateToDto(value: Date, name: string): VariableValueDto {
  if (Number.isNaN(value.getTime())) throw unsupported(name, value);
  return { type: 'Date', value: formatEngineDate(value) };
}

function explicitToDto(explicit: ExplicitValue, name: string): VariableValueDto {
  const { type, value } = explicit;
  if (value === null || type === 'Null') return { type, value: null };
  if (type === 'Date') {
    const date = value instanceof Date ? value : new Date(String(value));
    return { type, value: formatEngineDate(date) };
  }
  if (type === 'String') return { type, value: typeof value === 'string' ? value : JSON.stringify(value) };
  const expected = type === 'Boolean' ? 'boolean' : 'number';
  if (typeof value !== expected) throw unsupported(name, value, type);
  return { type, value };
}

function isExplicit(value: unknown): value is ExplicitValue {
  return typeof value === 'object' && value !== null && explicitMarker in value;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function unsupported(name: string, value: unknown, type?: string): UserError {
  const shown = value instanceof Date ? 'Invalid Date' : typeof value === 'bigint' ? `${value}n` : String(value);
  const as = type ? `${type}` : 'a process variable';
  return new UserError('engine.variable.unsupported', {
    'zh-CN': `变量“${name}”的值 ${shown} 不能作为${type ? ` ${type} ` : '流程变量'}传给流程引擎。`,
    en: `Variable "${name}": the value ${shown} cannot be sent to the process engine as ${as}.`,
  }, { details: [{ target: name, message: { 'zh-CN': `不支持的值：${shown}`, en: `unsupported value: ${shown}` } }] });
}
