import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkJuelSubset } from '../../src/bpmn/juel-subset.ts';
import type { JuelErrorCode } from '../../src/bpmn/juel-subset.ts';

// Texts in the subset, with how many expressions they hold and the variables they read.
const accepted: readonly (readonly [text: string, expressions: number, variables: readonly string[]])[] = [
  ['', 0, []],
  ['plain text, no expression', 0, []],
  ['price: $5, issue #3, a$b', 0, []],
  ['${handleDueAt}', 1, ['handleDueAt']],
  ['${case.subclass.code}', 1, ['case']],
  ["${decision['accepted']}", 1, ['decision']],
  ['${decision["accepted"].reason}', 1, ['decision']],
  ['${departments[0]}', 1, ['departments']],
  ['${a == b}', 1, ['a', 'b']],
  ['${a != 1 && a < 2 || a > 3 && a <= 4 || a >= 5}', 1, ['a']],
  ['${a eq b and c ne d or e lt f and g gt h or i le j and k ge l}', 1, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']],
  ['${!a && not b}', 1, ['a', 'b']],
  ['${empty attachments}', 1, ['attachments']],
  ['${not empty case.photos}', 1, ['case']],
  ['${a + b - c * d / e % f}', 1, ['a', 'b', 'c', 'd', 'e', 'f']],
  ['${a div 2 mod 3}', 1, ['a']],
  ['${-a}', 1, ['a']],
  ['${- -1}', 1, []],
  ['${urgent ? 1 : 2}', 1, ['urgent']],
  ['${a ? b ? 1 : 2 : 3}', 1, ['a', 'b']],
  ['${a ? 1 : b ? 2 : c ? 3 : 4}', 1, ['a', 'b', 'c']],
  ['${(a ? b : c) ? (d ? e : f) : g}', 1, ['a', 'b', 'c', 'd', 'e', 'f', 'g']],
  ['${((a))}', 1, ['a']],
  ['${(a + b) * c}', 1, ['a', 'b', 'c']],
  ['${(case).code}', 1, ['case']],
  ['${true}${false}${null}', 3, []],
  ['${1 + 1.5 + .5 + 1e3 + 1.5E-2 + 2e+2}', 1, []],
  ["${'text'}", 1, []],
  ['${"text"}', 1, []],
  ["${reason == '(}'}", 1, ['reason']],
  ['${reason == "f(x) }"}', 1, ['reason']],
  ["${a == '}'} and ${b == '${c}'}", 2, ['a', 'b']],
  ["${a == 'it\\'s'}", 1, ['a']],
  ['${a == "say \\"hi\\""}', 1, ['a']],
  ["${a == 'back\\\\slash'}", 1, ['a']],
  ["${a == \"it's\"}", 1, ['a']],
  ['dept-${departmentCode}-${level}', 2, ['departmentCode', 'level']],
  ['\\${a.b()} is literal text', 0, []],
  ['\\#{a} is literal text', 0, []],
  ['${\n  urgent &&\n  overdue\n}', 1, ['overdue', 'urgent']],
  ['${事件.编码 == "01"}', 1, ['事件']],
  ['${_private + $dollar}', 1, ['$dollar', '_private']],
];

// Texts outside the subset, with the reason and the token or name concerned.
const refused: readonly (readonly [text: string, code: JuelErrorCode, token?: string])[] = [
  ['${now()}', 'method-call', 'now'],
  ['${clock.now()}', 'method-call', 'now'],
  ['${clock.now ()}', 'method-call', 'now'],
  ['${a.b.c(1, 2)}', 'method-call', 'c'],
  ["${a['b']()}", 'method-call', '[b]'],
  ['${fn:upper(a)}', 'method-call', 'fn:upper'],
  ['${a ? b : c.d(e)}', 'method-call', 'd'],
  ['${a ? b.c() ? 1 : 2 : 3}', 'method-call', 'c'],
  ['ok ${a} then ${b.size()}', 'method-call', 'size'],
  ["${x == '(' && y.z()}", 'method-call', 'z'],
  ['${execution.getVariable("x")}', 'forbidden-identifier', 'execution'],
  ['${execution}', 'forbidden-identifier', 'execution'],
  ['${task.name}', 'forbidden-identifier', 'task'],
  ['${externalTask.id}', 'forbidden-identifier', 'externalTask'],
  ['${authenticatedUserId}', 'forbidden-identifier', 'authenticatedUserId'],
  ['${a && (b || execution.id)}', 'forbidden-identifier', 'execution'],
  ['#{a}', 'deferred', '#{'],
  ['${a} #{b}', 'deferred', '#{'],
  ['${a[b]}', 'dynamic-index', 'b'],
  ['${a[b.c]}', 'dynamic-index', 'b'],
  ['${a[(1)]}', 'dynamic-index', '('],
  ['${a[-1]}', 'dynamic-index', '-'],
  ['${a[true]}', 'dynamic-index', 'true'],
  ['${a instanceof b}', 'unsupported-operator', 'instanceof'],
  ['${a = 1}', 'unsupported-operator', '='],
  ['${a += 1}', 'unsupported-operator', '='],
  ['${a; b}', 'unsupported-operator', ';'],
  ['${a & b}', 'unsupported-operator', '&'],
  ['${a | b}', 'unsupported-operator', '|'],
  ['${{1, 2}}', 'unsupported-operator', '{'],
  ['${x -> x}', 'unexpected-token', '>'],
  ['${a ? b}', 'unexpected-token', '}'],
  ['${a +}', 'unexpected-token', '}'],
  ['${(a}', 'unexpected-token', '}'],
  ['${a)}', 'unexpected-token', ')'],
  ['${a b}', 'unexpected-token', 'b'],
  ['${(a)(b)}', 'unexpected-token', '('],
  ['${a.}', 'unexpected-token', '}'],
  ['${a.empty}', 'unexpected-token', 'empty'],
  ['${a[]}', 'unexpected-token', ']'],
  ["${'a'.length}", 'unexpected-token', '.'],
  ['${1.a}', 'unexpected-token', 'a'],
  ['${a, b}', 'unexpected-token', ','],
  ['${}', 'empty-expression'],
  ['${   }', 'empty-expression'],
  ['${a', 'unterminated-expression'],
  ["${a == 'b'", 'unterminated-expression'],
  ["${'abc}", 'unterminated-string'],
  ["${'abc\\'}", 'unterminated-string'],
  ["${'a\\nb'}", 'invalid-escape', '\\n'],
  ['${"it\\\'s"}', 'invalid-escape', "\\'"],
  ['${a ` b}', 'invalid-character', '`'],
];

describe('JUEL subset: accepted', () => {
  for (const [text, expressions, variables] of accepted) {
    it(`accepts ${JSON.stringify(text)}`, () => {
      assert.deepEqual(checkJuelSubset(text), { ok: true, expressions, variables });
    });
  }
});

describe('JUEL subset: refused', () => {
  for (const [text, code, token] of refused) {
    it(`refuses ${JSON.stringify(text)}: ${code}`, () => {
      const check = checkJuelSubset(text);
      assert.equal(check.ok, false, 'refused');
      if (check.ok) return;
      assert.equal(check.error.code, code);
      assert.equal(check.error.token, token);
    });
  }
});

describe('JUEL subset: positions', () => {
  it('points at the offending token, counting from the start of the text', () => {
    const text = 'due ${a.b} and ${c.d()}';
    const check = checkJuelSubset(text);
    assert.ok(!check.ok && text.slice(check.error.offset).startsWith('d()'));
  });

  it('points an unterminated expression at its ${', () => {
    const check = checkJuelSubset('text ${a.b');
    assert.ok(!check.ok && check.error.offset === 5);
  });

  it('points a deferred expression at its #{', () => {
    const check = checkJuelSubset('x #{a} y');
    assert.ok(!check.ok && check.error.offset === 2);
  });
});
