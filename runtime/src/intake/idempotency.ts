/**
 * Idempotent intake: every report carries an `Idempotency-Key` header. The first request with a key
 * records (user, key, digest of the body, case, response) in the same transaction as its case; a
 * retry with the same key and body gets that case again, a retry with another body is refused (409).
 * Concurrent retries race on the unique (user, key): one commits, the others replay it.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';

/** The header that carries the key. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7E]{1,64}$/;
const HEADER_TARGET = '/headers/idempotency-key';

/** A recorded intake request. */
export interface IntakeRecord {
  caseId: string;
  digest: string;
  response: Record<string, unknown>;
}

/** The key of a request, or a 400 naming the header. */
export function idempotencyKey(raw: string | string[] | undefined): string {
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key && KEY_PATTERN.test(key)) return key;
  throw new UserError('intake.idempotencyKey', {
    'zh-CN': '请求头 Idempotency-Key 缺失或无效（1–64 个可见 ASCII 字符）', en: 'The Idempotency-Key header is missing or invalid (1 to 64 visible ASCII characters)',
  }, { details: [{ target: HEADER_TARGET, message: { 'zh-CN': '每次上报须带唯一的 Idempotency-Key，重试时沿用同一个', en: 'Send a unique Idempotency-Key with each report and the same one with its retries' } }] });
}

/** Canonical JSON (keys sorted at every level), so the same body always has the same digest. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The digest of a request body. */
export function requestDigest(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

/** The recorded request of a user's key, if any. */
export async function findIntake(db: Knex, userId: number, key: string): Promise<IntakeRecord | undefined> {
  const row = await db('intake_requests').where({ user_id: userId, idempotency_key: key }).first('case_id', 'request_digest', 'response') as
    { case_id: string; request_digest: string; response: string } | undefined;
  return row ? { caseId: row.case_id, digest: row.request_digest, response: JSON.parse(row.response) as Record<string, unknown> } : undefined;
}

/** Records a request inside the intake transaction (first, so that concurrent retries wait on its key). */
export async function recordIntake(trx: Knex.Transaction, userId: number, key: string, record: IntakeRecord, now: Date): Promise<void> {
  await trx('intake_requests').insert({
    user_id: userId, idempotency_key: key, request_digest: record.digest, case_id: record.caseId, response: JSON.stringify(record.response), created_at: now,
  });
}

/** A recorded request replayed for a retry: the same body gives its response, another body a 409. */
export function replayable(record: IntakeRecord, digest: string): IntakeRecord {
  if (record.digest === digest) return record;
  throw new UserError('intake.idempotencyConflict', {
    'zh-CN': '该 Idempotency-Key 已用于另一份不同的上报，请为新的上报使用新的键', en: 'This Idempotency-Key was used for a different report; use a new key for a new report',
  }, { status: 409, details: [{ target: HEADER_TARGET, message: { 'zh-CN': '同一个键只能用于同一份上报的重试', en: 'A key may only be reused to retry the same report' } }] });
}
