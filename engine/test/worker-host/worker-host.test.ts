import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BpmnError, definePlugin, PluginRegistry, WorkerHost } from '../../src/index.ts';
import type { StoredOutcome, TopicTask } from '../../src/index.ts';
import { eventually, startTestEngine } from '../../src/testing/index.ts';
import type { TestEngine } from '../../src/testing/index.ts';

const bpmn = readFileSync(new URL('./fixtures/worker-host.bpmn', import.meta.url), 'utf8');

describe('plugin registry', () => {
  const plugin = (id: string, topic: string) => definePlugin({ id, apiVersion: 1, setup: ({ topics }) => topics.register(topic, async () => ({})) });

  it('refuses a topic bound twice, naming both plugins', () => {
    const registry = new PluginRegistry().use(plugin('first', 'case.dispatch'));
    assert.throws(() => registry.use(plugin('second', 'case.dispatch')), /Topic case\.dispatch is already bound by plugin first; plugin second cannot bind it again/);
  });

  it('refuses registrations after start-up and plugins for another API version', () => {
    const registry = new PluginRegistry().freeze();
    assert.throws(() => registry.use(plugin('late', 'x.y')), /frozen/);
    assert.throws(() => new PluginRegistry().use({ id: 'old', apiVersion: 0, setup: () => undefined }), /targets plugin API 0/);
  });
});

describe('worker host against the real engine', () => {
  let engine: TestEngine;
  let host: WorkerHost | undefined;
  let registry: PluginRegistry;
  const calls: TopicTask[] = [];
  const stored = new Map<string, StoredOutcome>();
  let behaviour: (task: TopicTask) => Promise<{ variables?: Record<string, unknown> } | void> = async () => ({});

  before(async () => {
    engine = await startTestEngine();
    await engine.deploy('worker-host-test', { 'worker-host.bpmn': bpmn });
    registry = new PluginRegistry().use(definePlugin({
      id: 'test-worker', apiVersion: 1,
      setup: ({ topics }) => topics.register('test.work', async (task) => {
        calls.push(task);
        return behaviour(task);
      }, { maxAttempts: 3, retryBackoffMs: 50 }),
    })).freeze();
    host = new WorkerHost({
      engineRestUrl: engine.restUrl, secret: engine.secret, registry, workerId: 'test-host', asyncResponseTimeoutMs: 2000,
      store: { get: async (id) => stored.get(id), put: async (id, outcome) => { stored.set(id, outcome); } },
    });
    host.start();
  });
  after(async () => {
    host?.stop();
    await engine.stop();
  });

  const start = (businessKey: string, variables: Record<string, unknown> = {}) => engine.rest<{ id: string }>('POST', '/process-definition/key/worker-host-test/start', {
    businessKey, variables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, { value: v }])),
  });
  const waitForUserTask = (processInstanceId: string) => eventually('a user task', async () => {
    const tasks = await engine.rest<{ taskDefinitionKey: string }[]>('GET', `/task?processInstanceId=${processInstanceId}`);
    return tasks[0]?.taskDefinitionKey;
  });

  it('completes the external task with the handler variables (objects as JSON strings)', async () => {
    behaviour = async (task) => ({ variables: { handledBy: task.topic, summary: { level: 'street', departments: ['D01'] } } });
    const instance = await start('case-ok', { amount: 3 });
    assert.equal(await waitForUserTask(instance.id), 'done');
    const variables = await engine.rest<Record<string, { value: unknown; type: string }>>('GET', `/process-instance/${instance.id}/variables`);
    assert.equal(variables.handledBy?.value, 'test.work');
    assert.deepEqual(JSON.parse(String(variables.summary?.value)), { level: 'street', departments: ['D01'] });
    const call = calls.find((c) => c.businessKey === 'case-ok');
    assert.equal(call?.variables.amount, 3);
    assert.equal(call?.attempt, 1);
  });

  it('turns a BpmnError into the BPMN error boundary', async () => {
    behaviour = async () => {
      throw new BpmnError('REJECTED', 'no responsible department', { reason: 'unknown subclass' });
    };
    const instance = await start('case-rejected');
    assert.equal(await waitForUserTask(instance.id), 'handleRejection');
    const reason = await engine.rest<{ value: string }>('GET', `/process-instance/${instance.id}/variables/reason`);
    assert.equal(reason.value, 'unknown subclass');
  });

  it('retries technical failures with backoff, then raises an incident with the error', async () => {
    behaviour = async (task) => {
      throw new Error(`backend down (attempt ${task.attempt})`);
    };
    const instance = await start('case-failing');
    const incident = await eventually('an incident', async () => {
      const incidents = await engine.rest<{ incidentMessage: string; activityId: string }[]>('GET', `/incident?processInstanceId=${instance.id}`);
      return incidents[0];
    });
    assert.equal(incident.activityId, 'work');
    assert.equal(incident.incidentMessage, 'backend down (attempt 3)');
    assert.deepEqual(calls.filter((c) => c.businessKey === 'case-failing').map((c) => c.attempt), [1, 2, 3]);
  });

  it('completes a re-delivered task with the stored outcome without running the handler again', async () => {
    // A task handled before a crash: its outcome is stored, the engine still has it open.
    host?.stop();
    const instance = await start('case-redelivered');
    const [external] = await engine.rest<{ id: string }[]>('GET', `/external-task?processInstanceId=${instance.id}`);
    assert.ok(external);
    stored.set(external.id, { kind: 'completed', variables: { fromStore: true } });
    let runs = 0;
    behaviour = async () => {
      runs += 1;
      return {};
    };
    host = new WorkerHost({
      engineRestUrl: engine.restUrl, secret: engine.secret, registry, workerId: 'test-host-2', asyncResponseTimeoutMs: 2000,
      store: { get: async (id) => stored.get(id), put: async (id, outcome) => { stored.set(id, outcome); } },
    });
    host.start();
    assert.equal(await waitForUserTask(instance.id), 'done');
    assert.equal(runs, 0, 'the handler did not run again');
    const variable = await engine.rest<{ value: boolean }>('GET', `/process-instance/${instance.id}/variables/fromStore`);
    assert.equal(variable.value, true);
  });
});
