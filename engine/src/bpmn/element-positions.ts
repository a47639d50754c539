/**
 * Where each element of a BPMN file starts (bpmn-moddle keeps no positions): one streaming pass with
 * saxes maps element id → line and column of its `<`. Also finds the first XML syntax error.
 */
import { SaxesParser } from 'saxes';

/** Line and column, both 1-based (columns count UTF-16 units, as editors do). */
export interface XmlPosition {
  line: number;
  column: number;
}

/** Positions by element id, the root element's position, or the syntax error that stopped the pass. */
export interface ElementPositions {
  byId: ReadonlyMap<string, XmlPosition>;
  root?: XmlPosition;
  syntaxError?: XmlPosition & { detail: string };
}

/** Scans the XML once; ids seen twice keep their first position. */
export function scanElementPositions(xml: string, fileName?: string): ElementPositions {
  const lines = xml.split(/\r\n|\r|\n/);
  const byId = new Map<string, XmlPosition>();
  const result: ElementPositions = { byId };
  const parser = new SaxesParser({ position: true, ...(fileName ? { fileName } : {}) });
  let start: XmlPosition = { line: 1, column: 1 };
  parser.on('opentagstart', (tag) => {
    start = tagStart(lines, tag.name, parser.line, parser.column);
    result.root ??= start;
  });
  parser.on('opentag', (tag) => {
    const id = tag.attributes.id;
    if (typeof id === 'string' && !byId.has(id)) byId.set(id, start);
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    const detail = (e as Error).message.replace(/^(?:.*?:)?\d+:\d+: /, '');
    result.syntaxError = { line: parser.line, column: Math.max(parser.column, 1), detail };
  }
  return result;
}

/**
 * The position of `<name`, given where saxes was when it finished reading the name: on that line at
 * or before the column, or at the end of the line before when a line break ended the name.
 */
function tagStart(lines: readonly string[], name: string, line: number, column: number): XmlPosition {
  const needle = `<${name}`;
  const current = lines[line - 1] ?? '';
  let index = current.lastIndexOf(needle, column);
  if (index < 0) index = current.lastIndexOf(needle);
  if (index >= 0) return { line, column: index + 1 };
  const previous = lines[line - 2] ?? '';
  const before = previous.lastIndexOf(needle);
  return before >= 0 ? { line: line - 1, column: before + 1 } : { line, column: 1 };
}
