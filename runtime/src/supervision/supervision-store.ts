/**
 * 督办 supervisions as stored: raising one (row, timeline event and notices in the caller's
 * transaction), who handles a case now, and the view of a row. Manual supervisions have an author;
 * automatic ones (the case clock went overdue) have none and say `source: 'clock'`.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { TimeLimitType } from '@gridflow/engine';
import { dateOf, isoOf } from '../db/values.ts';
import { notify, peopleOnTask } from '../notifications/notifications.ts';
import { appendCaseEvent } from '../timeline/timeline.store.ts';
import type { NewCaseEvent } from '../timeline/timeline.store.ts';
import { localTimeText } from '../clock/local-time-text.ts';
import type { SupervisionView } from '../contracts/supervision.ts';

/** The level that supervises. */
export type SupervisionLevel = 'street' | 'district';

/** How long an automatic supervision gives the handlers to reply. */
export const AUTOMATIC_REPLY_WITHIN: { amount: number; type: TimeLimitType } = { amount: 1, type: 'workDays' };

/** A supervision to raise. */
export interface NewSupervision {
  caseId: string;
  caseTitle: string | null;
  source: 'manual' | 'clock';
  level: SupervisionLevel;
  orgUnitCode: string | null;
  opinion: string;
  author: NonNullable<NewCaseEvent['actor']> | null;
  replyWithin: { amount: number; type: TimeLimitType };
  replyDueAt: Date;
  /** The calendar's time zone, for the deadline in the notice. */
  timezone: string;
  /** Unique key of what raised it (`manual:<uuid>`, `clock:<external task id>`): raising twice writes once. */
  sourceKey: string;
  now: Date;
  /** Who is told: the case's handlers (and, for automatic ones, the supervising command centre). */
  notify: number[];
}

/** Raises a supervision inside `trx`; returns its id (the existing one when its source key was seen). */
export async function raiseSupervision(trx: Knex.Transaction, s: NewSupervision): Promise<string> {
  const seen = await trx('supervisions').where({ source_key: s.sourceKey }).first('id') as { id: string } | undefined;
  if (seen) return seen.id;
  const id = randomUUID();
  await trx('supervisions').insert({
    id, case_id: s.caseId, source: s.source, level: s.level, org_unit_code: s.orgUnitCode, opinion: s.opinion,
    author_id: s.author?.id ?? null, author_username: s.author?.username ?? null, author_name: s.author?.name ?? null,
    reply_within_amount: s.replyWithin.amount, reply_within_type: s.replyWithin.type, reply_due_at: s.replyDueAt,
    status: 'open', created_at: s.now, source_key: s.sourceKey,
  });
  await appendCaseEvent(trx, {
    caseId: s.caseId, kind: 'supervision.raised', at: s.now, sourceKey: `supervision:${id}`, actor: s.author, opinion: s.opinion,
    details: { supervisionId: id, source: s.source, level: s.level, orgUnitCode: s.orgUnitCode, replyWithin: s.replyWithin, replyDueAt: s.replyDueAt.toISOString() },
  });
  const by = s.author ? s.author.name : s.level === 'street' ? '街道指挥中心（超期自动督办）' : '区指挥中心（超期自动督办）';
  await notify(trx, s.notify, {
    kind: 'supervision.raised', caseId: s.caseId, taskId: null, fromUserId: s.author?.id ?? null,
    message: `${by}督办事件“${s.caseTitle ?? s.caseId}”：${s.opinion}。请于 ${localTimeText(s.replyDueAt, s.timezone)} 前回复。`,
  }, s.now);
  return id;
}

/** The people working on a case now: the assignees (or candidates) of its open tasks. */
export async function caseHandlers(db: Knex | Knex.Transaction, caseId: string): Promise<number[]> {
  const open = await db('tasks').where({ case_id: caseId, status: 'open' }).select('id', 'assignee') as { id: string; assignee: string | null }[];
  const ids: number[] = [];
  for (const t of open) ids.push(...await peopleOnTask(db, t.id, t.assignee));
  return [...new Set(ids)];
}

/** Columns of a supervision view (supervisions joined with their case). */
export const SUPERVISION_COLUMNS = ['supervisions.*', 'cases.title as case_title'];

/** A supervision row as the API shows it, overdue as of `now`. */
export function supervisionView(r: Record<string, unknown>, now: Date): SupervisionView {
  const status = r.status === 'replied' ? 'replied' : 'open';
  const replyDueAt = dateOf(r.reply_due_at) as Date;
  return {
    id: String(r.id), caseId: String(r.case_id), caseTitle: (r.case_title as string | null) ?? null,
    source: r.source === 'clock' ? 'clock' : 'manual', level: r.level === 'street' ? 'street' : 'district', orgUnitCode: (r.org_unit_code as string | null) ?? null,
    opinion: String(r.opinion), author: r.author_username ? { username: String(r.author_username), name: (r.author_name as string | null) ?? null } : null,
    replyWithin: { amount: Number(r.reply_within_amount), type: r.reply_within_type as TimeLimitType },
    replyDueAt: replyDueAt.toISOString(), status, overdue: status === 'open' && replyDueAt.getTime() < now.getTime(),
    reply: (r.reply as string | null) ?? null, repliedBy: (r.replied_by_username as string | null) ?? null, repliedAt: isoOf(r.replied_at),
    createdAt: isoOf(r.created_at) ?? '',
  };
}
