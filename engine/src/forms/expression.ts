/**
 * GridFlow's form-linkage expression language: the `{{ ... }}` of Formily `x-reactions`, parsed into
 * a tree and run by this interpreter, never by JavaScript. The same module runs in the browser
 * (designer preview, workbench) and on the server (validation), so evaluation is pure and
 * deterministic: no clock, no locale, no host objects, only the data in the scope.
 *
 * Language (a subset of JavaScript expressions, with JavaScript's precedence):
 *   literals   12, 1.5, 'text', "text" (escapes \\ \' \" \n \t), true, false, null, undefined, [a, b]
 *   names      $values.a.b, $values['a-b'], $values.list[0], $self.value, $deps[0], $role, $task
 *   operators  !  unary -  * / %  + -  < <= > >=  === !== == !=  &&  ||  ??  a ? b : c  ( )
 *   functions  len(x), empty(x), includes(arrayOrString, value), number(x), string(x)
 *
 * Evaluation rules (evaluate never throws on data):
 *   - names read own properties of plain objects and indexes of arrays; anything else is undefined
 *     (so `$values.text.length` and `$values.list.length` are undefined: use len());
 *   - `+` adds two numbers, concatenates when either side is a string (null, undefined and
 *     non-primitive values count as '', see string()), and is undefined otherwise;
 *   - `- * / %` and unary `-` need numbers; any other operand, or a result that is not a finite
 *     number (1 / 0), gives undefined;
 *   - `< <= > >=` compare two numbers or two strings (by UTF-16 code units); otherwise false;
 *   - `===`/`!==` are JavaScript's; `==`/`!=` are the same, except that null and undefined equal each other;
 *   - `!`, `&&`, `||`, `??` and `?:` follow JavaScript's truthiness and short-circuit;
 *   - len: characters (Unicode code points, as JSON Schema's maxLength) of a string, items of an array, else 0;
 *     empty: true for undefined, null, '' and []; includes: array membership (SameValueZero) or
 *     substring (only of a string); number: finite numbers, decimal strings ('12.5', ' 3 ', '1e3'),
 *     true → 1, false → 0, else undefined; string: strings, finite numbers, 'true'/'false', else ''.
 */
import { forbiddenProperties } from './expression-parser.ts';
import type { BinaryOperator, Expression, ExpressionFunction, ExpressionRoot } from './expression-parser.ts';

export { ExpressionError, parseExpression, maxExpressionDepth, maxExpressionLength } from './expression-parser.ts';
export type { Expression, ExpressionErrorCode, ExpressionRoot, ExpressionFunction, BinaryOperator, LogicalOperator } from './expression-parser.ts';

/** What an expression can read: the form values, the field's own value, its dependencies, the user's roles, the task. */
export interface ExpressionScope {
  $values: Record<string, unknown>;
  $self?: { value: unknown };
  $deps?: unknown[];
  $role?: string[];
  $task?: string;
}

/** The value of an expression in a scope; never throws on data (a missing field is undefined). */
export function evaluate(expr: Expression, scope: ExpressionScope): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'array':
      return expr.items.map((item) => evaluate(item, scope));
    case 'name':
      return readName(expr.root, expr.path, scope);
    case 'unary': {
      const operand = evaluate(expr.operand, scope);
      if (expr.operator === '!') return !operand;
      return typeof operand === 'number' ? finite(-operand) : undefined;
    }
    case 'binary':
      return binary(expr.operator, evaluate(expr.left, scope), evaluate(expr.right, scope));
    case 'logical': {
      const left = evaluate(expr.left, scope);
      if (expr.operator === '&&') return left ? evaluate(expr.right, scope) : left;
      if (expr.operator === '||') return left ? left : evaluate(expr.right, scope);
      return left ?? evaluate(expr.right, scope);
    }
    case 'conditional':
      return evaluate(expr.test, scope) ? evaluate(expr.then, scope) : evaluate(expr.otherwise, scope);
    case 'call':
      return call(expr.name, expr.args.map((arg) => evaluate(arg, scope)));
    default:
      return undefined;
  }
}

/** The form field paths an expression reads from `$values`, dot-joined (`address.city`, `list.0`), in order of first appearance. */
export function referencedFields(expr: Expression): string[] {
  const fields = new Set<string>();
  const visit = (node: Expression): void => {
    if (node.kind === 'name') {
      if (node.root === '$values' && node.path.length > 0) fields.add(node.path.join('.'));
    } else children(node).forEach(visit);
  };
  visit(expr);
  return [...fields];
}

function children(node: Expression): readonly Expression[] {
  switch (node.kind) {
    case 'array': return node.items;
    case 'unary': return [node.operand];
    case 'binary':
    case 'logical': return [node.left, node.right];
    case 'conditional': return [node.test, node.then, node.otherwise];
    case 'call': return node.args;
    default: return [];
  }
}

/**
 * The scope's own members are taken as given (the caller builds the scope, and `$self` may be a
 * Formily field); below them, only data is read.
 */
function readName(root: ExpressionRoot, path: readonly string[], scope: ExpressionScope): unknown {
  let value: unknown;
  let rest = path;
  if (root === '$values') value = scope.$values;
  else if (root === '$self') [value, rest] = [path[0] === 'value' ? scope.$self?.value : undefined, path.slice(1)];
  else if (root === '$deps') value = scope.$deps;
  else if (root === '$role') value = scope.$role;
  else if (root === '$task') value = scope.$task;
  for (const key of rest) value = readProperty(value, key);
  return value;
}

const arrayIndex = /^(0|[1-9]\d*)$/;

/** An own property of a plain object, or an index of an array; anything else is undefined. */
function readProperty(container: unknown, key: string): unknown {
  if (forbiddenProperties.has(key) || typeof container !== 'object' || container === null) return undefined;
  if (Array.isArray(container)) return arrayIndex.test(key) && Object.hasOwn(container, key) ? (container as unknown[])[Number(key)] : undefined;
  const prototype = Object.getPrototypeOf(container) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  return Object.hasOwn(container, key) ? (container as Record<string, unknown>)[key] : undefined;
}

const finite = (n: number): number | undefined => (Number.isFinite(n) ? n : undefined);
const isNullish = (v: unknown): v is null | undefined => v === null || v === undefined;

function binary(operator: BinaryOperator, left: unknown, right: unknown): unknown {
  switch (operator) {
    case '===': return left === right;
    case '!==': return left !== right;
    case '==': return (isNullish(left) && isNullish(right)) || left === right;
    case '!=': return !((isNullish(left) && isNullish(right)) || left === right);
    case '<': case '<=': case '>': case '>=': return compare(operator, left, right);
    case '+':
      if (typeof left === 'string' || typeof right === 'string') return toText(left) + toText(right);
      return typeof left === 'number' && typeof right === 'number' ? finite(left + right) : undefined;
    default:
      if (typeof left !== 'number' || typeof right !== 'number') return undefined;
      if (operator === '-') return finite(left - right);
      if (operator === '*') return finite(left * right);
      return finite(operator === '/' ? left / right : left % right);
  }
}

function compare(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  let order: number;
  if (typeof left === 'number' && typeof right === 'number') order = left < right ? -1 : left > right ? 1 : left === right ? 0 : NaN;
  else if (typeof left === 'string' && typeof right === 'string') order = left < right ? -1 : left > right ? 1 : 0;
  else return false;
  if (operator === '<') return order < 0;
  if (operator === '<=') return order <= 0;
  if (operator === '>') return order > 0;
  return order >= 0;
}

/** Text of a value for `+` and string(): numbers in JavaScript's shortest form, nothing for null, undefined and non-primitives. */
function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return '';
}

const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function call(name: ExpressionFunction, args: unknown[]): unknown {
  const [x, y] = args;
  switch (name) {
    case 'len':
      if (typeof x === 'string') {
        let count = 0;
        for (const _ of x) count++;
        return count;
      }
      return Array.isArray(x) ? x.length : 0;
    case 'empty':
      return x === undefined || x === null || x === '' || (Array.isArray(x) && x.length === 0);
    case 'includes':
      if (Array.isArray(x)) return Array.prototype.includes.call(x, y);
      return typeof x === 'string' && typeof y === 'string' && x.includes(y);
    case 'number':
      if (typeof x === 'number') return finite(x);
      if (typeof x === 'boolean') return x ? 1 : 0;
      if (typeof x !== 'string' || !decimal.test(x.trim())) return undefined;
      return finite(Number(x.trim()));
    case 'string':
      return toText(x);
    default:
      return undefined;
  }
}
