/**
 * Fixtures of the delivery tests: the demo district with a case whose open task is assigned to the
 * street dispatcher jddd01 (who has a phone number on file), the street leader jdld01 who may read
 * (and so urge) it, and the webhook plugin loaded as the runtime loads it, pointed at a receiver.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import type { PluginRegistry } from '@gridflow/engine';
import { notify } from '../../src/notifications/notifications.ts';
import { loadPlugins } from '../../src/plugins/load-plugins.ts';

/** Logger of the tests (GRIDFLOW_TEST_LOG=debug to see the dispatcher). */
export const testLogger = pino({ level: process.env.GRIDFLOW_TEST_LOG ?? 'silent' });

/** Shared secret and token of the webhook in these tests. */
export const SECRET = 'whsec-test-0123456789';
export const TOKEN = 'hook-token';

const GRID = '370102002001001';

/** A running case with an open task assigned to jddd01. */
export async function givenAssignedTask(db: Knex): Promise<{ caseId: string; taskId: string }> {
  const caseId = randomUUID();
  const taskId = `t-${randomUUID()}`;
  const now = new Date();
  await db('cases').insert({
    id: caseId, process_definition_key: 'closed-loop', process_instance_id: `pi-${caseId}`, status: 'running', title: '楼道堆放杂物',
    grid_code: GRID, community_code: GRID.slice(0, 12), street_code: GRID.slice(0, 9), district_code: GRID.slice(0, 6),
    form_key: 'event-report', form_version: 1, form_values: JSON.stringify({ eventType: '01001', description: '楼道堆放杂物' }), created_at: now, updated_at: now,
  });
  await db('tasks').insert({
    id: taskId, case_id: caseId, process_instance_id: `pi-${caseId}`, task_definition_key: 'handle', name: '处置', assignee: 'jddd01', status: 'open',
    form_key: 'event-report', form_version: 1, created_at: now, last_event_id: 1,
  });
  return { caseId, taskId };
}

/** The webhook environment of the runtime for a receiver. */
export function webhookEnv(url: string): Record<string, string> {
  return { GRIDFLOW_WEBHOOK_URL: `${url}/hook`, GRIDFLOW_WEBHOOK_SECRET: SECRET, GRIDFLOW_WEBHOOK_TOKEN: TOKEN };
}

const smsPlugin = new URL('./fixtures/sms-test-plugin.ts', import.meta.url).href;

/** The plugins loaded as the runtime loads them: the webhook plugin (and, with `sms`, the SMS test plugin) pointed at a receiver. */
export function registryFor(url: string, sms = false): Promise<PluginRegistry> {
  return loadPlugins(['@gridflow/plugin-webhook', ...(sms ? [smsPlugin] : [])], { ...webhookEnv(url), GRIDFLOW_TEST_SMS_URL: `${url}/sms` });
}

/** Writes a notification for jddd01 through the writer task operations use; returns its id. */
export async function notifyDispatcher(db: Knex, task: { caseId: string; taskId: string }, message: string, now = new Date()): Promise<number> {
  const [to, from] = await Promise.all([db('users').where({ username: 'jddd01' }).first('id'), db('users').where({ username: 'jdld01' }).first('id')]) as { id: number }[];
  await db.transaction((trx) => notify(trx, [Number(to?.id)], { kind: 'task.urge', caseId: task.caseId, taskId: task.taskId, message, fromUserId: Number(from?.id) }, now));
  const row = await db('notifications').where({ user_id: to?.id, message }).orderBy('id', 'desc').first('id') as { id: number };
  return Number(row.id);
}

/** The deliveries of a notification, by channel. */
export async function deliveriesOf(db: Knex, notificationId: number): Promise<Record<string, Record<string, unknown>>> {
  const rows = await db('notification_deliveries').where({ notification_id: notificationId }).select() as Record<string, unknown>[];
  return Object.fromEntries(rows.map((r) => [String(r.channel_id), r]));
}
