/** Canonical forms of a resolved package: its content hash and its exported files. */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { dataKinds } from './file-kinds.ts';
import type { Manifest, PackageData, ResolvedPackage } from './model.ts';
import type { SourceFile } from './source-file.ts';

/** JSON with object keys sorted at every level: equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v);
}

/** The manifest fields that are content (where the package was resolved from is not). */
function contentManifest(manifest: Manifest): Manifest {
  const { extends: _extends, resolvedFrom: _resolvedFrom, ...rest } = manifest;
  return rest;
}

/** SHA-256 of the resolved content: equal for a package and its exported, re-imported copy. */
export function contentHash(pkg: ResolvedPackage): string {
  const content = { manifest: contentManifest(pkg.manifest), data: pkg.data, processes: pkg.processes, forms: pkg.forms };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** Splits `key@version`; undefined parts when malformed. */
export function parseRef(ref: string): { key: string; version?: string } {
  const at = ref.lastIndexOf('@');
  return at > 0 ? { key: ref.slice(0, at), version: ref.slice(at + 1) } : { key: ref };
}

const yamlText = (header: string, value: unknown) =>
  `# ${header}\n${stringify(value, { lineWidth: 0, indent: 2, aliasDuplicateObjects: false })}`;

/**
 * The files of a resolved package, flattened (no `extends`: the base is recorded as `resolvedFrom`).
 * Deterministic: the same package always gives the same bytes.
 */
export function packageToFiles(pkg: ResolvedPackage): SourceFile[] {
  const { extends: base, ...manifest } = pkg.manifest;
  const exported: Manifest = base ? { ...manifest, resolvedFrom: base } : manifest;
  const header = `${pkg.manifest.key}@${pkg.manifest.version}, exported by GridFlow`;
  const files: SourceFile[] = [{ path: 'manifest.yaml', text: yamlText(header, exported) }];
  for (const kind of dataKinds) {
    const value = pkg.data[kind.id as keyof PackageData];
    if (kind.id === 'manifest' || value === undefined) continue;
    files.push(kind.id === 'boundaries'
      ? { path: `${kind.basename}.geojson`, text: `${JSON.stringify(value)}\n` }
      : { path: `${kind.basename}.yaml`, text: yamlText(header, value) });
  }
  for (const [path, xml] of Object.entries(pkg.processes)) files.push({ path, text: xml });
  for (const [path, form] of Object.entries(pkg.forms)) files.push({ path, text: `${JSON.stringify(form, null, 2)}\n` });
  return files;
}
