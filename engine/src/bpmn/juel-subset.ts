/**
 * GridFlow's safe JUEL subset: `${...}` expressions that only read process variables and their
 * properties and combine them with operators. Anything that could run code in the engine (method and
 * function calls, engine objects, deferred `#{...}` expressions) is refused. Pure: text in, verdict out.
 */
import { tokenizeExpression } from './juel-tokens.ts';
import type { JuelError, JuelToken } from './juel-tokens.ts';

export type { JuelError, JuelErrorCode } from './juel-tokens.ts';

/** The verdict on a text: how many expressions it holds and which variables they read, or why it is refused. */
export type JuelCheck =
  | { ok: true; expressions: number; variables: string[] }
  | { ok: false; error: JuelError };

/**
 * Objects the engine puts into every expression context. Through them an expression reaches engine
 * internals, and the engine's current user is GridFlow's service account, not the person acting:
 * processes read what they need from process variables that GridFlow sets.
 */
export const forbiddenIdentifiers: ReadonlySet<string> = new Set([
  'execution', 'task', 'externalTask', 'caseExecution', 'variableContext', 'authenticatedUserId',
]);

const ternaryLevels: readonly (readonly string[])[] = [
  ['||', 'or'],
  ['&&', 'and'],
  ['==', '!=', 'eq', 'ne'],
  ['<', '>', '<=', '>=', 'lt', 'gt', 'le', 'ge'],
  ['+', '-'],
  ['*', '/', '%', 'div', 'mod'],
];
const unaryOperators = new Set(['-', '!', 'not', 'empty']);
const literalKeywords = new Set(['true', 'false', 'null']);

/** Thrown inside the parser to unwind to `checkJuelSubset`; never escapes it. */
class Refusal extends Error {
  constructor(readonly error: JuelError) {
    super(error.code);
  }
}

/**
 * Checks a text that may mix literal text with `${...}` expressions (a JUEL composite expression).
 * `\${` and `\#{` are literal text, as in JUEL.
 */
export function checkJuelSubset(text: string): JuelCheck {
  const variables = new Set<string>();
  let expressions = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '$' || text[i + 1] === '#') && text[i + 2] === '{') {
      i += 3;
    } else if (c === '#' && text[i + 1] === '{') {
      return { ok: false, error: { code: 'deferred', offset: i, token: '#{' } };
    } else if (c === '$' && text[i + 1] === '{') {
      const scanned = tokenizeExpression(text, i + 2);
      if ('error' in scanned) return { ok: false, error: scanned.error };
      try {
        new ExpressionParser(scanned.tokens, variables).parseWhole(i);
      } catch (e) {
        if (e instanceof Refusal) return { ok: false, error: e.error };
        throw e;
      }
      expressions++;
      i = scanned.next;
    } else i++;
  }
  return { ok: true, expressions, variables: [...variables].sort() };
}

/** Recursive-descent parser over the tokens of one expression, following JUEL's precedence levels. */
class ExpressionParser {
  private at = 0;

  constructor(private readonly tokens: readonly JuelToken[], private readonly variables: Set<string>) {}

  /** The whole body: one expression, then the closing `}`. */
  parseWhole(dollarOffset: number): void {
    if (this.peek().kind === 'end') throw new Refusal({ code: 'empty-expression', offset: dollarOffset });
    this.parseChoice();
    if (this.peek().kind !== 'end') this.unexpected();
  }

  /** `or ? choice : choice` (right-associative). */
  private parseChoice(): void {
    this.parseBinary(0);
    if (this.accept('?')) {
      this.parseChoice();
      this.expect(':');
      this.parseChoice();
    }
  }

  private parseBinary(level: number): void {
    const ops = ternaryLevels[level];
    if (!ops) return this.parseUnary();
    this.parseBinary(level + 1);
    while (ops.includes(this.peek().text) && this.isOperatorToken(this.peek())) {
      this.at++;
      this.parseBinary(level + 1);
    }
  }

  private parseUnary(): void {
    const token = this.peek();
    if (unaryOperators.has(token.text) && this.isOperatorToken(token)) {
      this.at++;
      return this.parseUnary();
    }
    this.parseValue();
  }

  /** A literal, or a variable / parenthesised expression followed by property accesses. */
  private parseValue(): void {
    const token = this.next();
    if (token.kind === 'number' || token.kind === 'string' || (token.kind === 'keyword' && literalKeywords.has(token.text))) return;
    if (token.text === '(' && token.kind === 'operator') {
      this.parseChoice();
      this.expect(')');
    } else if (token.kind === 'identifier') {
      this.refuseCall(token, this.isFunctionWithPrefix() ? `${token.text}:${this.tokens[this.at + 1]?.text}` : token.text);
      if (forbiddenIdentifiers.has(token.text)) throw new Refusal({ code: 'forbidden-identifier', offset: token.offset, token: token.text });
      this.variables.add(token.text);
    } else this.unexpected(token);
    this.parseSuffixes();
  }

  /** `.name` and `['literal']` / `[0]`; a call after any of them is refused. */
  private parseSuffixes(): void {
    for (;;) {
      if (this.accept('.')) {
        const name = this.next();
        if (name.kind !== 'identifier') this.unexpected(name);
        this.refuseCall(name, name.text);
      } else if (this.accept('[')) {
        const index = this.next();
        if (index.kind === 'identifier' || index.kind === 'keyword' || (index.kind === 'operator' && ['(', '-', '!'].includes(index.text))) {
          throw new Refusal({ code: 'dynamic-index', offset: index.offset, token: index.text });
        }
        if (index.kind !== 'string' && index.kind !== 'number') this.unexpected(index);
        this.expect(']');
        this.refuseCall(index, `[${index.text}]`);
      } else return;
    }
  }

  /** Refuses `name(`, and `prefix:name(` (a JUEL function), right after the given token. */
  private refuseCall(token: JuelToken, name: string): void {
    const following = this.peek();
    if ((following.text === '(' && following.kind === 'operator') || this.isFunctionWithPrefix()) {
      throw new Refusal({ code: 'method-call', offset: token.offset, token: name });
    }
  }

  private isFunctionWithPrefix(): boolean {
    const [colon, name, paren] = [this.tokens[this.at], this.tokens[this.at + 1], this.tokens[this.at + 2]];
    return colon?.text === ':' && name?.kind === 'identifier' && paren?.text === '(' && paren.kind === 'operator';
  }

  private isOperatorToken(token: JuelToken): boolean {
    return token.kind === 'operator' || token.kind === 'keyword';
  }

  private peek(): JuelToken {
    // The tokenizer always ends the list with the closing `}`.
    return this.tokens[this.at] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): JuelToken {
    const token = this.peek();
    if (token.kind !== 'end') this.at++;
    return token;
  }

  private accept(operator: string): boolean {
    const token = this.peek();
    if (token.kind !== 'operator' || token.text !== operator) return false;
    this.at++;
    return true;
  }

  private expect(operator: string): void {
    if (!this.accept(operator)) this.unexpected();
  }

  private unexpected(token: JuelToken = this.peek()): never {
    const code = token.text === 'instanceof' ? 'unsupported-operator' : 'unexpected-token';
    throw new Refusal({ code, offset: token.offset, token: token.text });
  }
}
