import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanElementPositions } from '../../src/bpmn/element-positions.ts';

describe('element positions', () => {
  it('maps each id to the line and column of its start tag', () => {
    const xml = [
      '<?xml version="1.0"?>',
      '<root id="r">',
      '  <a id="one"/><a id="two"/>',
      '  <b',
      '     id="three"',
      '     name="多行"/>',
      '  <c',
      '>',
      '    <d id="inner"/>',
      '  </c>',
      '</root>',
    ].join('\n');
    const positions = scanElementPositions(xml);
    assert.deepEqual(Object.fromEntries(positions.byId), {
      r: { line: 2, column: 1 },
      one: { line: 3, column: 3 },
      two: { line: 3, column: 16 },
      three: { line: 4, column: 3 },
      inner: { line: 9, column: 5 },
    });
    assert.deepEqual(positions.root, { line: 2, column: 1 });
    assert.equal(positions.syntaxError, undefined);
  });

  it('counts CRLF line ends once and keeps the first position of a repeated id', () => {
    const positions = scanElementPositions('<root>\r\n  <a id="x"/>\r\n  <a id="x"/>\r\n</root>');
    assert.deepEqual(positions.byId.get('x'), { line: 2, column: 3 });
  });

  it('counts columns after Chinese text in UTF-16 units, as editors do', () => {
    const positions = scanElementPositions('<root><a name="立案处置" id="x"/><b id="y"/></root>');
    assert.deepEqual(positions.byId.get('y'), { line: 1, column: 30 });
    const emoji = scanElementPositions('<root><a name="😀😀😀" id="x"/><a id="y"/></root>');
    assert.deepEqual(emoji.byId.get('y'), { line: 1, column: 32 });
  });

  it('reports the first syntax error with its position, without the position prefix', () => {
    const positions = scanElementPositions('<root>\n  <a id="x">\n</root>', 'p.bpmn');
    assert.equal(positions.syntaxError?.line, 3);
    assert.equal(positions.syntaxError?.detail, 'unexpected close tag.');
  });
});
