/**
 * The audit log in the database: appends join the caller's transaction and are serialised by the
 * chain head row (locked for update), so the chain never forks, also with several runtimes.
 */
import type { Knex } from 'knex';
import { auditHash, normalizeAuditEntry, UserError, verifyChain } from '@gridflow/engine';
import type { AuditEntry, AuditRecord, ChainVerdict } from '@gridflow/engine';

interface Row {
  id: number | string;
  entry: string;
  prev_hash: string;
  hash: string;
}

const PAGE = 1000;
/** Audit records are kept at least this long (等保: ≥ 6 months). */
export const MIN_RETENTION_DAYS = 184;

const toRecord = (row: Row): AuditRecord => ({ id: Number(row.id), ...(JSON.parse(row.entry) as AuditEntry), prevHash: row.prev_hash, hash: row.hash });

/** Search criteria for auditors. */
export interface AuditQuery {
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
  limit?: number;
}

/** The address and user agent of a client, as audit entries hold them. */
export function auditClient(client: { ip?: string; userAgent?: string }): { ip?: string; userAgent?: string } {
  return { ...(client.ip ? { ip: client.ip } : {}), ...(client.userAgent ? { userAgent: client.userAgent.slice(0, 255) } : {}) };
}

/** Reads and appends audit records. */
export class AuditLog {
  constructor(private readonly db: Knex) {}

  /** Appends an entry inside `trx` (the audited change's own transaction). */
  async append(trx: Knex.Transaction, entry: AuditEntry): Promise<AuditRecord> {
    const head = await trx('audit_head').where({ id: 1 }).forUpdate().first('last_id', 'last_hash') as { last_id: number | string; last_hash: string };
    const id = Number(head.last_id) + 1;
    const normalized = normalizeAuditEntry(entry);
    const hash = auditHash(id, normalized, head.last_hash);
    await trx('audit_log').insert({
      id, occurred_at: new Date(entry.occurredAt), actor_username: entry.actor.username, action: entry.action,
      target_type: entry.target.type, target_id: entry.target.id ?? null, outcome: entry.outcome,
      entry: JSON.stringify(normalized), prev_hash: head.last_hash, hash,
    });
    await trx('audit_head').where({ id: 1 }).update({ last_id: id, last_hash: hash });
    return { id, ...normalized, prevHash: head.last_hash, hash };
  }

  /** Appends in a transaction of its own (actions that change nothing else, e.g. a sensitive read). */
  async record(entry: AuditEntry): Promise<AuditRecord> {
    return this.db.transaction((trx) => this.append(trx, entry));
  }

  /** Verifies the whole chain from its anchor; names the first broken record. */
  async verify(): Promise<ChainVerdict> {
    const head = await this.db('audit_head').where({ id: 1 }).first('anchor_hash', 'last_hash', 'last_id') as { anchor_hash: string; last_hash: string; last_id: number | string };
    const verdict = await verifyChain(this.all(), head.anchor_hash);
    if (verdict.ok && verdict.lastHash !== head.last_hash) {
      // Records were removed from the end: the head still remembers the last hash.
      return { ok: false, count: verdict.count, brokenAt: Number(head.last_id), reason: 'link' };
    }
    return verdict;
  }

  /** Matching records, newest first. */
  async search(q: AuditQuery = {}): Promise<AuditRecord[]> {
    const query = this.db<Row>('audit_log').orderBy('id', 'desc').limit(Math.min(q.limit ?? 500, 10_000));
    if (q.action) query.where('action', q.action);
    if (q.actor) query.where('actor_username', q.actor);
    if (q.targetType) query.where('target_type', q.targetType);
    if (q.targetId) query.where('target_id', q.targetId);
    if (q.since) query.where('occurred_at', '>=', q.since);
    if (q.until) query.where('occurred_at', '<', q.until);
    return (await query.select('id', 'entry', 'prev_hash', 'hash')).map(toRecord);
  }

  /**
   * Removes records older than `before` (never younger than MIN_RETENTION_DAYS before `now`); the
   * prev hash of the first kept record becomes the anchor, so the rest still verifies.
   */
  async prune(before: Date, now: Date = new Date()): Promise<number> {
    const limit = new Date(now.getTime() - MIN_RETENTION_DAYS * 86_400_000);
    if (before > limit) {
      throw new UserError('audit.retention', {
        'zh-CN': `审计记录至少保留 ${MIN_RETENTION_DAYS} 天，只能删除 ${limit.toISOString().slice(0, 10)} 之前的记录`,
        en: `Audit records are kept at least ${MIN_RETENTION_DAYS} days: only records before ${limit.toISOString().slice(0, 10)} can be removed`,
      });
    }
    return this.db.transaction(async (trx) => {
      const head = await trx('audit_head').where({ id: 1 }).forUpdate().first('last_hash');
      const removed = await trx('audit_log').where('occurred_at', '<', before).delete();
      const first = await trx('audit_log').orderBy('id').first('prev_hash');
      await trx('audit_head').where({ id: 1 }).update({ anchor_hash: first?.prev_hash ?? head.last_hash });
      return removed;
    });
  }

  /** Every record in id order, read page by page. */
  private async *all(): AsyncGenerator<AuditRecord> {
    for (let after = 0; ; ) {
      const rows = await this.db<Row>('audit_log').where('id', '>', after).orderBy('id').limit(PAGE).select('id', 'entry', 'prev_hash', 'hash');
      for (const row of rows) yield toRecord(row);
      if (rows.length < PAGE) return;
      after = Number(rows[rows.length - 1]?.id);
    }
  }
}
