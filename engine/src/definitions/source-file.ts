/** Parsing of definitions data files (YAML or JSON) keeping source positions for error reports. */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';

/** A file of a definitions package as read from a folder or a zip. */
export interface SourceFile {
  /** Path inside the package, with forward slashes (e.g. `org/units.yaml`). */
  path: string;
  text: string;
}

/** Line and column, both 1-based. */
export interface Position {
  line: number;
  column: number;
}

/** A parsed data file: its value and a way back from a JSON pointer to a source position. */
export interface ParsedFile {
  path: string;
  data: unknown;
  locate(pointer: string): Position | undefined;
}

/** A syntax error found while parsing. */
export interface SyntaxProblem {
  message: string;
  position: Position;
}

/** Splits a JSON pointer into unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a JSON pointer from segments. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * Parses YAML or JSON text (JSON is parsed by the YAML 1.2 parser, which keeps positions).
 * Duplicate keys are syntax errors. Returns every syntax error found.
 */
export function parseDataFile(file: SourceFile): { parsed?: ParsedFile; errors: SyntaxProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, uniqueKeys: true, prettyErrors: false, version: '1.2' });
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const errors = doc.errors.map((e) => ({ message: e.message.split('\n')[0] ?? e.message, position: pos(e.pos[0]) }));
  if (errors.length > 0) return { errors };
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const locate = (pointer: string): Position | undefined => {
    let node: unknown = doc.contents;
    let found: Node | undefined = doc.contents ?? undefined;
    for (const segment of pointerSegments(pointer)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
        if (!pair) break;
        node = pair.value;
        // Point at the key when the value has no range of its own (e.g. null values).
        found = (pair.value as Node | null)?.range ? (pair.value as Node) : (pair.key as Node);
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (item === undefined) break;
        node = item;
        found = item as Node;
      } else break;
    }
    return found?.range ? pos(found.range[0]) : undefined;
  };
  return { parsed: { path: file.path, data, locate }, errors: [] };
}
