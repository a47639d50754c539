/** What a channel receives of a notification: the in-app row, its recipient (no phone unless asked) and a link. */
import type { Knex } from 'knex';
import type { ChannelNotification, RecipientField } from '@gridflow/engine';
import { isoOf } from '../db/values.ts';

/** Titles of the notification kinds task operations write (zh-CN, the users' language). */
const TITLES: Record<string, string> = {
  'task.urge': '催办提醒',
  'task.cc': '抄送通知',
  'task.transfer': '转办通知',
  'task.delegate': '委派通知',
};

/** The title of a notification kind. */
export function titleOf(kind: string): string {
  return TITLES[kind] ?? '通知';
}

/** Where the recipient acts on it: the task in the workbench (absolute with a public URL). */
export function linkOf(taskId: string | null, publicUrl: string | undefined): string | null {
  return taskId ? `${publicUrl ?? ''}/workbench#/tasks/${encodeURIComponent(taskId)}` : null;
}

/** Loads a notification as a channel receives it; undefined when it or its recipient is gone. */
export async function channelNotificationOf(
  db: Knex, notificationId: number, recipientFields: readonly RecipientField[], publicUrl: string | undefined,
): Promise<ChannelNotification | undefined> {
  const row = await db('notifications as n').join('users as u', 'u.id', 'n.user_id').where('n.id', notificationId)
    .first('n.id', 'n.kind', 'n.case_id', 'n.task_id', 'n.message', 'n.created_at', 'u.id as user_id', 'u.username', 'u.display_name', 'u.phone') as Record<string, unknown> | undefined;
  if (!row) return undefined;
  const taskId = (row.task_id as string | null) ?? null;
  return {
    id: Number(row.id),
    kind: String(row.kind),
    recipient: {
      userId: Number(row.user_id), username: String(row.username), displayName: String(row.display_name),
      ...(recipientFields.includes('phone') ? { phone: (row.phone as string | null) ?? null } : {}),
    },
    caseId: (row.case_id as string | null) ?? null,
    taskId,
    title: titleOf(String(row.kind)),
    message: String(row.message),
    link: linkOf(taskId, publicUrl),
    createdAt: isoOf(row.created_at) ?? '',
  };
}
