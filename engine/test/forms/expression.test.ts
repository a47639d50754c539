import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { evaluate, ExpressionError, maxExpressionDepth, maxExpressionLength, parseExpression, referencedFields } from '../../src/forms/expression.ts';
import type { Expression, ExpressionErrorCode, ExpressionScope } from '../../src/forms/expression.ts';

const values = {
  name: 'Li Lei', count: 3, zero: 0, blank: '', nothing: null, yes: true, no: false,
  amount: '12.5', fee: '0.5', type: 'other', tags: ['a', 'b'], none: [],
  address: { city: 'Hangzhou', street: { no: 7 } }, list: [{ name: 'first' }, { name: 'second' }],
  'a-b': 'dashed', 事件类型: 'fire',
};
const scope: ExpressionScope = { $values: values, $self: { value: 'mine' }, $deps: ['first', 2], $role: ['grid-worker', 'viewer'], $task: 'verify' };
const run = (source: string, s: ExpressionScope = scope) => evaluate(parseExpression(source), s);

// Sources, and their value in `scope` (or in the scope given).
const evaluated: readonly (readonly [source: string, expected: unknown, scope?: ExpressionScope])[] = [
  // precedence and associativity
  ['1 + 2 * 3', 7], ['(1 + 2) * 3', 9], ['10 - 4 - 3', 3], ['12 / 4 / 3', 1], ['7 % 4 * 2', 6], ['2 + 3 % 2', 3],
  ['-2 * 3', -6], ['- -2', 2], ['-(1 + 2)', -3], ['!0', true], ['!!1', true], ['!$values.missing', true], ['![]', false],
  ['1 + 2 < 4 === true', true], ['1 < 2 && 3 > 4 || 5 >= 5', true], ['true || false && false', true], ['(true || false) && false', false],
  ['false ? 1 : 2', 2], ['true ? 1 : false ? 2 : 3', 1], ['false ? 1 : false ? 2 : 3', 3], ['(false ? true : false) ? 1 : 2', 2],
  ['$values.count > 2 ? "many" : "few"', 'many'], ['null ?? 1 + 1', 2], ['1 === 1 === true', true],
  ['{{ 1 + 1 }}', 2], ['  {{$values.count}}  ', 3], ['{{\n  $values.type === "other"\n}}', true],
  // short-circuit returns the deciding operand
  ['$values.missing || "default"', 'default'], ["'' || 0", 0], ['0 && $values.count', 0], ['$values.name && len($values.name)', 6],
  ['$values.missing && len($values.missing)', undefined], ['$values.count || 99', 3],
  // ??
  ['null ?? 1', 1], ['undefined ?? 1', 1], ['0 ?? 1', 0], ["'' ?? 1", ''], ['false ?? 1', false], ['$values.missing ?? "x"', 'x'],
  ['$values.nothing ?? $values.missing ?? 3', 3], ['($values.missing || $values.blank) ?? 1', ''], ['$values.missing ?? (0 || 5)', 5],
  // null vs undefined
  ['null == undefined', true], ['null === undefined', false], ['null !== undefined', true], ['undefined != null', false],
  ['$values.missing == null', true], ['$values.nothing == null', true], ['$values.nothing === null', true], ['$values.missing === null', false],
  ['$values.missing === undefined', true], ['$values.missing != null', false], ['$values.zero == null', false], ["'' == null", false],
  ['1 == "1"', false], ['1 != "1"', true], ['$values.yes == 1', false], ['$values.tags == $values.tags', true], ['[1] == [1]', false],
  // + on strings and numbers, arithmetic type rules
  ['1 + 2', 3], ["'1' + 2", '12'], ["1 + '2'", '12'], ["1 + 2 + 'x'", '3x'], ["'x' + 1 + 2", 'x12'], ["'' + 1.5", '1.5'],
  ["'a' + $values.missing", 'a'], ["'n=' + null", 'n='], ["'x' + true", 'xtrue'], ["'' + [1, 2]", ''], ["'共' + $values.count + '件'", '共3件'],
  ['1 + null', undefined], ['true + 1', undefined], ['1 + $values.missing', undefined], ['$values.count + 1', 4], ['0.1 + 0.2', 0.30000000000000004],
  ['1 / 0', undefined], ['5 % 0', undefined], ["'a' - 1", undefined], ["-'1'", undefined], ['-$values.missing', undefined], ['$values.count * 2 / 4', 1.5],
  ['number($values.amount) + number($values.fee)', 13], ['$values.amount + $values.fee', '12.50.5'],
  // comparisons across types
  ['2 < 10', true], ["'2' < '10'", false], ["'2' < 10", false], ["2 >= '1'", false], ['null < 1', false], ['null >= 0', false],
  ['$values.missing < 1', false], ['$values.missing >= 1', false], ["'b' > 'a'", true], ["'a' <= 'a'", true], ['true > false', false],
  ['[2] > 1', false], ['$values.count <= 3', true],
  // missing and non-data properties
  ['$values.missing', undefined], ['$values.missing.deep.deeper', undefined], ['$values.nothing.x', undefined], ['$values.name.length', undefined],
  ['$values.tags.length', undefined], ['$values.toString', undefined], ['$values.hasOwnProperty', undefined], ['$values.address.valueOf', undefined],
  ['$values.tags[5]', undefined], ['$values.tags["01"]', undefined], ['$values.count.x', undefined],
  // $deps, $self, $role, $task
  ['$deps[0]', 'first'], ['$deps[1] + 1', 3], ['$deps[5]', undefined], ['len($deps)', 2], ['$deps[0]', undefined, { $values: {} }],
  ['$self.value', 'mine'], ["$self.value === 'mine'", true], ['$self.value.x', 2, { $values: {}, $self: { value: { x: 2 } } }], ['$self.value', undefined, { $values: {} }],
  ["includes($role, 'grid-worker')", true], ["includes($role, 'admin')", false], ['$role[1]', 'viewer'], ["$task === 'verify'", true], ['$task', undefined, { $values: {} }],
  // bracket access
  ["$values['a-b']", 'dashed'], ["$values['address'].city", 'Hangzhou'], ["$values.address['city']", 'Hangzhou'], ['$values["address"]["street"].no', 7],
  ['$values.list[1].name', 'second'], ["$values.list['0'].name", 'first'], ['$values.事件类型', 'fire'], ["$values['事件类型'] === 'fire'", true],
  // array literals and includes
  ["includes(['a', 'other'], $values.type)", true], ["includes(['a', 'b'], $values.type)", false], ['includes([1, 2, 3], 2)', true], ["includes([1, 2], '2')", false],
  ['includes([null], $values.nothing)', true], ["includes($values.tags, 'b')", true], ["includes($values.name, 'Lei')", true], ['includes($values.name, 1)', false],
  ['includes(null, 1)', false], ['includes(12, 1)', false], ['[1, [2, $values.count]]', [1, [2, 3]]], ['[]', []],
  // len, empty, number, string
  ["len('abc')", 3], ["len('事件')", 2], ["len('😀')", 1], ['len([1, 2, 3])', 3], ['len(5)', 0], ['len(null)', 0], ['len($values.missing)', 0], ['len($values.address)', 0],
  ["empty('')", true], ["empty(' ')", false], ['empty([])', true], ['empty([0])', false], ['empty(0)', false], ['empty(false)', false], ['empty(null)', true],
  ['empty($values.missing)', true], ['empty($values.none)', true], ['empty($values.tags)', false], ['!empty($values.name)', true],
  ["number('12.5')", 12.5], ["number(' 3 ')", 3], ["number('')", undefined], ["number('abc')", undefined], ["number('0x10')", undefined], ["number('1e3')", 1000],
  ["number('1e999')", undefined], ['number(true)', 1], ['number(null)', undefined], ['number([1])', undefined], ['number(-2)', -2],
  ['string(12)', '12'], ['string(null)', ''], ['string(true)', 'true'], ["string('a')", 'a'], ['string($values.tags)', ''], ['string(0.5) + 1', '0.51'],
];

// Sources outside the language, with the reason and the 0-based position of the problem.
const refused: readonly (readonly [source: string, code: ExpressionErrorCode, position: number])[] = [
  ['(x) => 1', 'unsupported-syntax', 4],
  ['x => x', 'unsupported-syntax', 2],
  ['{{ $values.list.filter(item => item.ok) }}', 'unsupported-syntax', 28],
  ['$values.a = 1', 'unsupported-syntax', 10],
  ['$values.a += 1', 'unsupported-syntax', 10],
  ['$values.a++', 'unsupported-syntax', 9],
  ['constructor', 'unknown-name', 0],
  ['$values.constructor', 'forbidden-property', 8],
  ["$values['constructor']", 'forbidden-property', 8],
  ['$values.__proto__', 'forbidden-property', 8],
  ['$values.a.__proto__.x', 'forbidden-property', 10],
  ['$values.prototype', 'forbidden-property', 8],
  ["$self.value['__proto__']", 'forbidden-property', 12],
  ['$deps.constructor', 'forbidden-property', 6],
  ['globalThis', 'unknown-name', 0],
  ['window.alert(1)', 'unknown-name', 0],
  ['alert(1)', 'unknown-function', 0],
  ['eval("1")', 'unknown-function', 0],
  ['today()', 'unknown-function', 0],
  ['Math.max(1, 2)', 'unknown-name', 0],
  ['this', 'unsupported-syntax', 0],
  ['this.$values', 'unsupported-syntax', 0],
  ['new Date()', 'unsupported-syntax', 0],
  ['typeof $values.a', 'unsupported-syntax', 0],
  ["'a' in $values", 'unsupported-syntax', 4],
  ['a, b', 'unknown-name', 0],
  ['$values.a, $values.b', 'unsupported-syntax', 9],
  ['($values.a, 1)', 'unsupported-syntax', 10],
  ['`hi ${$values.a}`', 'unsupported-syntax', 0],
  ['/ab/.test($values.a)', 'unsupported-syntax', 0],
  ['+$values.a', 'unsupported-syntax', 0],
  ['$values.a?.b', 'unsupported-syntax', 9],
  ['$values.a ** 2', 'unsupported-syntax', 10],
  ['$values.a; $values.b', 'unsupported-syntax', 9],
  ['...$deps', 'unsupported-syntax', 0],
  ['{ a: 1 }', 'unsupported-syntax', 0],
  ['0x10', 'unsupported-syntax', 0],
  ['1e3', 'unsupported-syntax', 0],
  ['007', 'unsupported-syntax', 0],
  ['（1）', 'unsupported-syntax', 0],
  ["$values.a.includes('x')", 'method-call', 10],
  ["$values['a'].toString()", 'method-call', 13],
  ['$values.a.b()', 'method-call', 10],
  ['$role()', 'unknown-function', 0],
  ["'abc", 'unterminated-string', 0],
  ['$values.a === "abc', 'unterminated-string', 14],
  ["'a\nb'", 'unterminated-string', 0],
  ["'a\\x'", 'invalid-escape', 2],
  ['$values.a 1', 'unexpected-token', 10],
  ['$values.a )', 'unexpected-token', 10],
  ['1 2', 'unexpected-token', 2],
  ['1.5.toFixed(2)', 'unexpected-token', 3],
  ['(1).x', 'unexpected-token', 3],
  ['$values.a +', 'unexpected-end', 11],
  ['$values.a ? 1', 'unexpected-end', 13],
  ['[1, 2', 'unexpected-end', 5],
  ['{{ $values.a + }}', 'unexpected-end', 15],
  ['', 'empty', 0],
  ['   ', 'empty', 0],
  ['{{ }}', 'empty', 2],
  ['{{ $values.a }', 'unclosed-braces', 0],
  ['$values', 'incomplete-name', 0],
  ['$self', 'incomplete-name', 0],
  ['$self.visible', 'incomplete-name', 0],
  ['$values[$self.value]', 'dynamic-index', 8],
  ['$deps[-1]', 'dynamic-index', 6],
  ['len', 'function-not-called', 0],
  ['len(1, 2)', 'wrong-arity', 0],
  ['includes([1])', 'wrong-arity', 0],
  ['$values.a ?? $values.b || 1', 'mixed-nullish', 23],
  ['$values.a || $values.b ?? 1', 'mixed-nullish', 23],
  ['$values.a ?? $values.b && 1', 'mixed-nullish', 23],
  ['('.repeat(maxExpressionDepth + 1) + '1' + ')'.repeat(maxExpressionDepth + 1), 'too-deep', maxExpressionDepth],
  ['!'.repeat(maxExpressionDepth + 1) + 'true', 'too-deep', maxExpressionDepth],
  ['len('.repeat(maxExpressionDepth + 1) + "''" + ')'.repeat(maxExpressionDepth + 1), 'too-deep', 4 * maxExpressionDepth + 3],
  ['1'.repeat(maxExpressionLength + 1), 'too-long', maxExpressionLength],
];

describe('form expressions: evaluation', () => {
  for (const [source, expected, s] of evaluated) {
    it(`${JSON.stringify(source)} is ${JSON.stringify(expected) ?? 'undefined'}`, () => {
      assert.deepEqual(run(source, s), expected);
    });
  }

  it('does not evaluate the side a short-circuit skips', () => {
    const reads: string[] = [];
    const spied = new Proxy({ a: 1, b: 0, c: 2 } as Record<string, unknown>, {
      get: (target, key: string) => {
        reads.push(key);
        return target[key];
      },
    });
    const s: ExpressionScope = { $values: spied };
    const cases: [string, string[]][] = [
      ['$values.b && $values.c', ['b']], ['$values.a || $values.c', ['a']], ['$values.a ?? $values.c', ['a']],
      ['$values.b ? $values.c : $values.a', ['b', 'a']], ['$values.b || $values.a', ['b', 'a']], ['false && len($values.c)', []],
    ];
    for (const [source, expected] of cases) {
      reads.length = 0;
      run(source, s);
      assert.deepEqual(reads, expected, source);
    }
  });

  it('reads only own data properties, never prototypes or host objects', () => {
    const withOwnProto = JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}') as Record<string, unknown>;
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { a: 'x' });
    class Custom { a = 1; }
    const s: ExpressionScope = { $values: { withOwnProto, nullProto, date: new Date(0), custom: new Custom(), fn: Object.assign(() => 1, { a: 1 }), map: new Map([['a', 1]]) } };
    assert.equal(run('$values.withOwnProto.a', s), 1);
    assert.equal(run('$values.nullProto.a', s), 'x');
    for (const source of ['$values.date.getTime', '$values.custom.a', '$values.fn.a', '$values.map.size', '$values.nullProto.toString']) assert.equal(run(source, s), undefined, source);
    // Hand-built trees get the same treatment as parsed ones.
    const forged = (path: string[]): Expression => ({ kind: 'name', root: '$values', path, start: 0, end: 0 });
    assert.equal(evaluate(forged(['withOwnProto', '__proto__']), s), undefined);
    assert.equal(evaluate(forged(['constructor']), s), undefined);
    assert.equal(evaluate({ kind: 'call', name: 'eval' as 'len', args: [], start: 0, end: 0 }, s), undefined);
  });

  it('accepts the limits themselves', () => {
    const deep = '('.repeat(maxExpressionDepth) + '1' + ')'.repeat(maxExpressionDepth);
    assert.equal(run(deep), 1);
    const long = ('1 + ' + ' '.repeat(maxExpressionLength)).slice(0, maxExpressionLength - 1) + '1';
    assert.equal(long.length, maxExpressionLength);
    assert.equal(run(long), 2);
    const chain = Array.from({ length: 400 }, () => '1').join('+');
    assert.equal(run(chain), 400);
  });

  it('parses a tree with source positions', () => {
    assert.deepEqual(parseExpression("{{ $values['a-b'] + 1 }}"), {
      kind: 'binary', operator: '+', start: 3, end: 21,
      left: { kind: 'name', root: '$values', path: ['a-b'], start: 3, end: 17 },
      right: { kind: 'literal', value: 1, start: 20, end: 21 },
    });
  });
});

describe('form expressions: refusals', () => {
  for (const [source, code, position] of refused) {
    it(`refuses ${JSON.stringify(source.length > 40 ? `${source.slice(0, 37)}...` : source)}: ${code} at ${position}`, () => {
      assert.throws(() => parseExpression(source), (e: unknown) => {
        assert.ok(e instanceof ExpressionError, String(e));
        assert.deepEqual({ code: e.code, position: e.position }, { code, position }, e.message);
        return true;
      });
    });
  }

  it('explains a refusal in both languages, counting characters from 1', () => {
    const error = catchError('{{ (a) => 1 }}');
    assert.ok(error instanceof UserError && error instanceof Error);
    assert.equal(error.name, 'ExpressionError');
    assert.equal(error.position, 7);
    assert.equal(error.token, '=>');
    assert.deepEqual(error.localized, { 'zh-CN': '表达式第 8 个字符处：不支持的语法“=>”', en: 'At character 8: unsupported syntax "=>"' });
    assert.equal(error.message, error.localized.en);
  });

  it('suggests the function form of a whitelisted method', () => {
    assert.match(catchError("$values.a.b.includes('x')").localized.en, /write includes\(\$values\.a\.b, …\) instead/);
    assert.match(catchError('$values.a.len()').localized['zh-CN'], /请改写为 len\(\$values\.a\)/);
    assert.match(catchError('now()').localized.en, /cannot read the clock/);
  });
});

describe('form expressions: referenced fields', () => {
  const cases: [string, string[]][] = [
    ['$values.a + $values.b', ['a', 'b']],
    ["$values.address.city === 'x' && empty($values['a-b'])", ['address.city', 'a-b']],
    ['$values.b ? $values.a : $values.b', ['b', 'a']],
    ['includes([$values.x, $values.y], -$values.z)', ['x', 'y', 'z']],
    ['$values.list[0].name ?? !$values.事件类型', ['list.0.name', '事件类型']],
    ["$self.value + $deps[0] + len($role) + $task + 'x'", []],
  ];
  for (const [source, expected] of cases) {
    it(`${source} reads ${expected.join(', ') || 'no field'}`, () => {
      assert.deepEqual(referencedFields(parseExpression(source)), expected);
    });
  }
});

describe('form expressions: evaluation never throws on data', () => {
  const expressions = [
    '$values.a + $values.b', '$values.a - $values.b * $values.c / $values.a % $values.b', '-$values.a', '!$values.a',
    '$values.a < $values.b', '$values.a >= $values.b', '$values.a == $values.b', '$values.a === $values.b', '$values.a != null',
    '$values.a && $values.b || $values.c', '$values.a ?? $values.b', '$values.a ? $values.b : $values.c',
    '$values.a.b.c', "$values['a-b'][0]", '$values.list[1].a', '$self.value.a', '$deps[0] + $deps[1]', '$role[0]', '$task + 1',
    'len($values.a)', 'empty($values.b)', 'includes($values.a, $values.b)', 'includes($role, $task)', 'includes([$values.a, 1], $values.b)',
    'number($values.a) + number($values.b)', "string($values.a) + ':' + string($deps)", "'x' + $values.a + $self.value",
  ];
  const arithmetic = new Set(['$values.a + $values.b', '$values.a - $values.b * $values.c / $values.a % $values.b', '-$values.a']);
  const random = mulberry32(20240611);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const keys = ['a', 'b', 'c', 'a-b', 'list', '0', '1', 'value', 'constructor', 'length'];
  const leaf = (): unknown => pick<() => unknown>([
    () => undefined, () => null, () => true, () => false, () => 0, () => -0, () => NaN, () => Infinity, () => -Infinity,
    () => Math.floor(random() * 200) - 100, () => random() * 1e6, () => Number.MAX_VALUE, () => '', () => ' 12.5 ', () => 'abc',
    () => '😀事件', () => '__proto__', () => 10n, () => Symbol('s'), () => () => 1, () => new Date(0), () => new Map(),
    () => Object.create(null), () => JSON.parse('{"__proto__": {"x": 1}}'),
  ])();
  const data = (depth: number): unknown => {
    if (depth <= 0 || random() < 0.4) return leaf();
    if (random() < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => data(depth - 1));
    const out: Record<string, unknown> = random() < 0.2 ? Object.create(null) : {};
    for (let i = Math.floor(random() * 5); i > 0; i--) Object.defineProperty(out, pick(keys), { value: data(depth - 1), enumerable: true, configurable: true, writable: true });
    return out;
  };
  const scopeOf = (): ExpressionScope => ({
    $values: (random() < 0.9 ? data(3) : leaf()) as Record<string, unknown>,
    ...(random() < 0.8 ? { $self: { value: data(2) } } : {}),
    ...(random() < 0.8 ? { $deps: data(2) as unknown[] } : {}),
    ...(random() < 0.8 ? { $role: data(1) as string[] } : {}),
    ...(random() < 0.8 ? { $task: leaf() as string } : {}),
  });

  it(`evaluates ${expressions.length} expressions on 400 random scopes each, deterministically`, () => {
    const parsed = expressions.map((source) => [source, parseExpression(source)] as const);
    for (let round = 0; round < 400; round++) {
      const s = scopeOf();
      for (const [source, expr] of parsed) {
        const first = evaluate(expr, s);
        assert.deepEqual(evaluate(expr, s), first, source);
        if (arithmetic.has(source)) {
          const ok = first === undefined || (typeof first === 'number' ? Number.isFinite(first) : typeof first === 'string' && source.includes('+'));
          assert.ok(ok, `${source} gave ${String(first)}`);
        }
        if (source.startsWith('len(')) assert.ok(Number.isInteger(first), source);
      }
    }
  });
});

describe('form expressions: shared by browser and server', () => {
  it('imports nothing but the pure engine modules', () => {
    for (const file of ['expression.ts', 'expression-parser.ts']) {
      const text = readFileSync(new URL(`../../src/forms/${file}`, import.meta.url), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      assert.deepEqual(imports.filter((path) => !['./expression-parser.ts', '../errors.ts', '../i18n/localized-text.ts'].includes(path!)), [], file);
      assert.doesNotMatch(text, /\b(process|Buffer|require|globalThis|window|Function|eval)\b\s*[.(]/, file);
    }
  });
});

function catchError(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  throw new Error(`${source} was accepted`);
}

/** A small seeded generator, so a failure reproduces. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
