/** Tokenizer of one JUEL `${...}` expression body, stopping at the `}` that closes it. */

/** Why a text is not in GridFlow's JUEL subset. */
export type JuelErrorCode =
  | 'method-call'
  | 'deferred'
  | 'forbidden-identifier'
  | 'unsupported-operator'
  | 'dynamic-index'
  | 'unexpected-token'
  | 'unterminated-string'
  | 'unterminated-expression'
  | 'invalid-escape'
  | 'invalid-character'
  | 'empty-expression';

/** A refusal: the reason, where in the text (0-based), and the token or name concerned. */
export interface JuelError {
  code: JuelErrorCode;
  offset: number;
  token?: string;
}

/** A lexical token; `end` is the closing `}`. */
export interface JuelToken {
  kind: 'identifier' | 'keyword' | 'number' | 'string' | 'operator' | 'end';
  text: string;
  offset: number;
}

/** The reserved words of JUEL 2.2 (the engine's EL). */
const juelKeywords: ReadonlySet<string> = new Set([
  'null', 'true', 'false', 'empty', 'not', 'and', 'or', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'div', 'mod', 'instanceof',
]);

// Longest first, so `<=` wins over `<`.
const operators = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':', '.', '[', ']', '(', ')', ','];
// Characters that start operators of later EL versions or other languages (assignment, lambdas, sets).
const foreignOperatorStarts = new Set(['=', '&', '|', ';', '{', '#', '$', '@', '^', '~']);

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isIdentifierStart = (c: string) => /[\p{L}\p{Nl}$_]/u.test(c);
const isIdentifierPart = (c: string | undefined) => c !== undefined && /[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}$_]/u.test(c);

type Scan = { token: JuelToken; next: number } | { error: JuelError };

/**
 * Splits the body of the expression whose `${` ends just before `start` into tokens, up to and
 * including the closing `}` (an `end` token); `next` is the offset after that `}`.
 */
export function tokenizeExpression(text: string, start: number): { tokens: JuelToken[]; next: number } | { error: JuelError } {
  const tokens: JuelToken[] = [];
  let i = start;
  for (;;) {
    while (i < text.length && isSpace(text[i]!)) i++;
    if (i >= text.length) return { error: { code: 'unterminated-expression', offset: start - 2 } };
    const scan = scanToken(text, i);
    if ('error' in scan) return scan;
    tokens.push(scan.token);
    i = scan.next;
    if (scan.token.kind === 'end') return { tokens, next: i };
  }
}

function scanToken(text: string, i: number): Scan {
  const c = text[i]!;
  if (c === '}') return { token: { kind: 'end', text: c, offset: i }, next: i + 1 };
  if (c === "'" || c === '"') return scanString(text, i);
  if (isDigit(c) || (c === '.' && isDigit(text[i + 1]))) return scanNumber(text, i);
  if (isIdentifierStart(c)) {
    let j = i + 1;
    while (isIdentifierPart(text[j])) j++;
    const word = text.slice(i, j);
    return { token: { kind: juelKeywords.has(word) ? 'keyword' : 'identifier', text: word, offset: i }, next: j };
  }
  const operator = operators.find((op) => text.startsWith(op, i));
  if (operator) return { token: { kind: 'operator', text: operator, offset: i }, next: i + operator.length };
  const code = foreignOperatorStarts.has(c) ? 'unsupported-operator' : 'invalid-character';
  return { error: { code, offset: i, token: c } };
}

/** A quoted string; as in JUEL, only the quote itself and the backslash may be escaped. */
function scanString(text: string, i: number): Scan {
  const quote = text[i]!;
  let value = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === quote) return { token: { kind: 'string', text: value, offset: i }, next: j + 1 };
    if (c === '\\') {
      const escaped = text[j + 1];
      if (escaped === undefined) break;
      if (escaped !== quote && escaped !== '\\') return { error: { code: 'invalid-escape', offset: j, token: `\\${escaped}` } };
      value += escaped;
      j++;
    } else value += c;
  }
  return { error: { code: 'unterminated-string', offset: i } };
}

/** An integer or floating-point literal: `12`, `1.5`, `.5`, `2e3`, `1.5E-2`. */
function scanNumber(text: string, i: number): Scan {
  let j = i;
  while (isDigit(text[j])) j++;
  if (text[j] === '.') {
    j++;
    while (isDigit(text[j])) j++;
  }
  if (text[j] === 'e' || text[j] === 'E') {
    let k = j + 1;
    if (text[k] === '+' || text[k] === '-') k++;
    if (isDigit(text[k])) {
      while (isDigit(text[k])) k++;
      j = k;
    }
  }
  return { token: { kind: 'number', text: text.slice(i, j), offset: i }, next: j };
}
