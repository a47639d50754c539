/** Definitions use cases: validate, import (publish), export, diff and list. */
import type { Knex } from 'knex';
import { compareVersions, diffPackages, loadPackage, packageToFiles, parseRef, UserError } from '@gridflow/engine';
import type { LoadOptions, LoadResult, PackageDiff, Problem, ResolvedPackage } from '@gridflow/engine';
import { baseFinder, baseSearchDirs } from './base-finder.ts';
import { DefinitionsStore } from './definitions.store.ts';
import type { PublishOutcome, VersionSummary } from './definitions.store.ts';
import { readPackageSource, writePackageFiles } from './package-source.ts';
import { syncOrg } from '../org/org-sync.ts';
import { AuditLog } from '../audit/audit.store.ts';

/** Result of an import: what each package did, and the warnings. */
export interface ImportResult {
  outcomes: PublishOutcome[];
  warnings: Problem[];
}

/** Raised when a package has errors: carries every problem. */
export class PackageInvalidError extends UserError {
  constructor(readonly problems: Problem[]) {
    const count = problems.filter((p) => p.severity === 'error').length;
    super('definitions.invalid', {
      'zh-CN': `配置包有 ${count} 个错误，未做任何更改`,
      en: `The package has ${count} error(s); nothing was changed`,
    }, { status: 422, details: problems.map((p) => ({ target: p.file, where: p.line ? `${p.line}:${p.column}` : p.pointer ?? '', message: p.message })) });
  }
}

/** Definitions use cases over a database (optional for validate). */
export class DefinitionsService {
  readonly store: DefinitionsStore | undefined;

  /**
   * `boundTopics`: topics of the installed plugins; when given, processes are linted as before a
   * deploy (an external task whose topic no plugin handles is an error).
   */
  constructor(private readonly db?: Knex, private readonly clock: () => Date = () => new Date(), private readonly boundTopics?: ReadonlySet<string>) {
    this.store = db ? new DefinitionsStore(db) : undefined;
  }

  /** Loads and validates a package from a folder or zip; reports every problem. */
  async validate(path: string): Promise<LoadResult> {
    const dirs = baseSearchDirs(path);
    const options: LoadOptions = { findBase: baseFinder(this.store, dirs), searchedFor: dirs.join(', ') };
    if (this.boundTopics) options.boundTopics = this.boundTopics;
    return loadPackage(readPackageSource(path), options);
  }

  /**
   * Validates then publishes a package (and unpublished bases) all-or-nothing; re-importing is a
   * no-op. Every publish, and every refused one, is audited.
   */
  async import(path: string, by?: string): Promise<ImportResult> {
    const result = await this.validate(path);
    try {
      if (!result.resolved) throw new PackageInvalidError(result.problems);
      const outcomes = await this.publish([...result.unpublishedBases, result.resolved], by);
      return { outcomes, warnings: result.problems.filter((p) => p.severity === 'warning') };
    } catch (e) {
      if (e instanceof UserError && this.db) {
        await new AuditLog(this.db).record({
          occurredAt: this.clock().toISOString(), actor: { username: by ?? 'system' }, action: 'definitions.publish',
          target: { type: 'definitions', id: result.resolved ? `${result.resolved.manifest.key}@${result.resolved.manifest.version}` : path },
          outcome: 'failure', details: { code: e.code, errors: result.problems.filter((p) => p.severity === 'error').length },
        });
      }
      throw e;
    }
  }

  /** Publishes resolved packages in one transaction; activates each if it is its package's newest. */
  async publish(packages: ResolvedPackage[], by?: string): Promise<PublishOutcome[]> {
    const db = this.requireDb();
    const store = this.store as DefinitionsStore;
    const now = this.clock();
    return db.transaction(async (trx) => {
      const outcomes: PublishOutcome[] = [];
      for (const pkg of packages) {
        const outcome = await store.publish(trx, pkg, by, now);
        outcomes.push(outcome);
        if (outcome.status === 'published') {
          await new AuditLog(db).append(trx, {
            occurredAt: now.toISOString(), actor: { username: by ?? 'system' }, action: 'definitions.publish',
            target: { type: 'definitions', id: `${outcome.key}@${outcome.version}` }, outcome: 'success', afterDigest: outcome.hash,
          });
        }
        const latest = await store.latestVersion(pkg.manifest.key, trx);
        if (outcome.status === 'published' && latest !== undefined && compareVersions(pkg.manifest.version, latest) >= 0) {
          await store.activate(trx, outcome.versionId, pkg.manifest.key, now);
          if (pkg.manifest.districtCode) await syncOrg(trx, pkg, outcome.versionId, now);
        }
      }
      return outcomes;
    });
  }

  /** Writes a published version to a folder or .zip; deterministic bytes. */
  async export(ref: string, target: string): Promise<ResolvedPackage> {
    const pkg = await this.get(ref);
    writePackageFiles(packageToFiles(pkg), target);
    return pkg;
  }

  /** Differences between two published versions. */
  async diff(fromRef: string, toRef: string): Promise<PackageDiff> {
    return diffPackages(await this.get(fromRef), await this.get(toRef));
  }

  /** All published versions. */
  async list(): Promise<VersionSummary[]> {
    return (this.store ?? this.fail()).list();
  }

  /** A published version by `key@version` (or the newest with `key`). */
  async get(ref: string): Promise<ResolvedPackage> {
    const store = this.store ?? this.fail();
    const { key, version } = parseRef(ref);
    const v = version ?? (await store.latestVersion(key));
    const pkg = v ? await store.find(key, v) : undefined;
    if (!pkg) {
      throw new UserError('definitions.versionNotFound', { 'zh-CN': `未发布的配置版本：${ref}`, en: `No published version ${ref}` }, { status: 404 });
    }
    return pkg;
  }

  private requireDb(): Knex {
    return this.db ?? this.fail();
  }

  private fail(): never {
    throw new Error('DefinitionsService needs a database for this operation');
  }
}
