/** Differences between two resolved packages, entry by entry (by code), field by field. */
import { canonicalJson } from './canonical.ts';
import { dataKinds } from './file-kinds.ts';
import type { DataKind, DataKindId } from './file-kinds.ts';
import type { PackageData, ResolvedPackage } from './model.ts';

/** Differences in one collection (or one file's settings, key `*`). */
export interface CollectionDiff {
  kind: DataKindId | 'processes' | 'forms';
  collection: string;
  added: string[];
  removed: string[];
  changed: { key: string; fields: string[] }[];
}

/** All differences from `from` to `to`. */
export interface PackageDiff {
  from: string;
  to: string;
  collections: CollectionDiff[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Flattens a document into entries per collection shape; a nested collection is taken out of its parent. */
function entriesOf(kind: DataKind, doc: unknown): Map<string, Map<string, Obj>> {
  const out = new Map<string, Map<string, Obj>>();
  const settings: Obj = {};
  const walk = (value: Obj, shape: string, into: Obj) => {
    for (const [field, child] of Object.entries(value)) {
      const childShape = shape ? `${shape}.${field}` : field;
      const spec = kind.collections[childShape];
      if (!spec || !Array.isArray(child)) {
        into[field] = child;
        continue;
      }
      const bucket = out.get(childShape) ?? new Map<string, Obj>();
      out.set(childShape, bucket);
      for (const entry of child) {
        if (!isObj(entry)) continue;
        const own: Obj = {};
        walk(entry, childShape, own);
        bucket.set(spec.key(entry), own);
      }
    }
  };
  if (isObj(doc)) walk(doc, '', settings);
  if (Object.keys(settings).length > 0) out.set('*', new Map([['*', settings]]));
  return out;
}

function compare(kind: CollectionDiff['kind'], collection: string, a: Map<string, Obj>, b: Map<string, Obj>): CollectionDiff {
  const diff: CollectionDiff = { kind, collection, added: [], removed: [], changed: [] };
  for (const key of a.keys()) if (!b.has(key)) diff.removed.push(key);
  for (const [key, next] of b) {
    const prev = a.get(key);
    if (!prev) {
      diff.added.push(key);
      continue;
    }
    const fields = [...new Set([...Object.keys(prev), ...Object.keys(next)])]
      .filter((f) => canonicalJson(prev[f]) !== canonicalJson(next[f]));
    if (fields.length > 0) diff.changed.push({ key, fields });
  }
  return diff;
}

const asEntries = (record: Record<string, unknown>) => new Map(Object.entries(record).map(([k, v]) => [k, { content: v } as Obj]));

/** Compares two packages; only collections with a difference are listed. */
export function diffPackages(from: ResolvedPackage, to: ResolvedPackage): PackageDiff {
  const collections: CollectionDiff[] = [];
  for (const kind of dataKinds) {
    const pick = (p: ResolvedPackage) => (kind.id === 'manifest'
      ? (({ extends: _e, resolvedFrom: _r, version: _v, ...m }) => m)(p.manifest)
      : p.data[kind.id as keyof PackageData]);
    const a = entriesOf(kind, pick(from));
    const b = entriesOf(kind, pick(to));
    for (const shape of new Set([...a.keys(), ...b.keys()])) {
      collections.push(compare(kind.id, shape, a.get(shape) ?? new Map(), b.get(shape) ?? new Map()));
    }
  }
  collections.push(compare('processes', 'processes', asEntries(from.processes), asEntries(to.processes)));
  collections.push(compare('forms', 'forms', asEntries(from.forms), asEntries(to.forms)));
  return {
    from: `${from.manifest.key}@${from.manifest.version}`,
    to: `${to.manifest.key}@${to.manifest.version}`,
    collections: collections.filter((c) => c.added.length + c.removed.length + c.changed.length > 0),
  };
}
