/**
 * The wiring of `gridflow demo` / `serve`: with GRIDFLOW_WEBHOOK_URL set, the server starts the
 * dispatcher, and a 催办 through its API reaches a real receiver, signed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually } from '@gridflow/engine/testing';
import { openDatabase } from '../../src/db/connection.ts';
import { call } from '../support/api-server.ts';
import { givenAssignedTask, SECRET, webhookEnv } from './delivery-world.ts';
import { startReceiver } from './webhook-receiver.ts';

const bin = fileURLToPath(new URL('../../bin/gridflow.mjs', import.meta.url));

describe('gridflow demo with a webhook URL', () => {
  it('delivers a 催办 made through its API to the webhook', async () => {
    const receiver = await startReceiver();
    const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-notify-demo-'));
    const child = spawn(process.execPath, [bin, 'demo'], {
      env: { ...process.env, ...webhookEnv(receiver.url), DATA_DIR: dataDir, PORT: '0', GRIDFLOW_LANG: 'en', GRIDFLOW_PLUGINS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const db = openDatabase(`sqlite:${join(dataDir, 'gridflow.db')}`);
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /Open (http:\/\/\S+)/.exec(out);
          if (m?.[1] && out.includes('Press Ctrl+C')) resolve(m[1].replace(/\/$/, ''));
        });
        child.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${err}`)));
      });
      const password = /password (\S+)\):/.exec(out)?.[1] ?? '';
      const task = await givenAssignedTask(db);
      const login = await call(url, 'POST', '/api/auth/login', { body: { username: 'jdld01', password, mode: 'bearer' } });
      assert.equal(login.status, 200, login.text);
      const urged = await call(url, 'POST', `/api/tasks/${task.taskId}/urge`, { as: { bearer: login.body.token }, body: { message: '演示环境催办' } });
      assert.equal(urged.status, 200, urged.text);
      const req = await eventually('the webhook request', async () => receiver.requests[0]);
      assert.equal(req.body.notification.taskId, task.taskId);
      assert.equal(req.body.notification.recipient.username, 'jddd01');
      assert.equal(req.headers['x-gridflow-signature'], `sha256=${createHmac('sha256', SECRET).update(req.raw).digest('hex')}`);
      const delivery = await db('notification_deliveries').where({ id: req.headers['idempotency-key'] }).first('channel_id');
      assert.equal(delivery?.channel_id, 'webhook');
    } finally {
      child.kill('SIGTERM');
      await db.destroy();
      await receiver.close();
    }
  });
});
