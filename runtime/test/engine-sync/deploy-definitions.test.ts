import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { createEngineClient } from '@gridflow/engine';
import { startTestEngine } from '@gridflow/engine/testing';
import type { TestEngine } from '@gridflow/engine/testing';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { DefinitionsService } from '../../src/definitions/definitions.service.ts';
import { deployActiveDefinitions } from '../../src/engine-host/deploy-definitions.ts';
import { coreTopicNames } from '../../src/engine-host/core-topics.ts';
import { copyPackages } from '../support/package-copies.ts';

const form = (key: string, name: string) => JSON.stringify({ key, name, version: 1, type: 'object', properties: { opinion: { type: 'string', title: '意见' } } });

describe('deploying published definitions', () => {
  let engine: TestEngine;
  let db: Knex;
  before(async () => {
    engine = await startTestEngine();
    db = openDatabase(`sqlite:${join(mkdtempSync(join(tmpdir(), 'gf-deploy-')), 'gridflow.db')}`);
    await migrateLatest(db);
  });
  after(async () => {
    await db.destroy();
    await engine.stop();
  });

  it('deploys the processes of the active versions once, and only what changed', async () => {
    const copies = copyPackages();
    mkdirSync(join(copies.district, 'processes'));
    mkdirSync(join(copies.district, 'forms'));
    cpSync(new URL('./fixtures/closed-loop-lite.bpmn', import.meta.url), join(copies.district, 'processes', 'closed-loop-lite.bpmn'));
    writeFileSync(join(copies.district, 'forms', 'event-register.form.json'), form('event-register', '立案'));
    writeFileSync(join(copies.district, 'forms', 'event-handle.form.json'), form('event-handle', '处置'));
    writeFileSync(join(copies.district, 'forms', 'event-verify.form.json'), form('event-verify', '核查'));
    const service = new DefinitionsService(db, undefined, new Set(['gridflow.notify.webhook', ...coreTopicNames]));
    await service.import(copies.district);

    const client = createEngineClient({ baseUrl: engine.process.url, secret: engine.secret });
    const first = await deployActiveDefinitions(db, client);
    assert.deepEqual(first.map((d) => ({ ...d, processKeys: [...d.processKeys].sort() })), [{ ref: 'demo-district@2026.1.0', created: true, processKeys: ['case-handling', 'closed-loop-lite', 'whistle'] }],
      'the district is deployed with the processes it inherits; its base is not deployed beside it');
    const again = await deployActiveDefinitions(db, client);
    assert.equal(again[0]?.created, false, 'unchanged processes are not deployed again');
    const started = await client.processInstances.startByKey('closed-loop-lite', { businessKey: 'case-deploy' });
    assert.ok(started.id);
  });

  it('refuses to publish a process that fails the pre-deploy checks', async () => {
    const copies = copyPackages();
    copies.edit(join(copies.district, 'manifest.yaml'), /version: .*/, 'version: 2026.9.0');
    mkdirSync(join(copies.district, 'processes'));
    writeFileSync(join(copies.district, 'processes', 'bad.bpmn'), `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="bad" name="坏流程" isExecutable="true">
    <bpmn:startEvent id="s" name="开始" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="calc" />
    <bpmn:serviceTask id="calc" name="计算" camunda:class="org.example.Evil" />
    <bpmn:sequenceFlow id="f2" sourceRef="calc" targetRef="e" />
    <bpmn:endEvent id="e" name="结束" />
  </bpmn:process>
</bpmn:definitions>`);
    const service = new DefinitionsService(db, undefined, new Set(['gridflow.notify.webhook']));
    await assert.rejects(service.import(copies.district), (e: unknown) => {
      const problems = (e as { problems: { code: string; message: { en: string } }[] }).problems;
      assert.ok(problems.some((p) => p.code === 'bpmn.rule' && /no-java-delegate/.test(p.message.en)), JSON.stringify(problems.map((p) => p.message.en)));
      return true;
    });
    assert.equal(await db('definition_versions').where({ version: '2026.9.0' }).first(), undefined);
  });
});
