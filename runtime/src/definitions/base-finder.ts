/** Finds the base package an overlay extends: published in the database, else a folder nearby. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { BaseLookup } from '@gridflow/engine';
import { definitionsRoot } from '@gridflow/definitions';
import type { DefinitionsStore } from './definitions.store.ts';
import { readPackageSource } from './package-source.ts';

/** Folders searched for base packages of the package at `packagePath`. */
export function baseSearchDirs(packagePath: string): string[] {
  return [...new Set([dirname(resolve(packagePath)), definitionsRoot])];
}

function manifestOf(folder: string): { key?: string; version?: string } | undefined {
  for (const name of ['manifest.yaml', 'manifest.yml', 'manifest.json']) {
    const file = join(folder, name);
    if (!existsSync(file)) continue;
    try {
      return parse(readFileSync(file, 'utf8')) as { key?: string; version?: string };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A findBase function for loadPackage: the store first (if any), then the given folders. */
export function baseFinder(store: DefinitionsStore | undefined, dirs: string[]) {
  return async (key: string, version: string): Promise<BaseLookup | undefined> => {
    const published = store ? await store.find(key, version) : undefined;
    if (published) return { kind: 'published', pkg: published };
    for (const dir of dirs) {
      if (!existsSync(dir)) continue;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const m = manifestOf(join(dir, entry.name));
        if (m?.key === key && String(m.version) === version) return { kind: 'source', source: readPackageSource(join(dir, entry.name)) };
      }
    }
    return undefined;
  };
}
