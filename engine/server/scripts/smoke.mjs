#!/usr/bin/env node
// End-to-end smoke test of the engine server jar: auth, deployment, a user task and an external
// task with an incident, the outbox rows they leave, a rolled-back start that leaves none, ack
// and long-poll. Builds the jar first if needed (build.mjs), runs it on a free port with a
// throw-away H2 directory, and stops it again.
//
//   node engine/server/scripts/smoke.mjs [operaton|camunda|all]
//
// Ends with the line "N passed, N failed"; exit code 0 only if nothing failed.
// Plain Node 20 ESM, no dependencies.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildEngine, FLAVOURS } from './build.mjs';

const DEMO_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="smokeDefs" targetNamespace="http://gridflow.dev/smoke">
  <bpmn:process id="smoke" name="Smoke" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <bpmn:userTask id="review" name="Review" camunda:candidateGroups="clerks"
        camunda:formKey="gridflow:form:review:v1" camunda:dueDate="\${dueAt}"/>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="dispatch"/>
    <bpmn:serviceTask id="dispatch" camunda:type="external" camunda:topic="smoke.topic"/>
    <bpmn:sequenceFlow id="f3" sourceRef="dispatch" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>`;

// the gateway condition throws: the start must roll back and leave no outbox row
const BROKEN_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="brokenDefs" targetNamespace="http://gridflow.dev/smoke">
  <bpmn:process id="smokeBroken" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw"/>
    <bpmn:exclusiveGateway id="gw" default="f3"/>
    <bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="task">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${nonExisting == 'x'}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="task"/>
    <bpmn:userTask id="task"/>
    <bpmn:sequenceFlow id="f4" sourceRef="task" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>`;

let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : ` -- ${detail}`}`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts the jar; resolves with { base, auth, stop, output } once /gridflow/health is UP. */
async function startEngine(jar) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-engine-smoke-'));
  const secret = randomBytes(12).toString('hex');
  const output = [];
  const child = spawn('java', ['-jar', jar], {
    env: { ...process.env, ENGINE_SECRET: secret, ENGINE_DATA_DIR: dataDir, ENGINE_PORT: String(port), ENGINE_BIND: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => output.push(d));
  child.stderr.on('data', (d) => output.push(d));
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(30_000).then(() => child.kill('SIGKILL'))]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  while (Date.now() - started < 180_000) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${base}/gridflow/health`);
      if (res.ok) {
        const auth = `Basic ${Buffer.from(`gridflow:${secret}`).toString('base64')}`;
        return { base, auth, stop, output, startupMs: Date.now() - started };
      }
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`engine did not become healthy:\n${Buffer.concat(output).toString().slice(-3000)}`);
}

async function run(flavour) {
  const { jar } = buildEngine(flavour);
  console.log(`# ${flavour}: ${jar}`);
  const engine = await startEngine(jar);
  const { base, auth } = engine;
  const call = async (method, path, body, headers = {}) => {
    const init = { method, headers: { Authorization: auth, ...headers } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = text; }
    return { status: res.status, json };
  };
  try {
    console.log(`# healthy after ${engine.startupMs} ms`);
    const health = await (await fetch(`${base}/gridflow/health`)).json();
    check('health is open and names the flavour', health.status === 'UP' && health.flavour === flavour, JSON.stringify(health));
    check('engine-rest without auth is 401', (await fetch(`${base}/engine-rest/engine`)).status === 401);
    check('outbox with a wrong password is 401', (await call('GET', '/gridflow/outbox/stats', undefined,
      { Authorization: `Basic ${Buffer.from('gridflow:wrong').toString('base64')}` })).status === 401);

    const form = new FormData();
    form.append('deployment-name', 'smoke');
    form.append('smoke.bpmn', new Blob([DEMO_BPMN], { type: 'application/xml' }), 'smoke.bpmn');
    form.append('broken.bpmn', new Blob([BROKEN_BPMN], { type: 'application/xml' }), 'broken.bpmn');
    const deployment = await call('POST', '/engine-rest/deployment/create', form);
    check('deployment accepted (camunda: namespace)', deployment.status === 200, JSON.stringify(deployment.json));

    const instance = await call('POST', '/engine-rest/process-definition/key/smoke/start', {
      businessKey: 'smoke-1', variables: { dueAt: { value: '2030-01-02T03:04:05.678+0000', type: 'Date' } },
    });
    const pi = instance.json?.id;
    const [task] = (await call('GET', `/engine-rest/task?processInstanceId=${pi}`)).json ?? [];
    await call('POST', `/engine-rest/task/${task?.id}/claim`, { userId: 'zhang.san' });
    await call('POST', `/engine-rest/task/${task?.id}/identity-links`, { groupId: 'auditors', type: 'candidate' });
    await call('POST', `/engine-rest/task/${task?.id}/complete`, {});
    const fetchBody = { workerId: 'smoke', maxTasks: 1, topics: [{ topicName: 'smoke.topic', lockDuration: 60000 }] };
    const [ext] = (await call('POST', '/engine-rest/external-task/fetchAndLock', fetchBody)).json ?? [];
    await call('POST', `/engine-rest/external-task/${ext?.id}/failure`, { workerId: 'smoke', errorMessage: 'backend down', retries: 0, retryTimeout: 0 });
    await call('PUT', `/engine-rest/external-task/${ext?.id}/retries`, { retries: 1 });
    const [ext2] = (await call('POST', '/engine-rest/external-task/fetchAndLock', fetchBody)).json ?? [];
    await call('POST', `/engine-rest/external-task/${ext2?.id}/complete`, { workerId: 'smoke' });

    const rows = (await call('GET', '/gridflow/outbox?limit=100')).json ?? [];
    const types = rows.map((r) => r.type);
    const expected = ['instance.started', 'task.created', 'task.assigned', 'task.updated', 'task.completed',
      'incident.created', 'incident.resolved', 'instance.ended'];
    check('outbox rows in order', JSON.stringify(types) === JSON.stringify(expected), types.join(','));
    const byType = Object.fromEntries(rows.map((r) => [r.type, r]));
    const created = byType['task.created'];
    check('task.created carries candidates, due date, form key',
      created?.payload.candidateGroups?.join() === 'clerks' && created?.payload.dueDate === '2030-01-02T03:04:05.678Z'
        && created?.payload.formKey === 'gridflow:form:review:v1' && created?.businessKey === 'smoke-1',
      JSON.stringify(created));
    check('task.assigned carries the assignee', byType['task.assigned']?.payload.assignee === 'zhang.san');
    check('task.updated lists the candidate change', byType['task.updated']?.payload.changes?.includes('candidates')
      && byType['task.updated']?.payload.candidateGroups?.join() === 'auditors,clerks', JSON.stringify(byType['task.updated']?.payload));
    check('incident.created carries type and message', byType['incident.created']?.payload.incidentType === 'failedExternalTask'
      && byType['incident.created']?.payload.incidentMessage === 'backend down');
    check('occurredAt is ISO-8601 UTC with ms', rows.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.occurredAt)));

    const before = (await call('GET', '/gridflow/outbox/stats')).json;
    const broken = await call('POST', '/engine-rest/process-definition/key/smokeBroken/start', { businessKey: 'must-not-appear' });
    const after = (await call('GET', '/gridflow/outbox/stats')).json;
    check('failing start is rejected', broken.status === 500, `status ${broken.status}`);
    check('rolled-back transaction left no outbox row', before?.pending === after?.pending && before?.pending === rows.length,
      `${JSON.stringify(before)} -> ${JSON.stringify(after)}`);

    const ids = rows.map((r) => r.id);
    const ack = (await call('POST', '/gridflow/outbox/ack', { ids: [...ids, 987654321] })).json;
    const again = (await call('POST', '/gridflow/outbox/ack', { ids })).json;
    const stats = (await call('GET', '/gridflow/outbox/stats')).json;
    check('ack removes rows, ignores unknown ids, is idempotent',
      ack?.acknowledged === ids.length && again?.acknowledged === 0 && stats?.pending === 0 && stats?.oldestId === null,
      `${JSON.stringify(ack)} ${JSON.stringify(again)} ${JSON.stringify(stats)}`);

    const pollStart = Date.now();
    const poll = call('GET', '/gridflow/outbox?waitMs=15000');
    await sleep(500);
    await call('POST', '/engine-rest/process-definition/key/smoke/start', { businessKey: 'smoke-2', variables: { dueAt: { value: null, type: 'Null' } } });
    const woken = await poll;
    check('long-poll wakes on commit', woken.json?.[0]?.type === 'instance.started' && Date.now() - pollStart < 5000,
      `${Date.now() - pollStart} ms ${JSON.stringify(woken.json)?.slice(0, 200)}`);
  } finally {
    await engine.stop();
  }
}

const which = process.argv[2] ?? 'operaton';
if (![...FLAVOURS, 'all'].includes(which)) {
  console.error('usage: node engine/server/scripts/smoke.mjs [operaton|camunda|all]');
  process.exit(2);
}
try {
  for (const flavour of which === 'all' ? FLAVOURS : [which]) await run(flavour);
} catch (error) {
  failed++;
  console.log(`FAIL ${error.message}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
