/**
 * Linkage between fields (Formily `x-reactions`), evaluated with GridFlow's safe expression
 * language so that the browser and the server reach the same state. Supported shape:
 *
 *   "x-reactions": {
 *     "dependencies": ["eventType"],
 *     "when": "{{ $deps[0] === 'other' }}",
 *     "fulfill": { "state": { "visible": true, "required": true } },
 *     "otherwise": { "state": { "visible": false } }
 *   }
 *
 * or state values that are expressions themselves: `"required": "{{ !empty($values.phone) }}"`.
 * State keys: visible, required, readOnly (also Formily's display: none|hidden|visible and
 * pattern: readOnly|editable|disabled). `run` and any other JavaScript are refused.
 */
import type { LocalizedText } from '../i18n/localized-text.ts';
import { evaluate, ExpressionError, parseExpression } from './expression.ts';
import type { Expression } from './expression.ts';

/** The state a reaction can set. */
export interface ReactionState {
  visible?: boolean;
  required?: boolean;
  readOnly?: boolean;
}

/** A field's reactions, parsed. */
export interface ParsedReaction {
  dependencies: string[];
  when?: Expression;
  fulfill: Record<string, Expression | boolean | string>;
  otherwise: Record<string, Expression | boolean | string>;
}

/** A problem in a reaction declaration (found when the form is validated as a definition). */
export interface ReactionProblem {
  field: string;
  pointer: string;
  message: LocalizedText;
}

/** The message of a parse failure. */
function localizedOf(e: unknown): LocalizedText {
  if (e instanceof ExpressionError) return e.localized;
  throw e;
}

const own = (values: Record<string, unknown>, key: string) => (Object.hasOwn(values, key) ? values[key] : undefined);

const STATE_KEYS = new Set(['visible', 'required', 'readOnly', 'display', 'pattern']);
const isExpression = (v: unknown): v is string => typeof v === 'string' && /^\s*\{\{[\s\S]*\}\}\s*$/.test(v);

function parseState(state: unknown, at: string, problems: ReactionProblem[], field: string): Record<string, Expression | boolean | string> {
  const out: Record<string, Expression | boolean | string> = {};
  if (state === undefined) return out;
  if (typeof state !== 'object' || state === null) {
    problems.push({ field, pointer: at, message: { 'zh-CN': 'state 应为对象', en: 'state must be an object' } });
    return out;
  }
  for (const [key, value] of Object.entries(state)) {
    if (!STATE_KEYS.has(key)) {
      problems.push({ field, pointer: `${at}/${key}`, message: { 'zh-CN': `不支持的联动状态“${key}”（可用：visible、required、readOnly、display、pattern）`, en: `Unsupported reaction state "${key}" (use visible, required, readOnly, display, pattern)` } });
      continue;
    }
    try {
      out[key] = isExpression(value) ? parseExpression(value) : (value as boolean | string);
    } catch (e) {
      problems.push({ field, pointer: `${at}/${key}`, message: localizedOf(e) });
    }
  }
  return out;
}

/** Parses the reactions of every top-level field; problems name the field and JSON pointer. */
export function parseReactions(properties: Record<string, unknown>): { reactions: Map<string, ParsedReaction[]>; problems: ReactionProblem[] } {
  const reactions = new Map<string, ParsedReaction[]>();
  const problems: ReactionProblem[] = [];
  for (const [field, schema] of Object.entries(properties)) {
    const raw = (schema as Record<string, unknown> | null)?.['x-reactions'];
    if (raw === undefined) continue;
    const list = Array.isArray(raw) ? raw : [raw];
    const parsed: ParsedReaction[] = [];
    list.forEach((r: Record<string, unknown>, i) => {
      const at = `/properties/${field}/x-reactions${Array.isArray(raw) ? `/${i}` : ''}`;
      for (const key of Object.keys(r ?? {})) {
        if (!['dependencies', 'when', 'fulfill', 'otherwise'].includes(key)) {
          problems.push({ field, pointer: `${at}/${key}`, message: { 'zh-CN': `不支持的联动配置“${key}”（不执行脚本）`, en: `Unsupported reaction key "${key}" (scripts are not run)` } });
        }
      }
      for (const part of ['fulfill', 'otherwise'] as const) {
        const keys = Object.keys((r?.[part] as Record<string, unknown> | undefined) ?? {});
        for (const k of keys) {
          if (k !== 'state') problems.push({ field, pointer: `${at}/${part}/${k}`, message: { 'zh-CN': `联动只支持 state（不支持“${k}”）`, en: `Reactions support only state (not "${k}")` } });
        }
      }
      let when: Expression | undefined;
      try {
        if (r?.when !== undefined) when = parseExpression(String(r.when));
      } catch (e) {
        problems.push({ field, pointer: `${at}/when`, message: localizedOf(e) });
      }
      parsed.push({
        dependencies: Array.isArray(r?.dependencies) ? (r.dependencies as unknown[]).map(String) : [],
        ...(when ? { when } : {}),
        fulfill: parseState((r?.fulfill as Record<string, unknown> | undefined)?.state, `${at}/fulfill/state`, problems, field),
        otherwise: parseState((r?.otherwise as Record<string, unknown> | undefined)?.state, `${at}/otherwise/state`, problems, field),
      });
    });
    reactions.set(field, parsed);
  }
  return { reactions, problems };
}

function applyState(target: ReactionState, state: Record<string, Expression | boolean | string>, scope: Parameters<typeof evaluate>[1]): void {
  for (const [key, raw] of Object.entries(state)) {
    const value = typeof raw === 'object' ? evaluate(raw, scope) : raw;
    if (key === 'visible') target.visible = Boolean(value);
    else if (key === 'required') target.required = Boolean(value);
    else if (key === 'readOnly') target.readOnly = Boolean(value);
    else if (key === 'display') target.visible = value === 'visible';
    else if (key === 'pattern') target.readOnly = value === 'readOnly' || value === 'disabled' || value === 'readPretty';
  }
}

/** The state every field with reactions gets for these values. */
export function reactionStates(reactions: Map<string, ParsedReaction[]>, values: Record<string, unknown>): Map<string, ReactionState> {
  const states = new Map<string, ReactionState>();
  for (const [field, list] of reactions) {
    const state: ReactionState = {};
    for (const r of list) {
      const scope = { $values: values, $deps: r.dependencies.map((d) => own(values, d)), $self: { value: own(values, field) } };
      const holds = r.when === undefined ? true : Boolean(evaluate(r.when, scope));
      applyState(state, holds ? r.fulfill : r.otherwise, scope);
    }
    states.set(field, state);
  }
  return states;
}
