/**
 * In-app notifications. Task operations notify the people concerned inside their own transaction:
 * 催办 the assignee (or, unclaimed, the task's candidate users and the members of its candidate
 * groups), 抄送 the users copied, 转办 and 委派 the new assignee. Users read only their own.
 * Each notification is also queued, in the same transaction, for every channel in use (webhook …).
 */
import type { Knex } from 'knex';
import { taskCandidates } from '../access/candidate-groups.ts';
import { isoOf } from '../db/values.ts';
import { enqueueDeliveries, routedChannels } from './delivery-queue.ts';

/** A notification to store. */
export interface NewNotification {
  kind: string;
  caseId: string | null;
  taskId: string | null;
  message: string;
  /** The sender; null for notices GridFlow sends itself (clock warnings, automatic supervision). */
  fromUserId: number | null;
}

/** A notification as its user sees it. */
export interface NotificationView {
  id: number;
  kind: string;
  caseId: string | null;
  taskId: string | null;
  message: string;
  createdAt: string;
  read: boolean;
}

/** Stores one notification for each user id, each with its deliveries through the channels in use. */
export async function notify(trx: Knex | Knex.Transaction, userIds: number[], n: NewNotification, now: Date): Promise<void> {
  const unique = [...new Set(userIds)].filter((id) => id !== n.fromUserId);
  if (unique.length === 0) return;
  const rows = unique.map((user_id) => ({
    user_id, kind: n.kind, case_id: n.caseId, task_id: n.taskId, message: n.message.slice(0, 2000), from_user_id: n.fromUserId, created_at: now,
  }));
  const channels = routedChannels();
  if (channels.length === 0) {
    await trx('notifications').insert(rows);
    return;
  }
  for (const row of rows) {
    const [id] = await trx('notifications').insert(row) as number[];
    await enqueueDeliveries(trx, Number(id), channels, now);
  }
}

/** User ids by username. */
export async function userIds(db: Knex | Knex.Transaction, usernames: string[]): Promise<number[]> {
  if (usernames.length === 0) return [];
  return (await db('users').whereIn('username', usernames).where({ status: 'active' }).pluck('id')).map(Number);
}

/** The people working on an open task: its assignee, else its candidates. */
export async function peopleOnTask(db: Knex | Knex.Transaction, taskId: string, assignee: string | null): Promise<number[]> {
  return assignee ? userIds(db, [assignee]) : taskCandidates(db, taskId);
}

/** A user's notifications, newest first. */
export async function notificationsOf(db: Knex, userId: number, unreadOnly: boolean, limit: number): Promise<NotificationView[]> {
  const q = db('notifications').where({ user_id: userId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
  if (unreadOnly) q.whereNull('read_at');
  const rows = await q.select() as Record<string, unknown>[];
  return rows.map((r) => ({
    id: Number(r.id), kind: String(r.kind), caseId: (r.case_id as string | null) ?? null, taskId: (r.task_id as string | null) ?? null,
    message: String(r.message), createdAt: isoOf(r.created_at) ?? '', read: r.read_at !== null && r.read_at !== undefined,
  }));
}
