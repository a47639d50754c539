/**
 * Links between register records (人房关联: a person lives in a house as 户主, 家庭成员, 租住 …).
 * A relation is declared on the source register's form; the target register sees it under its
 * inverse name. Linking needs edit rights on the source and read rights on the target; the other
 * side of a link is shown only when the user may read it.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { registerRecordSql } from '../access/subject-maps.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf, notFound } from '../http/scoped.ts';
import type { Register, RegisterCatalog } from './register-catalog.ts';
import { RECORD, clearKinds, shownTitle } from './register-records.ts';
import { isoOf } from '../db/values.ts';
import type { RegistersService } from './registers.service.ts';

/** One link as seen from a record. */
export interface LinkView {
  id: string;
  relation: string;
  name: string;
  direction: 'outgoing' | 'incoming';
  kind: string | null;
  record: { id: string; register: string; title: string; status: string };
  createdAt: string;
}

/** Links of register records. */
export class RegisterLinksService {
  constructor(private readonly db: Knex, private readonly catalog: RegisterCatalog, private readonly records: RegistersService, private readonly clock: () => Date) {}

  /** The current links of a record the user may read, to records the user may read. */
  async list(user: SignedInUser, register: Register, id: string): Promise<LinkView[]> {
    const own = await this.records.readable(user, register).where('register_records.id', id).first('register_records.id');
    if (!own) throw notFound(RECORD);
    const rows = await this.db('register_links').whereNull('removed_at').where((w) => w.where('from_record', id).orWhere('to_record', id))
      .orderBy('created_at').select('id', 'relation', 'from_record', 'to_record', 'kind', 'created_at') as Record<string, unknown>[];
    const otherIds = rows.map((r) => String(r.from_record === id ? r.to_record : r.from_record));
    const others = otherIds.length === 0 ? [] : await whereAllowed(this.db('register_records').whereIn('register_records.id', otherIds), user.ability, 'read', 'RegisterRecord', registerRecordSql, user.principal)
      .select('register_records.id', 'register_records.register', 'register_records.title', 'register_records.status') as { id: string; register: string; title: string; status: string }[];
    const byId = new Map(others.map((o) => [o.id, o]));
    const registers = await this.catalog.all();
    const out: LinkView[] = [];
    for (const r of rows) {
      const outgoing = r.from_record === id;
      const other = byId.get(String(outgoing ? r.to_record : r.from_record));
      const otherRegister = other ? registers.get(other.register) : undefined;
      if (!other || !otherRegister) continue;
      const source = outgoing ? register : otherRegister;
      const relation = source.spec.relations?.find((x) => x.code === r.relation);
      const clear = (await clearKinds(this.db, user, otherRegister, [other.id])).get(other.id);
      out.push({
        id: String(r.id), relation: String(r.relation), name: (outgoing ? relation?.name : relation?.inverseName) ?? String(r.relation), direction: outgoing ? 'outgoing' : 'incoming',
        kind: (r.kind as string | null) ?? null, record: { ...other, title: shownTitle(otherRegister, other.title, clear) }, createdAt: isoOf(r.created_at) ?? '',
      });
    }
    return out;
  }

  /** Links a record to another along one of its register's relations. */
  async link(ctx: RequestContext, user: SignedInUser, register: Register, id: string, input: { relation: string; target: string; kind?: string }): Promise<LinkView[]> {
    await this.records.editable(user, register, id);
    const relation = register.spec.relations?.find((r) => r.code === input.relation);
    if (!relation) {
      const known = (register.spec.relations ?? []).map((r) => `${r.code}（${r.name}）`).join('、') || '无';
      throw new UserError('register.relation', { 'zh-CN': `“${register.spec.name}”没有关联“${input.relation}”（可用：${known}）`, en: `${register.spec.code} has no relation "${input.relation}"` }, { details: [{ target: '/body/relation', message: { 'zh-CN': '关联不存在', en: 'Unknown relation' } }] });
    }
    if (relation.kinds ? !input.kind || !relation.kinds.includes(input.kind) : input.kind !== undefined) {
      throw new UserError('register.linkKind', { 'zh-CN': `关系类型须为：${(relation.kinds ?? []).join('、') || '（不填）'}`, en: `The kind must be one of: ${(relation.kinds ?? []).join(', ') || '(none)'}` }, { details: [{ target: '/body/kind', message: { 'zh-CN': '关系类型无效', en: 'Invalid kind' } }] });
    }
    const target = await this.catalog.find(relation.target);
    const targetRow = target ? await this.records.readable(user, target).where('register_records.id', input.target).where('register_records.status', 'active').first('register_records.id') : undefined;
    if (!targetRow) throw notFound({ 'zh-CN': `关联的${target?.spec.name ?? '记录'}`, en: `linked ${relation.target} record` });
    await this.db.transaction(async (trx) => {
      const existing = await trx('register_links').where({ relation: relation.code, from_record: id, to_record: input.target }).whereNull('removed_at').first('id');
      if (existing) throw new UserError('register.linkExists', { 'zh-CN': '已存在相同的关联', en: 'The records are already linked' }, { status: 409 });
      const linkId = randomUUID();
      await trx('register_links').insert({ id: linkId, relation: relation.code, from_record: id, to_record: input.target, kind: input.kind ?? null, created_by: user.principal.userId, created_at: this.clock() });
      await new AuditLog(trx).append(trx, {
        occurredAt: this.clock().toISOString(), actor: actorOf(user), action: 'register.link', target: { type: 'registerRecord', id }, outcome: 'success', ...clientOf(ctx),
        details: { link: linkId, relation: relation.code, target: input.target, kind: input.kind ?? null },
      });
    });
    return this.list(user, register, id);
  }

  /** Removes a link of a record (kept in the history). */
  async unlink(ctx: RequestContext, user: SignedInUser, register: Register, id: string, linkId: string): Promise<LinkView[]> {
    await this.records.editable(user, register, id);
    await this.db.transaction(async (trx) => {
      const removed = await trx('register_links').where({ id: linkId }).whereNull('removed_at').where((w) => w.where('from_record', id).orWhere('to_record', id))
        .update({ removed_by: user.principal.userId, removed_at: this.clock() });
      if (removed !== 1) throw notFound({ 'zh-CN': '关联', en: 'link' });
      await new AuditLog(trx).append(trx, {
        occurredAt: this.clock().toISOString(), actor: actorOf(user), action: 'register.unlink', target: { type: 'registerRecord', id }, outcome: 'success', ...clientOf(ctx), details: { link: linkId },
      });
    });
    return this.list(user, register, id);
  }
}
