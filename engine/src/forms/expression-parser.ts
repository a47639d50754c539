/**
 * Parser of GridFlow's form-linkage expressions (the `{{ ... }}` of Formily `x-reactions`): a small,
 * safe subset of JavaScript expressions that only reads form data. Tokens are scanned first, so that
 * JavaScript the language does not have (`=>`, `=`, template literals) is named as such; then a
 * recursive-descent parser with JavaScript's precedence builds the tree. Pure: no Node-only API.
 */
import { UserError } from '../errors.ts';
import { format } from '../i18n/localized-text.ts';
import type { LocalizedText } from '../i18n/localized-text.ts';

/** Longest accepted source, in UTF-16 code units (the `{{ }}` included). */
export const maxExpressionLength = 2000;
/** Deepest accepted nesting of parentheses, brackets, calls, unary operators and ternary branches. */
export const maxExpressionDepth = 64;

/** What an expression can read. */
export type ExpressionRoot = '$values' | '$self' | '$deps' | '$role' | '$task';
/** The functions an expression can call. */
export type ExpressionFunction = 'len' | 'empty' | 'includes' | 'number' | 'string';
export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '<' | '<=' | '>' | '>=' | '===' | '!==' | '==' | '!=';
export type LogicalOperator = '&&' | '||' | '??';

/**
 * A parsed expression. `start`/`end` delimit the node's text in the source (0-based, end exclusive).
 * A name's `path` holds the keys read after the root: `$values.a['b-c']` is `$values` with ['a', 'b-c'];
 * for `$self` it starts with 'value'.
 */
export type Expression = { readonly start: number; readonly end: number } & (
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null | undefined }
  | { readonly kind: 'array'; readonly items: readonly Expression[] }
  | { readonly kind: 'name'; readonly root: ExpressionRoot; readonly path: readonly string[] }
  | { readonly kind: 'unary'; readonly operator: '!' | '-'; readonly operand: Expression }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'logical'; readonly operator: LogicalOperator; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'conditional'; readonly test: Expression; readonly then: Expression; readonly otherwise: Expression }
  | { readonly kind: 'call'; readonly name: ExpressionFunction; readonly args: readonly Expression[] }
);

/** Why a source is not an expression of the language. */
export type ExpressionErrorCode =
  | 'too-long' | 'too-deep' | 'empty' | 'unclosed-braces' | 'unterminated-string' | 'invalid-escape'
  | 'unsupported-syntax' | 'unexpected-token' | 'unexpected-end' | 'unknown-name' | 'incomplete-name'
  | 'forbidden-property' | 'dynamic-index' | 'method-call' | 'unknown-function' | 'function-not-called'
  | 'wrong-arity' | 'mixed-nullish';

const m = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });
const callable = m('len、empty、includes、number、string', 'len, empty, includes, number, string');

/** The reason for each refusal, in configurators' words; `{token}` is the offending token or name. */
const reasons: Record<ExpressionErrorCode, LocalizedText> = {
  'too-long': m('表达式超过 {max} 个字符', 'the expression is longer than {max} characters'),
  'too-deep': m('嵌套超过 {max} 层', 'it is nested deeper than {max} levels'),
  'empty': m('表达式为空', 'the expression is empty'),
  'unclosed-braces': m('“{{”缺少结束的“}}”', '"{{" has no closing "}}"'),
  'unterminated-string': m('字符串缺少结束引号', 'the string has no closing quote'),
  'invalid-escape': m('字符串中的“{token}”无效：只能使用 \\\\、\\\'、\\"、\\n、\\t', '"{token}" in a string is invalid: use only \\\\, \\\', \\", \\n, \\t'),
  'unsupported-syntax': m('不支持的语法“{token}”', 'unsupported syntax "{token}"'),
  'unexpected-token': m('语法错误：此处不应出现“{token}”', 'syntax error: unexpected "{token}"'),
  'unexpected-end': m('表达式不完整', 'the expression is incomplete'),
  'unknown-name': m('不认识的名称“{token}”：只能读取 $values、$self、$deps、$role、$task', 'unknown name "{token}": expressions can read only $values, $self, $deps, $role and $task'),
  'incomplete-name': m('请写出要读取的内容，如 {example}', 'say what to read, like {example}'),
  'forbidden-property': m('不能读取属性“{token}”', 'the property "{token}" cannot be read'),
  'dynamic-index': m('方括号中只能写字符串或数字常量（如 $values[\'a-b\']、$deps[0]），不能写“{token}”', 'brackets may only hold a string or number literal (like $values[\'a-b\'] or $deps[0]), not "{token}"'),
  'method-call': m('不支持方法调用“.{token}(…)”{hint}', 'method calls like ".{token}(…)" are not supported{hint}'),
  'unknown-function': m('不支持函数“{token}”，只能调用 {callable}{hint}', 'the function "{token}" is not supported; only {callable} can be called{hint}'),
  'function-not-called': m('“{token}”是函数，请写作 {token}(…)', '"{token}" is a function: write {token}(…)'),
  'wrong-arity': m('参数个数不对，用法：{usage}', 'wrong number of arguments; usage: {usage}'),
  'mixed-nullish': m('“??”不能与“&&”或“||”直接混用，请加括号', '"??" cannot be mixed with "&&" or "||" without parentheses'),
};
const at = m('表达式第 {at} 个字符处：{reason}', 'At character {at}: {reason}');

/**
 * A source that is not an expression of the language. `position` is the 0-based offset of the
 * problem in the source; the message (in `localized`, English in `message`) counts characters from 1.
 */
export class ExpressionError extends UserError {
  declare readonly code: ExpressionErrorCode;
  readonly position: number;
  /** The offending token or name, when there is one. */
  readonly token: string | undefined;

  constructor(code: ExpressionErrorCode, position: number, params: Record<string, string | number | LocalizedText> = {}) {
    const reason = format(reasons[code], { callable, hint: '', ...params });
    super(code, format(at, { at: position + 1, reason }));
    this.name = 'ExpressionError';
    this.position = position;
    this.token = typeof params.token === 'string' ? params.token : undefined;
  }
}

/** The functions, how many arguments each takes and how to call it. */
const functions: ReadonlyMap<string, { arity: number; usage: string }> = new Map([
  ['len', { arity: 1, usage: 'len(x)' }],
  ['empty', { arity: 1, usage: 'empty(x)' }],
  ['includes', { arity: 2, usage: 'includes(arrayOrString, value)' }],
  ['number', { arity: 1, usage: 'number(x)' }],
  ['string', { arity: 1, usage: 'string(x)' }],
]);
const roots: ReadonlySet<string> = new Set<ExpressionRoot>(['$values', '$self', '$deps', '$role', '$task']);
const literals: ReadonlyMap<string, boolean | null | undefined> = new Map([['true', true], ['false', false], ['null', null], ['undefined', undefined]]);
/** Keys that lead from data to code; refused even where they could only be own data. */
export const forbiddenProperties: ReadonlySet<string> = new Set(['constructor', '__proto__', 'prototype']);
/** JavaScript's reserved and contextual keywords: named as unsupported syntax rather than unknown names. */
const keywords = new Set(('new this super function class typeof void delete in instanceof await yield async let var const ' +
  'return if else for while do switch case default break continue throw try catch finally with debugger import export of').split(' '));
const clockFunctions = new Set(['today', 'now', 'Date', 'time']);

// Every JavaScript punctuator is scanned whole, so a refusal names `=>` or `+=`, not `=`.
const supported = new Set(['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '??', '+', '-', '*', '/', '%', '<', '>', '!', '?', ':', '.', '[', ']', '(', ')', ',']);
const foreign = ['>>>=', '...', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=', '=>', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=',
  '&=', '|=', '^=', '**', '<<', '>>', '//', '/*', '=', '&', '|', '^', '~', '{', '}', ';', '`', '#', '@', '\\'];
const punctuators = [...supported, ...foreign].sort((a, b) => b.length - a.length);
const escapes: ReadonlyMap<string, string> = new Map([['\\', '\\'], ["'", "'"], ['"', '"'], ['n', '\n'], ['t', '\t']]);

interface Token {
  kind: 'number' | 'string' | 'word' | 'punct' | 'end';
  /** The text as written (a string with its quotes). */
  text: string;
  /** A literal's value. */
  value?: string | number;
  offset: number;
  end: number;
}

const isSpace = (c: string) => /\s/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isIdentifierStart = (c: string) => /[\p{L}\p{Nl}$_]/u.test(c);
const isIdentifierPart = (c: string | undefined) => c !== undefined && /[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}$_\u200c\u200d]/u.test(c);

/** Parses a bare expression or one wrapped in `{{ }}`; throws ExpressionError. */
export function parseExpression(source: string): Expression {
  if (source.length > maxExpressionLength) throw new ExpressionError('too-long', maxExpressionLength, { max: maxExpressionLength });
  let [from, to] = [0, source.length];
  const first = source.search(/\S/u);
  if (first >= 0 && source.startsWith('{{', first)) {
    const last = source.trimEnd().length;
    if (last - first < 4 || !source.endsWith('}}', last)) throw new ExpressionError('unclosed-braces', first);
    [from, to] = [first + 2, last - 2];
  }
  return new Parser(source, tokenize(source, from, to)).parseWhole(from);
}

/** The tokens of source[from, to), ending with an `end` token at `to`. */
function tokenize(source: string, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  for (let i = from; ;) {
    while (i < to && isSpace(source[i]!)) i++;
    if (i >= to) {
      tokens.push({ kind: 'end', text: '', offset: to, end: to });
      return tokens;
    }
    const token = scanToken(source, i, to);
    tokens.push(token);
    i = token.end;
  }
}

function scanToken(source: string, i: number, to: number): Token {
  const c = source[i]!;
  if (c === "'" || c === '"') return scanString(source, i, to);
  if (isDigit(c) || (c === '.' && isDigit(source[i + 1]))) return scanNumber(source, i, to);
  if (isIdentifierStart(c)) {
    let j = i + 1;
    while (j < to && isIdentifierPart(source[j])) j++;
    return { kind: 'word', text: source.slice(i, j), offset: i, end: j };
  }
  let punctuator = punctuators.find((p) => source.startsWith(p, i) && i + p.length <= to);
  if (punctuator === '?.' && isDigit(source[i + 2])) punctuator = '?'; // `a?.5:1` is a ternary
  if (punctuator && supported.has(punctuator)) return { kind: 'punct', text: punctuator, offset: i, end: i + punctuator.length };
  throw new ExpressionError('unsupported-syntax', i, { token: punctuator ?? String.fromCodePoint(source.codePointAt(i)!) });
}

/** A quoted string; only \\, \', \", \n and \t are escapes, and a line break ends nothing. */
function scanString(source: string, i: number, to: number): Token {
  const quote = source[i]!;
  let value = '';
  for (let j = i + 1; j < to; j++) {
    const c = source[j]!;
    if (c === quote) return { kind: 'string', text: source.slice(i, j + 1), value, offset: i, end: j + 1 };
    if (c === '\n' || c === '\r') break;
    if (c === '\\') {
      if (j + 1 >= to) break;
      const escaped = escapes.get(source[j + 1]!);
      if (escaped === undefined) throw new ExpressionError('invalid-escape', j, { token: source.slice(j, j + 2) });
      value += escaped;
      j++;
    } else value += c;
  }
  throw new ExpressionError('unterminated-string', i);
}

/** A decimal number: `12`, `1.5`, `.5`. Hex, exponents, separators and leading zeros are refused. */
function scanNumber(source: string, i: number, to: number): Token {
  let j = i;
  while (j < to && isDigit(source[j])) j++;
  if (source[j] === '.' && j + 1 < to && isDigit(source[j + 1])) {
    j++;
    while (j < to && isDigit(source[j])) j++;
  }
  let k = j;
  while (k < to && isIdentifierPart(source[k])) k++;
  const text = source.slice(i, k);
  if (k > j || /^0\d/.test(text)) throw new ExpressionError('unsupported-syntax', i, { token: text });
  return { kind: 'number', text, value: Number(text), offset: i, end: j };
}

const binaryLevels: readonly (readonly string[])[] = [['===', '!==', '==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];

/** Recursive-descent parser over the tokens of one expression, with JavaScript's precedence. */
class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly source: string, private readonly tokens: readonly Token[]) {}

  parseWhole(from: number): Expression {
    if (this.peek().kind === 'end') throw new ExpressionError('empty', from);
    const expression = this.parseConditional();
    if (this.peek().kind !== 'end') this.unexpected(this.peek(), true);
    return expression;
  }

  /** `test ? then : otherwise`, right-associative. */
  private parseConditional(): Expression {
    const test = this.parseShortCircuit();
    const question = this.peek();
    if (!this.accept('?')) return test;
    this.nest(question);
    const then = this.parseConditional();
    this.expect(':');
    const otherwise = this.parseConditional();
    this.depth--;
    return { kind: 'conditional', test, then, otherwise, start: test.start, end: otherwise.end };
  }

  /** `||` over `&&`, or a chain of `??`; as in JavaScript, `??` and `&&`/`||` need parentheses to mix. */
  private parseShortCircuit(): Expression {
    let left = this.parseBinary(0);
    if (this.is('??')) {
      while (this.accept('??')) left = logical('??', left, this.parseBinary(0));
      if (this.is('&&') || this.is('||')) throw new ExpressionError('mixed-nullish', this.peek().offset);
      return left;
    }
    left = this.parseAnd(left);
    while (this.accept('||')) left = logical('||', left, this.parseAnd(this.parseBinary(0)));
    if (this.is('??')) throw new ExpressionError('mixed-nullish', this.peek().offset);
    return left;
  }

  private parseAnd(left: Expression): Expression {
    while (this.accept('&&')) left = logical('&&', left, this.parseBinary(0));
    return left;
  }

  private parseBinary(level: number): Expression {
    const operators = binaryLevels[level];
    if (!operators) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (let token = this.peek(); token.kind === 'punct' && operators.includes(token.text); token = this.peek()) {
      this.at++;
      const right = this.parseBinary(level + 1);
      left = { kind: 'binary', operator: token.text as BinaryOperator, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseUnary(): Expression {
    const token = this.peek();
    if (token.kind !== 'punct' || (token.text !== '!' && token.text !== '-')) return this.parsePrimary();
    this.nest(token);
    this.at++;
    const operand = this.parseUnary();
    this.depth--;
    return { kind: 'unary', operator: token.text, operand, start: token.offset, end: operand.end };
  }

  private parsePrimary(): Expression {
    const token = this.next();
    if (token.kind === 'number' || token.kind === 'string') return { kind: 'literal', value: token.value, start: token.offset, end: token.end };
    if (token.kind === 'word') return this.parseWord(token);
    if (token.text === '(') {
      this.nest(token);
      const inner = this.parseConditional();
      if (!this.is(')')) this.unexpected(this.peek(), true);
      this.at++;
      this.depth--;
      return inner;
    }
    if (token.text === '[') {
      this.nest(token);
      const { items, end } = this.parseList(']');
      this.depth--;
      return { kind: 'array', items, start: token.offset, end };
    }
    // `/` here starts a regular expression, `+` is JavaScript's unary plus.
    if (token.text === '/' || token.text === '+') throw new ExpressionError('unsupported-syntax', token.offset, { token: token.text });
    return this.unexpected(token);
  }

  private parseWord(token: Token): Expression {
    const word = token.text;
    if (literals.has(word)) return { kind: 'literal', value: literals.get(word), start: token.offset, end: token.end };
    if (roots.has(word)) return this.parseName(token, word as ExpressionRoot);
    const fn = functions.get(word);
    if (fn) {
      if (!this.is('(')) throw new ExpressionError('function-not-called', token.offset, { token: word });
      this.nest(this.next());
      const { items: args, end } = this.parseList(')');
      this.depth--;
      if (args.length !== fn.arity) throw new ExpressionError('wrong-arity', token.offset, { token: word, usage: fn.usage });
      return { kind: 'call', name: word as ExpressionFunction, args, start: token.offset, end };
    }
    if (keywords.has(word)) throw new ExpressionError('unsupported-syntax', token.offset, { token: word });
    if (this.is('(')) {
      const hint = clockFunctions.has(word) ? m('（表达式不能读取时钟，浏览器与服务器的结果须一致）', ' (expressions cannot read the clock: browser and server must agree)') : '';
      throw new ExpressionError('unknown-function', token.offset, { token: word, hint });
    }
    throw new ExpressionError('unknown-name', token.offset, { token: word });
  }

  /** A root followed by `.name` and `['key']` / `[0]` accesses; a call after them is refused. */
  private parseName(rootToken: Token, root: ExpressionRoot): Expression {
    const path: string[] = [];
    let [end, receiverEnd, last] = [rootToken.end, rootToken.end, rootToken];
    for (;;) {
      let key: Token;
      if (this.accept('.')) {
        key = this.next();
        if (key.kind !== 'word') this.unexpected(key);
        receiverEnd = end;
        end = key.end;
      } else if (this.accept('[')) {
        key = this.next();
        if (key.kind === 'end') this.unexpected(key);
        if (key.kind !== 'string' && key.kind !== 'number') throw new ExpressionError('dynamic-index', key.offset, { token: key.text });
        receiverEnd = end;
        end = this.expect(']').end;
      } else break;
      const name = key.kind === 'word' ? key.text : String(key.value);
      if (forbiddenProperties.has(name)) throw new ExpressionError('forbidden-property', key.offset, { token: name });
      path.push(name);
      last = key;
    }
    if (this.is('(')) {
      if (path.length === 0) throw new ExpressionError('unknown-function', rootToken.offset, { token: root });
      const method = path[path.length - 1]!;
      const fn = functions.get(method);
      const receiver = this.source.slice(rootToken.offset, receiverEnd);
      const hint = fn ? format(m('，请改写为 {call}', '; write {call} instead'), { call: `${method}(${receiver}${fn.arity > 1 ? ', …' : ''})` }) : format(m('，只能调用函数 {callable}', '; only the functions {callable} can be called'), { callable });
      throw new ExpressionError('method-call', last.offset, { token: method, hint });
    }
    if (root === '$values' && path.length === 0) throw new ExpressionError('incomplete-name', rootToken.offset, { example: '$values.name' });
    if (root === '$self' && path[0] !== 'value') throw new ExpressionError('incomplete-name', rootToken.offset, { example: '$self.value' });
    return { kind: 'name', root, path, start: rootToken.offset, end };
  }

  /** Comma-separated expressions up to `close` (already past the opening token). */
  private parseList(close: ')' | ']'): { items: Expression[]; end: number } {
    const items: Expression[] = [];
    if (!this.is(close)) {
      do items.push(this.parseConditional());
      while (this.accept(','));
    }
    return { items, end: this.expect(close).end };
  }

  private nest(token: Token): void {
    if (++this.depth > maxExpressionDepth) throw new ExpressionError('too-deep', token.offset, { max: maxExpressionDepth });
  }

  private peek(): Token {
    // The tokenizer always ends the list with an `end` token.
    return this.tokens[this.at] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.at++;
    return token;
  }

  private is(punctuator: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === punctuator;
  }

  private accept(punctuator: string): boolean {
    if (!this.is(punctuator)) return false;
    this.at++;
    return true;
  }

  private expect(punctuator: string): Token {
    const token = this.peek();
    if (!this.accept(punctuator)) this.unexpected(token);
    return token;
  }

  /** Refuses a token; where a whole expression has ended, a `,` is JavaScript's sequence operator. */
  private unexpected(token: Token, afterExpression = false): never {
    if (token.kind === 'end') throw new ExpressionError('unexpected-end', token.offset);
    const unsupported = (token.kind === 'word' && keywords.has(token.text)) || (afterExpression && token.text === ',');
    throw new ExpressionError(unsupported ? 'unsupported-syntax' : 'unexpected-token', token.offset, { token: token.text });
  }
}

function logical(operator: LogicalOperator, left: Expression, right: Expression): Expression {
  return { kind: 'logical', operator, left, right, start: left.start, end: right.end };
}
