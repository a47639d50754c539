/**
 * The operators' view of deliveries (GET /api/notifications/deliveries, POST …/:id/retry), on SQLite
 * and MariaDB: the system administrator sees failed deliveries of recipients in their scope (no
 * phone), filtered and paged as documented; a retry sends it again through the dispatcher and is
 * audited; delivered or in-flight deliveries and deliveries out of scope are refused.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import type { Knex } from 'knex';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { NotificationDeliveryList, NotificationDeliveryView } from '../../src/contracts/notifications.ts';
import { claimDue, enqueueDeliveries, routeNotificationsTo } from '../../src/notifications/delivery-queue.ts';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.ts';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer, Credentials } from '../support/api-server.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { deliveriesOf, givenAssignedTask, notifyDispatcher, registryFor, testLogger } from './delivery-world.ts';
import { startReceiver } from './webhook-receiver.ts';
import type { WebhookReceiver } from './webhook-receiver.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
/** Whether a body answers its documented contract (as the OpenAPI document states it). */
const answers = (schema: object, body: unknown) => ajv.validate(JSON.parse(JSON.stringify(schema)) as object, body);

describeEachDatabase('notification deliveries API', (test) => {
  let server: ApiServer | undefined;
  let receiver: WebhookReceiver | undefined;
  after(async () => {
    await server?.close();
    await receiver?.close();
  });

  /** A failed and a delivered delivery to jddd01, and a failed one to a user of another district. */
  async function given(db: Knex) {
    await prepareDemoDatabase(db);
    server = await startApiServer(db);
    receiver = await startReceiver();
    const registry = await registryFor(receiver.url);
    routeNotificationsTo(['webhook']);
    const dispatcher = new NotificationDispatcher(db, { channels: registry.channels(), logger: testLogger, maxAttempts: 5, retryBaseMs: 30_000 });
    const task = await givenAssignedTask(db);
    receiver.answers.push(410);
    const failedId = await notifyDispatcher(db, task, '接收方拒收的通知');
    await dispatcher.runOnce();
    const deliveredId = await notifyDispatcher(db, task, '已送达的通知');
    await dispatcher.runOnce();
    const now = new Date();
    const [outsider] = await db('users').insert({ username: 'outsider01', display_name: '外区用户', org_unit_code: '370103', status: 'disabled', created_at: now, updated_at: now });
    const [foreign] = await db('notifications').insert({ user_id: outsider, kind: 'task.urge', message: '外区通知', created_at: now });
    await enqueueDeliveries(db, Number(foreign), ['webhook'], now);
    await db('notification_deliveries').where({ notification_id: foreign }).update({ status: 'failed', attempts: 8, last_error: 'HTTP 500' });
    const failed = (await deliveriesOf(db, failedId)).webhook as { id: string };
    const delivered = (await deliveriesOf(db, deliveredId)).webhook as { id: string; status: string };
    const outside = (await deliveriesOf(db, Number(foreign))).webhook as { id: string };
    assert.equal(delivered.status, 'delivered');
    const as: Record<string, Credentials> = { admin: await signIn(server.url, 'admin'), jdld01: await signIn(server.url, 'jdld01') };
    return { api: server.url, hook: receiver, dispatcher, as, failed: failed.id, delivered: delivered.id, outside: outside.id, task };
  }

  test('list, filter, page; retry sends it again; refusals', async ({ db }) => {
    const w = await given(db);
    const list = await call(w.api, 'GET', '/api/notifications/deliveries?status=failed', { as: w.as.admin });
    assert.equal(list.status, 200, list.text);
    assert.ok(answers(NotificationDeliveryList, list.body), `answers its documented schema: ${ajv.errorsText()}`);
    assert.deepEqual(list.body.items.map((i: { id: string }) => i.id), [w.failed], 'failed ones of recipients in scope only');
    const item = list.body.items[0];
    assert.deepEqual([item.channel, item.attempts, item.lastError, item.kind, item.recipient, item.nextAttemptAt, item.taskId], ['webhook', 1, 'The webhook refused the notification: HTTP 410', 'task.urge', { username: 'jddd01', displayName: '郭晓燕' }, null, w.task.taskId]);
    assert.doesNotMatch(list.text, /1385310\d{4}/, 'no phone numbers');
    const all = await call(w.api, 'GET', '/api/notifications/deliveries?channel=webhook&limit=1', { as: w.as.admin });
    assert.deepEqual([all.body.total, all.body.items.length], [2, 1]);
    const second = await call(w.api, 'GET', '/api/notifications/deliveries?channel=webhook&limit=1&offset=1', { as: w.as.admin });
    assert.deepEqual(new Set([all.body.items[0].id, second.body.items[0].id]), new Set([w.failed, w.delivered]));
    const bad = await call(w.api, 'GET', '/api/notifications/deliveries?status=lost', { as: w.as.admin });
    assert.deepEqual([bad.status, bad.body.error.details[0].target], [400, '/query/status']);
    assert.equal((await call(w.api, 'GET', '/api/notifications/deliveries', { as: w.as.jdld01 })).status, 403, 'operators only');

    const retried = await call(w.api, 'POST', `/api/notifications/deliveries/${w.failed}/retry`, { as: w.as.admin });
    assert.equal(retried.status, 200, retried.text);
    assert.ok(answers(NotificationDeliveryView, retried.body), ajv.errorsText());
    assert.deepEqual([retried.body.status, retried.body.attempts], ['pending', 0]);
    const audit = await db('audit_log').where({ action: 'notification.retryDelivery', target_id: w.failed }).first('actor_username');
    assert.equal(audit?.actor_username, 'admin', 'audited');
    assert.equal((await w.dispatcher.runOnce()).delivered, 1);
    const after = await call(w.api, 'GET', '/api/notifications/deliveries?status=delivered', { as: w.as.admin });
    assert.ok(after.body.items.some((i: { id: string; attempts: number }) => i.id === w.failed && i.attempts === 1), 'delivered on the fresh first attempt');
    const keys = w.hook.requests.map((r) => r.headers['idempotency-key']);
    assert.deepEqual(keys.filter((k) => k === w.failed).length, 2, 'sent again under the same idempotency key');

    const twice = await call(w.api, 'POST', `/api/notifications/deliveries/${w.delivered}/retry`, { as: w.as.admin });
    assert.deepEqual([twice.status, twice.body.error.code], [409, 'notifications.alreadyDelivered']);
    assert.equal((await call(w.api, 'POST', `/api/notifications/deliveries/${w.outside}/retry`, { as: w.as.admin })).status, 404, 'out of scope: as if it did not exist');
    assert.equal((await call(w.api, 'POST', `/api/notifications/deliveries/${randomUUID()}/retry`, { as: w.as.admin })).status, 404);
    assert.equal((await call(w.api, 'POST', `/api/notifications/deliveries/${w.failed}/retry`, { as: w.as.jdld01 })).status, 403);
    assert.equal((await db('notification_deliveries').where({ id: w.outside }).first('status'))?.status, 'failed', 'nothing changed out of scope');
  });

  test('a delivery in flight (leased) is not reset under the dispatcher', async ({ db }) => {
    const task = await givenAssignedTask(db);
    const id = await notifyDispatcher(db, task, '投递中');
    const claimed = await claimDue(db, ['webhook'], new Date(), 60_000, 50);
    const inFlight = claimed.find((c) => c.notificationId === id);
    assert.ok(inFlight);
    const as = await signIn(String(server?.url), 'admin');
    const r = await call(String(server?.url), 'POST', `/api/notifications/deliveries/${inFlight.id}/retry`, { as });
    assert.deepEqual([r.status, r.body.error.code], [409, 'notifications.deliveryInProgress']);
    const row = await db('notification_deliveries').where({ id: inFlight.id }).first('lease_token', 'attempts');
    assert.deepEqual([row.lease_token, Number(row.attempts)], [inFlight.leaseToken, 1], 'the lease and the attempt count stay');
    assert.equal(await db('audit_log').where({ action: 'notification.retryDelivery', target_id: inFlight.id }).first('id'), undefined, 'nothing audited for a refusal');
  });
});
