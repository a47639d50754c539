/**
 * The tamper-evident audit chain: every record carries the SHA-256 of its own content and of the
 * previous record's hash, so changing, removing or reordering any record breaks the chain from
 * that record on. Pure: the store supplies records in order.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../definitions/canonical.ts';

/** Who acted. */
export interface AuditActor {
  userId?: number;
  username: string;
  role?: string;
  orgUnit?: string;
}

/** What is recorded of an action (no personal data in details: digests stand for contents). */
export interface AuditEntry {
  occurredAt: string;
  actor: AuditActor;
  ip?: string;
  userAgent?: string;
  /** `noun.verb`, e.g. `definitions.publish`, `session.login`. */
  action: string;
  target: { type: string; id?: string };
  outcome: 'success' | 'failure' | 'denied';
  beforeDigest?: string;
  afterDigest?: string;
  details?: Record<string, unknown>;
}

/** A stored record: the entry with its position and hashes. */
export interface AuditRecord extends AuditEntry {
  id: number;
  prevHash: string;
  hash: string;
}

/** Hash of the chain's start (before the first record). */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 of a value's canonical JSON: the before/after digests of audited objects. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** The hash of a record: over its id, content and the previous hash. */
export function auditHash(id: number, entry: AuditEntry, prevHash: string): string {
  return createHash('sha256').update(canonicalJson({ id, entry, prevHash })).digest('hex');
}

/** Result of verifying a chain. */
export type ChainVerdict =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; brokenAt: number; reason: 'content' | 'link' };

/**
 * Verifies records in id order starting from `anchor` (GENESIS_HASH, or the prev hash of the first
 * record kept after retention pruning). Names the first record whose content or link is wrong.
 */
export async function verifyChain(records: Iterable<AuditRecord> | AsyncIterable<AuditRecord>, anchor: string = GENESIS_HASH): Promise<ChainVerdict> {
  let prev = anchor;
  let count = 0;
  for await (const r of records) {
    const { id, prevHash, hash, ...entry } = r;
    if (prevHash !== prev) return { ok: false, count, brokenAt: id, reason: 'link' };
    if (auditHash(id, normalize(entry), prevHash) !== hash) return { ok: false, count, brokenAt: id, reason: 'content' };
    prev = hash;
    count += 1;
  }
  return { ok: true, count, lastHash: prev };
}

/** Drops undefined fields so that a stored and re-read entry hashes the same. */
export function normalize(entry: AuditEntry): AuditEntry {
  return JSON.parse(JSON.stringify(entry)) as AuditEntry;
}
