/**
 * Crashes and restarts, on SQLite and MariaDB: a notification accepted while no dispatcher runs is
 * delivered by the next runtime process; a runtime killed (kill -9) after the receiver got the
 * request but before it answered is followed by another that sends the delivery again with the same
 * idempotency key once the lease has ended, so a receiver that dedupes by key handles it once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { eventually } from '@gridflow/engine/testing';
import { routeNotificationsTo } from '../../src/notifications/delivery-queue.ts';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.ts';
import { prepareDemoDatabase } from '../support/api-server.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { deliveriesOf, givenAssignedTask, notifyDispatcher, registryFor, testLogger, webhookEnv } from './delivery-world.ts';
import { startReceiver } from './webhook-receiver.ts';
import type { WebhookReceiver } from './webhook-receiver.ts';

const fixture = fileURLToPath(new URL('./dispatcher.fixture.ts', import.meta.url));

/** Starts a runtime process that delivers notifications; resolves once its loop runs. */
function startRuntime(databaseUrl: string, receiverUrl: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...webhookEnv(receiverUrl), DATABASE_URL: databaseUrl, DATA_DIR: mkdtempSync(join(tmpdir(), 'gf-notify-')), GRIDFLOW_PLUGINS: '@gridflow/plugin-webhook' };
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
    child.stdout?.on('data', (c: Buffer) => { if (c.toString().includes('READY')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`the runtime exited with ${code}: ${err.slice(-2000)}`)));
  });
}

/** kill -9, and wait until it is gone. */
async function kill(child: ChildProcess): Promise<void> {
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

describeEachDatabase('notification delivery across crashes', (test) => {
  let receiver: WebhookReceiver | undefined;
  const children: ChildProcess[] = [];
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) await kill(c);
    await receiver?.close();
  });
  const given = async (db: Knex) => {
    if (!(await db.schema.hasTable('users')) || !(await db('users').first('id'))) await prepareDemoDatabase(db);
    receiver ??= await startReceiver();
    receiver.requests.length = 0;
    receiver.hold = false;
    await db('notification_deliveries').delete();
    return { receiver, task: await givenAssignedTask(db) };
  };

  test('accepted while no dispatcher ran: the next runtime process delivers it once', async ({ db, url }) => {
    const { receiver: hook, task } = await given(db);
    routeNotificationsTo(['webhook']);
    const id = await notifyDispatcher(db, task, '进程崩溃前已受理');
    assert.equal((await deliveriesOf(db, id)).webhook?.status, 'pending', 'queued with the notification');
    const runtime = await startRuntime(url, hook.url);
    children.push(runtime);
    const row = await eventually('delivered by the new process', async () => {
      const d = (await deliveriesOf(db, id)).webhook;
      return d?.status === 'delivered' ? d : undefined;
    });
    await kill(runtime);
    assert.equal(Number(row.attempts), 1);
    assert.deepEqual([...hook.processed()], [[row.id, 1]]);
    assert.equal(hook.requests[0]?.body.notification.id, id);
  });

  test('killed mid-delivery: another process sends it again with the same key after the lease; the receiver handles it once', async ({ db, url }) => {
    const { receiver: hook, task } = await given(db);
    routeNotificationsTo(['webhook']);
    const id = await notifyDispatcher(db, task, '投递途中进程被杀');
    hook.hold = true;
    const runtime = await startRuntime(url, hook.url);
    children.push(runtime);
    const first = await eventually('the runtime to send the request', async () => hook.requests[0]);
    await kill(runtime);
    hook.hold = false;
    let row = (await deliveriesOf(db, id)).webhook as Record<string, unknown>;
    assert.deepEqual([row.status, Number(row.attempts)], ['pending', 1], 'the killed attempt still holds its lease');
    const leaseEnds = new Date(row.lease_until as string | number).getTime();

    const registry = await registryFor(hook.url);
    const before = new NotificationDispatcher(db, { channels: registry.channels(), logger: testLogger, maxAttempts: 5, retryBaseMs: 30_000, clock: () => new Date(leaseEnds - 1) });
    assert.equal((await before.runOnce()).claimed, 0, 'nobody takes it over while the lease lasts');
    const restarted = new NotificationDispatcher(db, { channels: registry.channels(), logger: testLogger, maxAttempts: 5, retryBaseMs: 30_000, clock: () => new Date(leaseEnds) });
    assert.equal((await restarted.runOnce()).delivered, 1);
    row = (await deliveriesOf(db, id)).webhook as Record<string, unknown>;
    assert.deepEqual([row.status, Number(row.attempts)], ['delivered', 2]);
    const keys = hook.requests.map((r) => r.headers['idempotency-key']);
    assert.deepEqual(keys, [row.id, row.id], 'sent twice, with the same idempotency key');
    assert.equal(hook.requests[1]?.raw, first.raw, 'and the same body');
    assert.deepEqual([...hook.processed()], [[row.id, 1]], 'the receiver handled it once');
  });
});
