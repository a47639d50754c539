/** What cross-file checks share: the resolved data, provenance per file kind, and the problem list. */
import type { DataKindId } from './file-kinds.ts';
import type { PackageData, Manifest } from './model.ts';
import type { Location, Problems } from './problems.ts';
import type { ProvNode } from './provenance.ts';
import { locateResolved } from './provenance.ts';
import type { LocalizedText } from '../i18n/localized-text.ts';

/** Input of every cross-file check. */
export interface CheckContext {
  manifest: Manifest;
  data: PackageData;
  problems: Problems;
  /** Kinds that failed schema validation: references into them are not checked. */
  skip: ReadonlySet<DataKindId>;
  /** Location of a pointer inside the resolved document of a kind. */
  at(kind: DataKindId, pointer: string): Location;
}

/** Builds the `at` function from the provenance of each kind. */
export function locatorFrom(provs: Partial<Record<DataKindId, ProvNode>>, fallbackFile: string) {
  return (kind: DataKindId, pointer: string): Location => {
    const prov = provs[kind];
    return prov ? locateResolved(prov, pointer) : { file: fallbackFile, pointer };
  };
}

/** True when `code` exists in `index`, or when the kind it refers to is not being checked. */
export function known(ctx: CheckContext, kind: DataKindId, index: ReadonlyMap<string, unknown>, code: string): boolean {
  return ctx.skip.has(kind) || index.has(code);
}

/**
 * Reports entries whose key repeats, naming where the first one is.
 * Returns the entries by key (first occurrence wins).
 */
export function indexUnique<T>(
  ctx: CheckContext, kind: DataKindId, pointer: string, list: readonly T[] | undefined,
  key: (entry: T) => string, label: LocalizedText,
): Map<string, T> {
  const index = new Map<string, T>();
  const firstAt = new Map<string, number>();
  (list ?? []).forEach((entry, i) => {
    const k = key(entry);
    const first = firstAt.get(k);
    if (first !== undefined) {
      const firstLoc = ctx.at(kind, `${pointer}/${first}`);
      const where = firstLoc.position ? `${firstLoc.file}:${firstLoc.position.line}` : firstLoc.file;
      ctx.problems.error('duplicate', ctx.at(kind, `${pointer}/${i}`), { kind: label, key: k, first: where });
      return;
    }
    firstAt.set(k, i);
    index.set(k, entry);
  });
  return index;
}
