/**
 * Register records: scoped lists and search, create, edit (optimistic: the caller names the version
 * it edited), archive (注销) and the history of every version. Each write validates the values with
 * the register's form for the user's roles, keeps a version row, and is audited in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';
import type { AuditEntry, SubmissionProblem } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { registerRecordSql } from '../access/subject-maps.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf, notFound, page } from '../http/scoped.ts';
import type { Register } from './register-catalog.ts';
import { RECORD, clearKinds, identityDigest, placeForWrite, recordColumns, recordView, titleOf } from './register-records.ts';
import type { RecordView } from './register-records.ts';
import { auditShown, filterByFields } from './register-queries.ts';

/** List query of a register. */
export interface RecordQuery {
  q?: string;
  identity?: string;
  grid?: string;
  status?: 'active' | 'archived';
  filter?: string[];
  limit?: number;
  offset?: number;
}

const invalid = (problems: SubmissionProblem[], where: string) => new UserError('form.invalid', { 'zh-CN': '表单填写有误，请按提示修改', en: 'The form has errors; please correct them' }, {
  status: 422, details: problems.map((p) => ({ target: `${where}${p.pointer}`, message: p.message })),
});

const duplicate = (register: Register) => {
  const titles = (register.spec.identityFields ?? []).map((f) => String((register.form.properties[f] as { title?: unknown } | undefined)?.title ?? f));
  return new UserError('register.duplicate', { 'zh-CN': `已存在${titles.join('、')}相同的记录`, en: `A record with the same ${(register.spec.identityFields ?? []).join(', ')} already exists` }, {
    status: 409, details: (register.spec.identityFields ?? []).map((f) => ({ target: `/body/values/${f}`, message: { 'zh-CN': '与已有记录重复', en: 'Same as an existing record' } })),
  });
};

const stale = () => new UserError('register.stale', { 'zh-CN': '记录已被他人修改，请刷新后重试', en: 'The record was changed by someone else; reload and try again' }, { status: 409 });

/** Whether an error is a unique-key violation (SQLite or MySQL). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; errno?: number };
  return err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'ER_DUP_ENTRY' || err.errno === 1062;
}

/** Register records of the signed-in user's scope. */
export class RegistersService {
  constructor(private readonly db: Knex, private readonly clock: () => Date) {}

  /** The records the user may read, masked, newest change first. */
  async list(ctx: RequestContext, user: SignedInUser, register: Register, query: RecordQuery): Promise<{ items: RecordView[]; total: number }> {
    const q = this.readable(user, register).where('register_records.status', query.status ?? 'active');
    if (query.grid) q.where('register_records.grid_code', query.grid);
    if (query.q) q.where('register_records.title', 'like', `${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    if (query.identity) {
      const field = register.spec.identityFields?.[0];
      q.where('register_records.identity_digest', field && register.spec.identityFields?.length === 1 ? identityDigest(register, { [field]: query.identity }) ?? '' : '');
    }
    filterByFields(this.db, q, register, query.filter ?? []);
    const { rows, total } = await page(q, recordColumns, [{ column: 'register_records.updated_at', order: 'desc' }, { column: 'register_records.id' }], query);
    const clear = await clearKinds(this.db, user, register, rows.map((r) => String(r.id)));
    const views = rows.map((r) => recordView(register, r, clear.get(String(r.id))));
    await auditShown(this.db, ctx, user, this.clock, views.map((v) => ({ id: v.view.id, fields: v.shown })));
    return { items: views.map((v) => v.view), total };
  }

  /** One record the user may read. */
  async get(ctx: RequestContext, user: SignedInUser, register: Register, id: string): Promise<RecordView> {
    const row = await this.readable(user, register).where('register_records.id', id).first(recordColumns) as Record<string, unknown> | undefined;
    if (!row) throw notFound(RECORD);
    const clear = await clearKinds(this.db, user, register, [id]);
    const { view, shown } = recordView(register, row, clear.get(id));
    await auditShown(this.db, ctx, user, this.clock, [{ id, fields: shown }]);
    return view;
  }

  /** Creates a record. */
  async create(ctx: RequestContext, user: SignedInUser, register: Register, submitted: Record<string, unknown>): Promise<RecordView> {
    const result = register.validator.validate(submitted, { roles: user.principal.roles });
    if (!result.ok) throw invalid(result.problems, '/body/values');
    const place = placeForWrite(user, register, result.values, 'edit', '/body/values');
    const id = randomUUID();
    const now = this.clock();
    try {
      await this.db.transaction(async (trx) => {
        await trx('register_records').insert({
          id, register: register.spec.code, form_key: register.form.key, form_version: register.form.version, title: titleOf(register, result.values),
          identity_digest: identityDigest(register, result.values), grid_code: place.gridCode, community_code: place.communityCode, street_code: place.streetCode,
          district_code: place.districtCode, form_values: JSON.stringify(result.values), version: 1, status: 'active',
          created_by: user.principal.userId, created_at: now, updated_by: user.principal.userId, updated_at: now,
        });
        await this.version(trx, id, 1, 'created', register, result.values, 'active', user, now);
        await new AuditLog(trx).append(trx, this.audit(ctx, user, 'register.create', id, { register: register.spec.code }));
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicate(register);
      throw e;
    }
    return this.get(ctx, user, register, id);
  }

  /** Edits a record: the submitted values replace those of the same fields (null clears a field). */
  async update(ctx: RequestContext, user: SignedInUser, register: Register, id: string, submitted: Record<string, unknown>, expectedVersion: number): Promise<RecordView> {
    const row = await this.editable(user, register, id);
    if (Number(row.version) !== expectedVersion) throw stale();
    const previous = JSON.parse(String(row.form_values)) as Record<string, unknown>;
    const changes = Object.fromEntries(Object.entries(submitted).map(([k, v]) => [k, v === null ? undefined : v]));
    const result = register.validator.validate(changes, { roles: user.principal.roles, previous });
    if (!result.ok) throw invalid(result.problems, '/body/values');
    const place = placeForWrite(user, register, result.values, 'edit', '/body/values');
    const now = this.clock();
    const version = expectedVersion + 1;
    try {
      await this.db.transaction(async (trx) => {
        const updated = await trx('register_records').where({ id, version: expectedVersion }).update({
          form_version: register.form.version, title: titleOf(register, result.values), identity_digest: identityDigest(register, result.values),
          grid_code: place.gridCode, community_code: place.communityCode, street_code: place.streetCode, district_code: place.districtCode,
          form_values: JSON.stringify(result.values), version, updated_by: user.principal.userId, updated_at: now,
        });
        if (updated !== 1) throw stale();
        await this.version(trx, id, version, 'updated', register, result.values, String(row.status), user, now);
        const fields = Object.keys(changes).filter((k) => JSON.stringify(previous[k]) !== JSON.stringify(result.values[k]));
        await new AuditLog(trx).append(trx, this.audit(ctx, user, 'register.update', id, { register: register.spec.code, version, fields }));
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicate(register);
      throw e;
    }
    return this.get(ctx, user, register, id);
  }

  /** Archives (注销) or restores a record. */
  async setStatus(ctx: RequestContext, user: SignedInUser, register: Register, id: string, status: 'active' | 'archived', expectedVersion: number, reason: string): Promise<RecordView> {
    const row = await this.editable(user, register, id);
    if (Number(row.version) !== expectedVersion) throw stale();
    const values = JSON.parse(String(row.form_values)) as Record<string, unknown>;
    const now = this.clock();
    const version = expectedVersion + 1;
    await this.db.transaction(async (trx) => {
      const updated = await trx('register_records').where({ id, version: expectedVersion }).update({ status, version, updated_by: user.principal.userId, updated_at: now });
      if (updated !== 1) throw stale();
      await this.version(trx, id, version, status === 'archived' ? 'archived' : 'restored', register, values, status, user, now);
      await new AuditLog(trx).append(trx, this.audit(ctx, user, status === 'archived' ? 'register.archive' : 'register.restore', id, { register: register.spec.code, reason }));
    });
    return this.get(ctx, user, register, id);
  }

  /** Records of a register the user may read (the base of every read). */
  readable(user: SignedInUser, register: Register): Knex.QueryBuilder {
    return whereAllowed(this.db('register_records').where('register_records.register', register.spec.code), user.ability, 'read', 'RegisterRecord', registerRecordSql, user.principal);
  }

  /** A record the user may edit: 404 when they may not read it, 403 when they may read but not edit it. */
  async editable(user: SignedInUser, register: Register, id: string): Promise<Record<string, unknown>> {
    const row = await this.readable(user, register).where('register_records.id', id).first('register_records.*') as Record<string, unknown> | undefined;
    if (!row) throw notFound(RECORD);
    const allowed = await whereAllowed(this.db('register_records').where('register_records.id', id), user.ability, 'edit', 'RegisterRecord', registerRecordSql, user.principal).first('register_records.id');
    if (!allowed) throw new UserError('auth.forbidden', { 'zh-CN': '无权修改此台账记录', en: 'You may not change this register record' }, { status: 403 });
    return row;
  }

  private async version(trx: Knex.Transaction, id: string, version: number, change: string, register: Register, values: Record<string, unknown>, status: string, user: SignedInUser, now: Date, importId?: string): Promise<void> {
    await trx('register_record_versions').insert({
      record_id: id, version, change, form_version: register.form.version, form_values: JSON.stringify(values), status, import_id: importId ?? null,
      changed_by: user.principal.userId, changed_at: now,
    });
  }

  private audit(ctx: RequestContext, user: SignedInUser, action: string, id: string, details: Record<string, unknown>): AuditEntry {
    return { occurredAt: this.clock().toISOString(), actor: actorOf(user), action, target: { type: 'registerRecord', id }, outcome: 'success', ...clientOf(ctx), details };
  }
}
