import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { PluginRegistry, WorkerHost } from '@gridflow/engine';
import { eventually, startTestEngine } from '@gridflow/engine/testing';
import type { TestEngine } from '@gridflow/engine/testing';
import { webhookPlugin } from '../src/index.ts';
import type { WebhookPayload } from '../src/index.ts';

const bpmn = readFileSync(new URL('./fixtures/notify.bpmn', import.meta.url), 'utf8');

describe('webhook channel plugin', () => {
  let engine: TestEngine;
  let host: WorkerHost;
  const received: { body: WebhookPayload; key: string | undefined; auth: string | undefined; raw: string; signature: string | undefined }[] = [];
  let answer = 200;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      received.push({
        body: JSON.parse(body) as WebhookPayload, key: req.headers['idempotency-key'] as string | undefined, auth: req.headers.authorization,
        raw: body, signature: req.headers['x-gridflow-signature'] as string | undefined,
      });
      res.statusCode = answer;
      res.end();
    });
  });
  let url = '';

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    engine = await startTestEngine();
    await engine.deploy('notify-test', { 'notify.bpmn': bpmn });
    const registry = new PluginRegistry().use(webhookPlugin({ token: 't0ken', secret: 's3cret' }, () => new Date('2026-11-23T08:00:00Z'))).freeze();
    host = new WorkerHost({ engineRestUrl: engine.restUrl, secret: engine.secret, registry, workerId: 'webhook-test', asyncResponseTimeoutMs: 2000 });
    host.start();
  });
  after(async () => {
    host.stop();
    await engine.stop();
    server.close();
  });

  const run = async (businessKey: string) => {
    const instance = await engine.rest<{ id: string }>('POST', '/process-definition/key/notify-test/start', {
      businessKey,
      variables: {
        webhookUrl: { value: url }, notifyEvent: { value: 'case.overdue' }, notifyMessage: { value: '案件已超期' },
        notifyData: { value: JSON.stringify({ level: 'red' }) },
      },
    });
    await eventually('the instance to end', async () => {
      const [h] = await engine.rest<{ state: string }[]>('GET', `/history/process-instance?processInstanceId=${instance.id}`);
      return h?.state === 'COMPLETED' ? h : undefined;
    });
    const activities = await engine.rest<{ activityId: string }[]>('GET', `/history/activity-instance?processInstanceId=${instance.id}&activityType=noneEndEvent`);
    return activities.map((a) => a.activityId);
  };

  it('posts the case event with an idempotency key, a bearer token and a signature', async () => {
    answer = 200;
    assert.deepEqual(await run('case-hook-1'), ['end']);
    const call = received.find((r) => r.body.caseId === 'case-hook-1');
    assert.ok(call);
    assert.deepEqual({ ...call.body, processInstanceId: '' }, {
      event: 'case.overdue', caseId: 'case-hook-1', processInstanceId: '', activityId: 'notify', message: '案件已超期',
      data: { level: 'red' }, sentAt: '2026-11-23T08:00:00.000Z',
    });
    assert.ok(call.key && call.key.length > 10);
    assert.equal(call.auth, 'Bearer t0ken');
    assert.equal(call.signature, `sha256=${createHmac('sha256', 's3cret').update(call.raw).digest('hex')}`);
  });

  it('a refusing receiver (4xx) takes the WEBHOOK_REJECTED boundary', async () => {
    answer = 422;
    assert.deepEqual(await run('case-hook-2'), ['endRejected']);
  });
});
