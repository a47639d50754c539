/** Published definitions versions in the database: immutable, content-addressed, transactional. */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { compareVersions, contentHash, dataKinds, parseRef, UserError } from '@gridflow/engine';
import type { PackageData, ResolvedPackage } from '@gridflow/engine';
import type { DefinitionVersionSummary } from '../contracts/index.ts';

/** A published version as listed (the API contract's shape). */
export type VersionSummary = DefinitionVersionSummary;

/** What publishing one package did. */
export interface PublishOutcome {
  key: string;
  version: string;
  status: 'published' | 'unchanged';
  versionId: number;
  hash: string;
}

interface VersionRow {
  id: number;
  package_key: string;
  version: string;
  name: string;
  content_hash: string;
  base_ref: string | null;
  manifest_json: string;
  published_at: Date | string | number;
  published_by: string | null;
  activated_at: Date | string | number | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const toIso = (v: Date | string | number) => new Date(v).toISOString();

/** The rows of definition_files for a package. */
function filesOf(pkg: ResolvedPackage): { path: string; kind: string; content: string }[] {
  const rows: { path: string; kind: string; content: string }[] = [];
  for (const kind of dataKinds) {
    const value = pkg.data[kind.id as keyof PackageData];
    if (kind.id !== 'manifest' && value !== undefined) rows.push({ path: `${kind.basename}.json`, kind: kind.id, content: JSON.stringify(value) });
  }
  for (const [path, xml] of Object.entries(pkg.processes)) rows.push({ path, kind: 'process', content: xml });
  for (const [path, form] of Object.entries(pkg.forms)) rows.push({ path, kind: 'form', content: JSON.stringify(form) });
  return rows;
}

/** Reads and writes published definitions. */
export class DefinitionsStore {
  constructor(private readonly db: Knex) {}

  /** A published version, or undefined. */
  async find(key: string, version: string, trx: Knex = this.db): Promise<ResolvedPackage | undefined> {
    const row = await trx<VersionRow>('definition_versions').where({ package_key: key, version }).first();
    return row ? this.load(row, trx) : undefined;
  }

  /** Every published version, newest first per package. */
  async list(): Promise<VersionSummary[]> {
    const rows = await this.db<VersionRow>('definition_versions').select();
    return rows
      .sort((a, b) => a.package_key.localeCompare(b.package_key) || compareVersions(b.version, a.version))
      .map((r) => {
        const s: VersionSummary = {
          key: r.package_key, version: r.version, name: r.name, hash: r.content_hash,
          publishedAt: toIso(r.published_at), active: r.activated_at !== null,
        };
        if (r.base_ref) s.base = r.base_ref;
        if (r.published_by) s.publishedBy = r.published_by;
        return s;
      });
  }

  /**
   * The active versions in use: those no other active package extends. A district package is
   * resolved with its base, so the base's processes and forms are in it (possibly overlaid) and the
   * base itself must not be deployed or read beside it.
   */
  async activeLeaves(): Promise<VersionSummary[]> {
    const active = (await this.list()).filter((v) => v.active);
    const bases = new Set(active.flatMap((v) => (v.base ? [parseRef(v.base).key] : [])));
    return active.filter((v) => !bases.has(v.key));
  }

  /** The newest published version of a package. */
  async latestVersion(key: string, trx: Knex = this.db): Promise<string | undefined> {
    const versions = await trx('definition_versions').where({ package_key: key }).pluck('version') as string[];
    return versions.sort(compareVersions).at(-1);
  }

  /**
   * Publishes a package inside the caller's transaction. The same content under the same
   * key@version is a no-op; different content under a published key@version is refused.
   */
  async publish(trx: Knex.Transaction, pkg: ResolvedPackage, by: string | undefined, now: Date): Promise<PublishOutcome> {
    const { key, version } = pkg.manifest;
    const hash = contentHash(pkg);
    const existing = await trx<VersionRow>('definition_versions').where({ package_key: key, version }).first();
    if (existing) {
      if (existing.content_hash === hash) return { key, version, status: 'unchanged', versionId: existing.id, hash };
      throw new UserError('definitions.versionConflict', {
        'zh-CN': `${key}@${version} 已发布且内容不同；已发布的版本不可修改，请在 manifest 中提高 version 后再导入`,
        en: `${key}@${version} is already published with different content; published versions are immutable: raise the version in the manifest and import again`,
      }, { status: 409 });
    }
    const [inserted] = await trx('definition_versions').insert({
      package_key: key, version, name: pkg.manifest.name, content_hash: hash,
      base_ref: pkg.manifest.extends ?? pkg.manifest.resolvedFrom ?? null,
      manifest_json: JSON.stringify(pkg.manifest), published_by: by ?? null, published_at: now,
    }, ['id']);
    const versionId = typeof inserted === 'object' ? (inserted as { id: number }).id : (inserted as number);
    const files = filesOf(pkg).map((f) => ({ version_id: versionId, ...f, sha256: sha256(f.content) }));
    for (let i = 0; i < files.length; i += 50) await trx('definition_files').insert(files.slice(i, i + 50));
    return { key, version, status: 'published', versionId, hash };
  }

  /** Marks a version as the active one of its package. */
  async activate(trx: Knex.Transaction, versionId: number, key: string, now: Date): Promise<void> {
    await trx('definition_versions').where({ package_key: key }).whereNot({ id: versionId }).update({ activated_at: null });
    await trx('definition_versions').where({ id: versionId }).update({ activated_at: now });
  }

  private async load(row: VersionRow, trx: Knex): Promise<ResolvedPackage> {
    const files = await trx('definition_files').where({ version_id: row.id }).orderBy('path') as { path: string; kind: string; content: string }[];
    const pkg: ResolvedPackage = { manifest: JSON.parse(row.manifest_json), data: {}, processes: {}, forms: {} };
    const data = pkg.data as Record<string, unknown>;
    for (const f of files) {
      if (f.kind === 'process') pkg.processes[f.path] = f.content;
      else if (f.kind === 'form') pkg.forms[f.path] = JSON.parse(f.content);
      else data[f.kind] = JSON.parse(f.content);
    }
    // Data kinds are stored in file order by path; restore the canonical kind order.
    pkg.data = Object.fromEntries(dataKinds.filter((k) => k.id in data).map((k) => [k.id, data[k.id]])) as PackageData;
    return pkg;
  }
}

/** A cheap fingerprint of the definitions state (versions published and activated): caches of what the definitions say are keyed by it. */
export async function definitionsFingerprint(db: Knex): Promise<string> {
  const row = await db('definition_versions').max({ id: 'id' }).max({ at: 'activated_at' }).count({ n: '*' }).first() as { id: number | null; at: unknown; n: number } | undefined;
  return `${row?.id ?? 0}:${row?.n ?? 0}:${String(row?.at ?? '')}`;
}
