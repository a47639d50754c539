/**
 * Provenance of resolved values: for a node of a resolved (merged) document, the file and JSON
 * pointer it came from. A node without children of its own is a verbatim copy of its origin, so
 * a deeper pointer is found by appending the remaining segments to the origin's pointer.
 */
import type { Position } from './source-file.ts';
import { pointerSegments } from './source-file.ts';

/** A file that values can come from, with a label for reports and a position lookup. */
export interface OriginFile {
  label: string;
  locate(pointer: string): Position | undefined;
}

/** Where a node of a resolved document came from. */
export interface Origin {
  file: OriginFile;
  pointer: string;
}

/** Provenance tree parallel to a resolved value. */
export interface ProvNode {
  origin: Origin;
  children?: Map<string, ProvNode>;
}

/** Provenance of a document taken whole from one file. */
export function wholeFile(file: OriginFile): ProvNode {
  return { origin: { file, pointer: '' } };
}

/** Provenance of the child `segment` of `node` (its own node, or derived from the origin). */
export function childProv(node: ProvNode, segment: string | number): ProvNode {
  const key = String(segment);
  const own = node.children?.get(key);
  if (own) return own;
  return { origin: { file: node.origin.file, pointer: `${node.origin.pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` } };
}

/** Resolves a pointer of the resolved document to its source file, pointer and position. */
export function locateResolved(root: ProvNode, pointer: string): { file: string; pointer: string; position?: Position } {
  let node = root;
  const segments = pointerSegments(pointer);
  let i = 0;
  for (; i < segments.length; i++) {
    const next = node.children?.get(segments[i] as string);
    if (!next) break;
    node = next;
  }
  const rest = segments.slice(i).map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
  const sourcePointer = node.origin.pointer + rest;
  const position = node.origin.file.locate(sourcePointer);
  return position
    ? { file: node.origin.file.label, pointer: sourcePointer, position }
    : { file: node.origin.file.label, pointer: sourcePointer };
}
