/** Test support: reads fixture packages into memory and applies the edits of an invalid-package fixture. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { SourcePackage, LoadOptions } from '../../src/index.ts';

/** Folder of the fixtures. */
export const fixturesDir = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures');

/** Reads a fixture folder as a package labelled with its folder name. */
export function readFixture(name: string): SourcePackage {
  const root = join(fixturesDir, name);
  const files: SourcePackage['files'] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  return { label: name, files };
}

/** One edit of a fixture: replace text, set a whole file, or delete it. */
export interface FixtureEdit {
  file: string;
  replace?: string;
  with?: string;
  set?: string;
  delete?: boolean;
}

/** An invalid-package fixture: edits of the mini packages and the problems they must cause. */
export interface InvalidFixture {
  description: string;
  edits: FixtureEdit[];
  expect: { code: string; file: string; line?: number; severity?: 'error' | 'warning' }[];
}

/** Reads every invalid-package fixture. */
export function readInvalidFixtures(): { name: string; fixture: InvalidFixture }[] {
  const dir = join(fixturesDir, 'invalid');
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => ({ name: f.replace(/\.yaml$/, ''), fixture: parse(readFileSync(join(dir, f), 'utf8')) as InvalidFixture }));
}

/** Applies edits to packages (keyed by label); throws when an edit does not apply, so fixtures stay honest. */
export function applyEdits(packages: Record<string, SourcePackage>, edits: FixtureEdit[]): void {
  for (const edit of edits) {
    const [label = '', ...rest] = edit.file.split('/');
    const path = rest.join('/');
    const pkg = packages[label];
    if (!pkg) throw new Error(`fixture edit names unknown package ${label}`);
    const index = pkg.files.findIndex((f) => f.path === path);
    if (edit.delete) {
      if (index < 0) throw new Error(`cannot delete missing ${edit.file}`);
      pkg.files.splice(index, 1);
    } else if (edit.set !== undefined) {
      if (index >= 0) pkg.files.splice(index, 1);
      pkg.files.push({ path, text: edit.set });
    } else {
      const file = pkg.files[index];
      if (!file || edit.replace === undefined || !file.text.includes(edit.replace)) throw new Error(`edit does not apply: ${edit.file}: ${edit.replace}`);
      file.text = file.text.replace(edit.replace, edit.with ?? '');
    }
  }
}

/** Mini district and its base, with a findBase that serves the (possibly edited) base. */
export function miniPackages(): { packages: Record<string, SourcePackage>; options: LoadOptions } {
  const packages = { 'mini-standard': readFixture('mini-standard'), 'mini-district': readFixture('mini-district') };
  const options: LoadOptions = {
    findBase: async (key, version) => (key === 'mini-standard' && version === '1.0.0' ? { kind: 'source', source: packages['mini-standard'] } : undefined),
    searchedFor: 'fixtures',
    boundTopics: new Set(['gridflow.notify.webhook']),
  };
  return { packages, options };
}
