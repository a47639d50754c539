/**
 * Overlay resolution: a district package extends a base package and adds, overrides ($override)
 * or removes ($remove) entries of its keyed collections. The result keeps the provenance of every
 * value so later problems are reported in the file that caused them.
 */
import type { LocalizedText } from '../i18n/localized-text.ts';
import type { CollectionSpec, DataKind } from './file-kinds.ts';
import type { Problems } from './problems.ts';
import { childProv } from './provenance.ts';
import type { Origin, ProvNode } from './provenance.ts';

/** A value with its provenance. */
export interface Traced {
  value: unknown;
  prov: ProvNode;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const OVERRIDE = '$override';
const REMOVE = '$remove';

interface MergeContext {
  kind: DataKind;
  problems: Problems;
  /** key@version of the base, for messages. */
  base: string;
}

const at = (origin: Origin) => ({
  file: origin.file.label,
  pointer: origin.pointer,
  position: origin.file.locate(origin.pointer),
});

/** Merges an overlay document over a base document of the same kind. */
export function mergeDocument(base: Traced | undefined, overlay: Traced, kind: DataKind, problems: Problems, baseRef: string): Traced {
  const ctx: MergeContext = { kind, problems, base: baseRef };
  const baseDoc: Traced = base ?? { value: {}, prov: overlay.prov };
  return mergeObject(baseDoc, overlay, '', ctx);
}

function mergeObject(base: Traced, overlay: Traced, shape: string, ctx: MergeContext): Traced {
  if (!isObj(base.value) || !isObj(overlay.value)) return overlay;
  const result: Obj = {};
  const children = new Map<string, ProvNode>();
  const keys = [...new Set([...Object.keys(base.value), ...Object.keys(overlay.value)])];
  for (const key of keys) {
    if (key === OVERRIDE || key === REMOVE) continue;
    const childShape = shape ? `${shape}.${key}` : key;
    const inOverlay = key in overlay.value;
    const baseChild: Traced | undefined = key in base.value ? { value: base.value[key], prov: childProv(base.prov, key) } : undefined;
    const overlayChild: Traced | undefined = inOverlay ? { value: overlay.value[key], prov: childProv(overlay.prov, key) } : undefined;
    const spec = ctx.kind.collections[childShape];
    let merged: Traced;
    if (spec && overlayChild && Array.isArray(overlayChild.value)) {
      merged = mergeCollection(baseChild, overlayChild, childShape, spec, ctx);
    } else {
      merged = (overlayChild ?? baseChild) as Traced;
    }
    result[key] = merged.value;
    children.set(key, merged.prov);
  }
  return { value: result, prov: { origin: overlay.prov.origin, children } };
}

function mergeCollection(base: Traced | undefined, overlay: Traced, shape: string, spec: CollectionSpec, ctx: MergeContext): Traced {
  const entries: (Traced | undefined)[] = [];
  const index = new Map<string, number>();
  if (base && Array.isArray(base.value)) {
    base.value.forEach((value, i) => {
      entries.push({ value, prov: childProv(base.prov, i) });
      if (isObj(value)) index.set(spec.key(value), i);
    });
  }
  (overlay.value as unknown[]).forEach((value, i) => {
    const prov = childProv(overlay.prov, i);
    if (!isObj(value)) {
      entries.push({ value, prov });
      return;
    }
    const key = spec.key(value);
    const position = index.get(key);
    const params = { kind: spec.label as LocalizedText, key, base: ctx.base };
    if (value[REMOVE] === true) {
      if (position === undefined) ctx.problems.error('overlay.removeMissing', at(prov.origin), params);
      else entries[position] = undefined;
    } else if (value[OVERRIDE] === true) {
      const existing = position === undefined ? undefined : entries[position];
      if (existing === undefined || position === undefined) ctx.problems.error('overlay.overrideMissing', at(prov.origin), params);
      else entries[position] = mergeObject(existing, { value, prov }, shape, ctx);
    } else if (position !== undefined) {
      ctx.problems.error('overlay.duplicateOfBase', at(prov.origin), params);
    } else {
      entries.push({ value, prov });
    }
  });
  const kept = entries.filter((e): e is Traced => e !== undefined);
  return {
    value: kept.map((e) => e.value),
    prov: { origin: overlay.prov.origin, children: new Map(kept.map((e, i) => [String(i), e.prov])) },
  };
}

/** Reports (and drops, so they are reported once) $override / $remove markers in a package that has no base. */
export function reportMarkersWithoutBase(doc: Traced, kind: DataKind, problems: Problems): void {
  const visit = (value: unknown, prov: ProvNode, shape: string) => {
    if (!isObj(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const childShape = shape ? `${shape}.${key}` : key;
      if (!kind.collections[childShape] || !Array.isArray(child)) continue;
      child.forEach((entry, i) => {
        const entryProv = childProv(childProv(prov, key), i);
        if (isObj(entry)) {
          for (const marker of [OVERRIDE, REMOVE]) {
            if (!(marker in entry)) continue;
            problems.error('overlay.noBase', at(entryProv.origin), { marker });
            delete entry[marker];
          }
        }
        visit(entry, entryProv, childShape);
      });
    }
  };
  visit(doc.value, doc.prov, '');
}
