/**
 * Importing a register file (CSV or Excel): every row is validated against the register's form for
 * the importer's roles, each row's grid must be inside the importer's import scope, and no row may
 * repeat a record already kept. Any bad row and nothing is imported; otherwise every row is
 * inserted in one transaction with its first version, tagged with the import's id, and audited.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { asSubject } from '@gridflow/engine';
import type { LocalizedText } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf } from '../http/scoped.ts';
import type { Register } from './register-catalog.ts';
import { identityDigest, placeOf, titleOf } from './register-records.ts';
import { located, readRegisterFile, validateRegisterRows } from './register-import.ts';
import type { RowProblem } from './register-import.ts';

/** The outcome of an import (or of a dry run). */
export interface ImportOutcome {
  importId: string | null;
  imported: number;
  rowCount: number;
  badRows: number;
  problems: RowProblem[];
  moreProblems: number;
}

const m = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });
const CHUNK = 500;

/** Rows repeating records already kept (by identity digest). */
async function existingDuplicates(db: Knex, register: Register, digests: (string | null)[], rows: number[]): Promise<RowProblem[]> {
  const field = register.spec.identityFields?.[0];
  if (!field) return [];
  const known = new Set<string>();
  const all = digests.filter((d): d is string => d !== null);
  for (let i = 0; i < all.length; i += CHUNK) {
    const found = await db('register_records').where('register', register.spec.code).whereIn('identity_digest', all.slice(i, i + CHUNK)).select('identity_digest') as { identity_digest: string }[];
    for (const f of found) known.add(f.identity_digest);
  }
  const column = String((register.form.properties[field] as { title?: unknown } | undefined)?.title ?? field);
  return digests.flatMap((d, i) => (d !== null && known.has(d)
    ? [{ row: rows[i] as number, column, field, message: located(rows[i] as number, column, m('系统中已有此记录', 'This record is already kept')) }]
    : []));
}

/** Validates a register file and, unless `dryRun` or any row is bad, imports every row. */
export async function importRegisterFile(
  db: Knex, ctx: RequestContext, user: SignedInUser, register: Register, file: { content: Buffer; name: string }, options: { dryRun: boolean; clock: () => Date },
): Promise<ImportOutcome> {
  const parsed = await readRegisterFile(file.content, file.name);
  const gridField = register.spec.gridField;
  const result = validateRegisterRows(register.validator, parsed, {
    roles: user.principal.roles,
    ...(register.spec.identityFields ? { uniqueBy: register.spec.identityFields } : {}),
    checkRow: (values) => {
      const code = String(values[gridField] ?? '');
      const place = placeOf(user, code);
      if (!place) return [{ field: gridField, message: m(`网格“${code}”不存在`, `Grid "${code}" does not exist`) }];
      if (!user.ability.can('import', asSubject('RegisterRecord', { register: register.spec.code, ...place }))) {
        return [{ field: gridField, message: m(`网格“${code}”不在您的管辖范围内`, `Grid "${code}" is outside your scope`) }];
      }
      return [];
    },
  });
  const digests = result.records.map((r) => identityDigest(register, r));
  const problems = result.problems.length > 0 ? result.problems : await existingDuplicates(db, register, digests, result.recordRows);
  const outcome: ImportOutcome = {
    importId: null, imported: 0, rowCount: result.rowCount, badRows: result.problems.length > 0 ? result.badRows : new Set(problems.map((p) => p.row)).size,
    problems: problems.slice(0, 1000), moreProblems: result.moreProblems + Math.max(0, problems.length - 1000),
  };
  if (problems.length > 0 || result.moreProblems > 0 || options.dryRun) return outcome;
  const importId = randomUUID();
  const now = options.clock();
  const by = user.principal.userId;
  await db.transaction(async (trx) => {
    for (let i = 0; i < result.records.length; i += CHUNK) {
      const chunk = result.records.slice(i, i + CHUNK).map((values, j) => {
        const place = placeOf(user, String(values[gridField])) ?? { gridCode: null, communityCode: null, streetCode: null, districtCode: null };
        return {
          id: randomUUID(), register: register.spec.code, form_key: register.form.key, form_version: register.form.version, title: titleOf(register, values),
          identity_digest: digests[i + j] ?? null, grid_code: place.gridCode, community_code: place.communityCode, street_code: place.streetCode, district_code: place.districtCode,
          form_values: JSON.stringify(values), version: 1, status: 'active', created_by: by, created_at: now, updated_by: by, updated_at: now,
        };
      });
      await trx('register_records').insert(chunk);
      await trx('register_record_versions').insert(chunk.map((r) => ({
        record_id: r.id, version: 1, change: 'imported', form_version: r.form_version, form_values: r.form_values, status: 'active', import_id: importId, changed_by: by, changed_at: now,
      })));
    }
    await new AuditLog(trx).append(trx, {
      occurredAt: now.toISOString(), actor: actorOf(user), action: 'register.import', target: { type: 'register', id: register.spec.code }, outcome: 'success', ...clientOf(ctx),
      details: { importId, file: file.name, records: result.records.length },
    });
  });
  return { ...outcome, importId, imported: result.records.length };
}
