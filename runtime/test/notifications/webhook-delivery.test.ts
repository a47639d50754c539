/**
 * Notifications delivered through the webhook channel to a real HTTP receiver, on SQLite and MariaDB:
 * a 催办 through the API reaches the receiver signed and with a stable idempotency key; a 503 is
 * retried after the backoff; a 400 fails for good; retries stop after the last attempt; two
 * dispatchers on one database never send a delivery twice; the phone goes only to a channel that
 * asks for it.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after } from 'node:test';
import type { Knex } from 'knex';
import { eventually } from '@gridflow/engine/testing';
import { notificationsConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { routeNotificationsTo } from '../../src/notifications/delivery-queue.ts';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.ts';
import { startNotificationDelivery } from '../../src/notifications/notification-delivery.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer } from '../support/api-server.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { deliveriesOf, givenAssignedTask, notifyDispatcher, registryFor, SECRET, testLogger, TOKEN } from './delivery-world.ts';
import { startReceiver } from './webhook-receiver.ts';
import type { ReceivedRequest, WebhookReceiver } from './webhook-receiver.ts';

/** Checks the signature header as a receiver would, with the shared secret. */
function signed(r: ReceivedRequest): boolean {
  const expected = `sha256=${createHmac('sha256', SECRET).update(r.raw).digest('hex')}`;
  return r.headers['x-gridflow-signature'] === expected;
}

describeEachDatabase('notification delivery through the webhook channel', (test) => {
  let server: ApiServer | undefined;
  let receiver: WebhookReceiver | undefined;
  after(async () => {
    await server?.close();
    await receiver?.close();
  });
  /** The API, a receiver, and nothing left queued from an earlier test. */
  const given = async (db: Knex) => {
    if (!server || server.db !== db) {
      await prepareDemoDatabase(db);
      await server?.close();
      server = await startApiServer(db);
    }
    receiver ??= await startReceiver();
    receiver.requests.length = 0;
    receiver.answers.length = 0;
    await db('notification_deliveries').delete();
    return { server, receiver, task: await givenAssignedTask(db), registry: await registryFor(receiver.url) };
  };
  let t = Date.now();
  const clock = () => new Date(t);
  const dispatcher = (db: Knex, registry: Awaited<ReturnType<typeof registryFor>>, maxAttempts = 5) => {
    routeNotificationsTo(registry.channels().map((c) => c.id));
    return new NotificationDispatcher(db, { channels: registry.channels(), logger: testLogger, maxAttempts, retryBaseMs: 30_000, clock });
  };

  test('催办 through the API: the receiver gets the notification, signed, with the delivery id as idempotency key', async ({ db }) => {
    const { server: api, receiver: hook, task, registry } = await given(db);
    const delivery = startNotificationDelivery(db, registry, notificationsConfig({ GRIDFLOW_PUBLIC_URL: 'https://gridflow.example.gov.cn/' }), testLogger, { pollMs: 20 });
    try {
      const leader = await signIn(api.url, 'jdld01');
      const urged = await call(api.url, 'POST', `/api/tasks/${task.taskId}/urge`, { as: leader, body: { message: '请今天内处理' } });
      assert.equal(urged.status, 200, urged.text);
      const notification = await db('notifications').where({ task_id: task.taskId, kind: 'task.urge' }).first('id') as { id: number };
      const row = await eventually('the delivery is done', async () => {
        const d = (await deliveriesOf(db, Number(notification.id))).webhook;
        return d?.status === 'delivered' ? d : undefined;
      });
      assert.equal(Number(row.attempts), 1);
      assert.equal(hook.requests.length, 1);
      const [req] = hook.requests as [ReceivedRequest];
      assert.equal(req.path, '/hook');
      assert.equal(req.headers['idempotency-key'], row.id);
      assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
      assert.ok(signed(req), 'the HMAC-SHA256 signature over the body verifies with the shared secret');
      assert.equal(req.body.event, 'notification.created');
      assert.equal(req.body.deliveryId, row.id);
      const n = req.body.notification;
      assert.equal(n.id, Number(notification.id));
      assert.equal(n.kind, 'task.urge');
      assert.deepEqual(n.recipient, { userId: n.recipient.userId, username: 'jddd01', displayName: '郭晓燕' }, 'no phone: the webhook does not ask for it');
      assert.deepEqual([n.caseId, n.taskId, n.title], [task.caseId, task.taskId, '催办提醒']);
      assert.match(n.message, /林芳催办任务“处置”：请今天内处理/);
      assert.equal(n.link, `https://gridflow.example.gov.cn/workbench#/tasks/${encodeURIComponent(task.taskId)}`);
      assert.ok(!Number.isNaN(Date.parse(n.createdAt)));
    } finally {
      await delivery.stop();
    }
  });

  test('a 503 is retried after the backoff with the same idempotency key and body; then delivered', async ({ db }) => {
    const { receiver: hook, task, registry } = await given(db);
    const d = dispatcher(db, registry);
    hook.answers.push(503);
    const id = await notifyDispatcher(db, task, '第一次投递会遇到 503', clock());
    assert.deepEqual(await d.runOnce(), { claimed: 1, delivered: 0, retried: 1, failed: 0, lost: 0 });
    let row = (await deliveriesOf(db, id)).webhook as Record<string, unknown>;
    assert.deepEqual([row.status, Number(row.attempts), row.last_error], ['pending', 1, 'The webhook answered 503']);
    assert.equal(new Date(row.next_attempt_at as string | number).getTime(), t + 30_000, 'the first retry waits the base backoff');
    assert.equal((await d.runOnce()).claimed, 0, 'not before the backoff');
    t += 30_000;
    assert.equal((await d.runOnce()).delivered, 1);
    row = (await deliveriesOf(db, id)).webhook as Record<string, unknown>;
    assert.deepEqual([row.status, Number(row.attempts), row.last_error], ['delivered', 2, null]);
    const [first, second] = hook.requests as [ReceivedRequest, ReceivedRequest];
    assert.deepEqual([first.status, second.status], [503, 200]);
    assert.equal(first.headers['idempotency-key'], row.id);
    assert.equal(second.headers['idempotency-key'], row.id, 'the key is stable across retries');
    assert.equal(second.raw, first.raw, 'so is the body');
    assert.deepEqual([first.headers['x-gridflow-attempt'], second.headers['x-gridflow-attempt']], ['1', '2']);
    assert.ok(signed(first) && signed(second));
  });

  test('a 400 fails the delivery for good after one attempt', async ({ db }) => {
    const { receiver: hook, task, registry } = await given(db);
    const d = dispatcher(db, registry);
    hook.answers.push(400);
    const id = await notifyDispatcher(db, task, '接收方拒绝', clock());
    assert.deepEqual(await d.runOnce(), { claimed: 1, delivered: 0, retried: 0, failed: 1, lost: 0 });
    const row = (await deliveriesOf(db, id)).webhook as Record<string, unknown>;
    assert.deepEqual([row.status, Number(row.attempts)], ['failed', 1]);
    assert.match(String(row.last_error), /HTTP 400/);
    t += 24 * 3600_000;
    assert.equal((await d.runOnce()).claimed, 0, 'never tried again by itself');
    assert.equal(hook.requests.length, 1);
  });

  test('5xx until the last attempt: backoff doubles, then the delivery fails', async ({ db }) => {
    const { receiver: hook, task, registry } = await given(db);
    const d = dispatcher(db, registry, 3);
    hook.answers.push(500, 502, 500);
    const id = await notifyDispatcher(db, task, '接收方一直出错', clock());
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const report = await d.runOnce();
      assert.equal(report.claimed, 1, `attempt ${attempt}`);
      const row = (await deliveriesOf(db, id)).webhook as Record<string, unknown>;
      if (attempt < 3) {
        const wait = new Date(row.next_attempt_at as string | number).getTime() - t;
        waits.push(wait);
        t += wait;
      } else {
        assert.deepEqual([row.status, Number(row.attempts), row.last_error], ['failed', 3, 'The webhook answered 500']);
      }
    }
    assert.deepEqual(waits, [30_000, 60_000]);
    assert.deepEqual(hook.requests.map((r) => r.status), [500, 502, 500]);
  });

  test('two dispatchers on one database (separate connections) send every delivery exactly once', async ({ db, url }) => {
    const { receiver: hook, task, registry } = await given(db);
    const other = openDatabase(url);
    try {
      const a = dispatcher(db, registry);
      const b = new NotificationDispatcher(other, { channels: registry.channels(), logger: testLogger, maxAttempts: 5, retryBaseMs: 30_000, clock, batchSize: 7 });
      const ids: number[] = [];
      for (let i = 0; i < 24; i++) ids.push(await notifyDispatcher(db, task, `批量通知 ${i}`, clock()));
      const drain = async (x: NotificationDispatcher) => { while ((await x.runOnce()).claimed > 0) { /* next batch */ } };
      await Promise.all([drain(a), drain(b), drain(a)]);
      const rows = await db('notification_deliveries').whereIn('notification_id', ids).select('id', 'status', 'attempts') as { id: string; status: string; attempts: number }[];
      assert.equal(rows.length, 24);
      assert.deepEqual(rows.filter((r) => r.status !== 'delivered' || Number(r.attempts) !== 1), []);
      const keys = hook.requests.map((r) => String(r.headers['idempotency-key']));
      assert.equal(keys.length, 24, 'one request per delivery');
      assert.deepEqual(new Set(keys), new Set(rows.map((r) => r.id)));
    } finally {
      await other.destroy();
    }
  });

  test('the phone number goes only to a channel that declares it needs it', async ({ db }) => {
    const { receiver: hook, task } = await given(db);
    const registry = await registryFor(hook.url, true);
    const d = dispatcher(db, registry);
    const id = await notifyDispatcher(db, task, '请回电', clock());
    assert.deepEqual(Object.keys(await deliveriesOf(db, id)).sort(), ['sms', 'webhook'], 'one delivery per channel in use');
    assert.equal((await d.runOnce()).delivered, 2);
    const sms = hook.requests.find((r) => r.path === '/sms');
    const webhook = hook.requests.find((r) => r.path === '/hook');
    assert.equal(sms?.body.recipient.phone, '13853100116');
    assert.equal(webhook?.body.notification.recipient.username, 'jddd01');
    assert.ok(webhook && !('phone' in webhook.body.notification.recipient), 'the webhook got no phone');
  });

  test('GRIDFLOW_NOTIFY_CHANNELS=none: notifications stay in-app only', async ({ db }) => {
    const { task, registry } = await given(db);
    const delivery = startNotificationDelivery(db, registry, notificationsConfig({ GRIDFLOW_NOTIFY_CHANNELS: 'none' }), testLogger);
    await delivery.stop();
    const id = await notifyDispatcher(db, task, '只在应用内', clock());
    assert.deepEqual(await deliveriesOf(db, id), {});
    assert.ok(await db('notifications').where({ id }).first('id'), 'the in-app notification is there');
  });
});
