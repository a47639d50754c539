/**
 * Tracking codes (查询码): a citizen follows a case with a random code shown once, when the report is
 * accepted. Only its SHA-256 digest is stored. The public view tells the case's status and the
 * names and times of its steps, never who handles it or any personal data; a merged case shows the
 * case it was merged into.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { LocalizedText } from '@gridflow/engine';
import type { TrackingView } from '../contracts/intake.ts';
import { isoOf } from '../db/values.ts';

/** Characters of tracking codes: digits and capitals without 0/O, 1/I/L. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** Length of a tracking code (31^12 ≈ 2^59 codes). */
export const TRACKING_CODE_LENGTH = 12;
/** How deep the public view follows merges. */
const MAX_MERGE_HOPS = 5;

const STATUS_NAMES: Record<string, LocalizedText> = {
  starting: { 'zh-CN': '已受理，等待办理', en: 'Accepted, waiting to be handled' },
  running: { 'zh-CN': '办理中', en: 'Being handled' },
  ended: { 'zh-CN': '已办结', en: 'Closed' },
  merged: { 'zh-CN': '已与同一问题的事件合并办理', en: 'Merged with a case about the same problem' },
};

/** A new random tracking code. */
export function newTrackingCode(): string {
  let code = '';
  for (let i = 0; i < TRACKING_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** The stored digest of a code as a citizen may type it (any case, with spaces or dashes). */
export function trackingDigest(code: string): string {
  return createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, '')).digest('hex');
}

/** Issues a tracking code for a case (inside the caller's transaction); returns the code to show once. */
export async function issueTrackingCode(db: Knex | Knex.Transaction, caseId: string, now: Date): Promise<string> {
  const code = newTrackingCode();
  await db('case_tracking_codes').insert({ code_digest: trackingDigest(code), case_id: caseId, created_at: now });
  return code;
}

interface CaseRow {
  id: string;
  status: string;
  event_type: string | null;
  merged_into: string | null;
  created_at: unknown;
  updated_at: unknown;
  ended_at: unknown;
}

/** The public view of the case a code tracks; undefined for an unknown code. */
export async function trackingView(db: Knex, code: string, subclassName: (code: string) => string | null): Promise<TrackingView | undefined> {
  const tracked = await db('case_tracking_codes').where({ code_digest: trackingDigest(code) }).first('case_id') as { case_id: string } | undefined;
  if (!tracked) return undefined;
  const columns = ['id', 'status', 'event_type', 'merged_into', 'created_at', 'updated_at', 'ended_at'];
  const reported = await db('cases').where({ id: tracked.case_id }).first(columns) as CaseRow | undefined;
  if (!reported) return undefined;
  let shown = reported;
  for (let hops = 0; shown.status === 'merged' && shown.merged_into && hops < MAX_MERGE_HOPS; hops++) {
    const next = await db('cases').where({ id: shown.merged_into }).first(columns) as CaseRow | undefined;
    if (!next) break;
    shown = next;
  }
  const tasks = await db('tasks').where({ case_id: shown.id }).whereIn('status', ['open', 'completed'])
    .orderBy([{ column: 'created_at' }, { column: 'id' }]).select('name', 'status', 'created_at', 'ended_at') as { name: string | null; status: string; created_at: unknown; ended_at: unknown }[];
  return {
    status: shown.status,
    statusName: STATUS_NAMES[shown.status] ?? { 'zh-CN': shown.status, en: shown.status },
    eventType: { code: reported.event_type, name: reported.event_type ? subclassName(reported.event_type) : null },
    reportedAt: isoOf(reported.created_at),
    updatedAt: isoOf(shown.updated_at),
    endedAt: isoOf(shown.ended_at),
    merged: shown !== reported,
    steps: tasks.map((t) => ({ name: t.name, status: t.status === 'open' ? 'open' as const : 'done' as const, startedAt: isoOf(t.created_at), endedAt: isoOf(t.ended_at) })),
  };
}
