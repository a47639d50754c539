// The engine client against the real engines (both flavours): deployments, typed variables, task
// and instance operations, and how engine failures reach the caller.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EngineRequestError, EngineServerError, createEngineClient, typed } from '../../src/index.ts';
import type { DeploymentResource, EngineClient } from '../../src/index.ts';
import { flavours, useEngines } from '../conformance/support/test-engines.ts';
import { businessKey, openTask, openTaskKeys, stateOf, visited } from '../conformance/support/process-helpers.ts';

const engineFor = useEngines();
const resource = (name: string): DeploymentResource => ({ name, content: readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8') });
const rejection = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected a rejection'), (e: unknown) => e);

for (const flavour of flavours) {
  describe(`engine client [${flavour}]`, () => {
    let client: EngineClient;
    before(async () => {
      client = engineFor(flavour).client;
      await client.deployments.deploy({ name: 'client-case', resources: [resource('client-case.bpmn')] });
    });

    describe('deployments', () => {
      it('deploying unchanged resources again with deploy-changed-only returns the same definitions', async () => {
        // given
        const input = { name: 'client-deploy', deployChangedOnly: true, resources: [resource('client-notice.bpmn'), resource('client-case.bpmn')] };
        const first = await client.deployments.deploy(input);
        // when
        const second = await client.deployments.deploy(input);
        // then
        assert.equal(second.created, false);
        assert.equal(second.deploymentId, first.deploymentId);
        const ids = (r: typeof first) => r.processDefinitions.map((d) => d.id).sort();
        assert.deepEqual(ids(second), ids(first));
        assert.deepEqual(first.processDefinitions.map((d) => d.key).sort(), ['client-case', 'client-notice']);
      });

      it('deploying with one changed resource deploys only that one and reports both definitions', async () => {
        // given
        const notice = resource('client-notice.bpmn');
        const base = await client.deployments.deploy({ name: 'client-partial', deployChangedOnly: true, resources: [notice, resource('client-case.bpmn')] });
        const changed = { name: notice.name, content: String(notice.content).replace('name="Read notice"', 'name="Read the notice"') };
        // when
        const next = await client.deployments.deploy({ name: 'client-partial', deployChangedOnly: true, resources: [changed, resource('client-case.bpmn')] });
        // then
        assert.equal(next.created, true);
        const byKey = (r: typeof base, key: string) => r.processDefinitions.find((d) => d.key === key);
        assert.equal(byKey(next, 'client-case')?.id, byKey(base, 'client-case')?.id, 'unchanged: same definition');
        assert.equal(byKey(next, 'client-notice')?.version, (byKey(base, 'client-notice')?.version ?? 0) + 1);
      });

      it('a BPMN file the engine cannot parse is rejected with the engine\'s message', async () => {
        const broken = { name: 'broken.bpmn', content: String(resource('client-notice.bpmn').content).replace('targetRef="read-notice"', 'targetRef="missing"') };
        const error = await rejection(client.deployments.deploy({ name: 'client-broken', resources: [broken] }));
        assert.ok(error instanceof EngineRequestError);
        assert.equal(error.status, 400);
        assert.match(error.engineMessage, /missing/);
        assert.match(error.message, /missing/);
      });
    });

    describe('start and variables', () => {
      it('starts with a business key and typed variables that come back with their types', async () => {
        // given
        const variables = {
          title: '井盖缺失', urgent: true, count: 3, population: 3_000_000_000, ratio: 0.75, exact: typed('Double', 2),
          reportedAt: new Date('2026-03-01T08:30:15.123Z'), note: null, location: { lng: 116.4, lat: 39.9, tags: ['road'] },
        };
        // when
        const key = businessKey('typed');
        const started = await client.processInstances.startByKey('client-case', { businessKey: key, variables });
        // then
        assert.equal(started.businessKey, key);
        const raw = await client.rest.GET('/process-instance/{id}/variables', { params: { path: { id: started.id } } });
        const types = Object.fromEntries(Object.entries(raw.data ?? {}).map(([name, v]) => [name, v.type]));
        assert.deepEqual(types, {
          title: 'String', urgent: 'Boolean', count: 'Integer', population: 'Long', ratio: 'Double', exact: 'Double',
          reportedAt: 'Date', note: 'Null', location: 'String',
        });
        assert.deepEqual(await client.processInstances.variables(started.id, { json: ['location'] }), { ...variables, exact: 2 });
        assert.deepEqual(started.variables.reportedAt, variables.reportedAt);
      });

      it('an unknown process key is a 404 with the engine\'s message', async () => {
        const error = await rejection(client.processInstances.startByKey('no-such-process'));
        assert.ok(error instanceof EngineRequestError);
        assert.equal(error.status, 404);
        assert.match(error.engineMessage, /no-such-process/);
        assert.match(error.localized['zh-CN'], /no-such-process/);
      });

      it('a wrong secret fails with an error that says authentication failed', async () => {
        const intruder = createEngineClient({ baseUrl: engineFor(flavour).url, secret: 'not-the-secret' });
        const error = await rejection(intruder.tasks.query());
        assert.ok(error instanceof EngineRequestError);
        assert.equal(error.status, 401);
        assert.ok(error.isAuthenticationFailure);
        assert.match(error.message, /Authentication with the process engine failed/);
      });
    });

    describe('tasks', () => {
      it('queries by business key, candidate group, assignee and key, page by page', async () => {
        // given
        const key = businessKey('query');
        const ids = [];
        for (let i = 0; i < 3; i += 1) ids.push((await client.processInstances.startByKey('client-case', { businessKey: `${key}-${i}` })).id);
        // when
        const [first] = await client.tasks.query({ businessKey: `${key}-1` });
        await client.tasks.claim(first?.id ?? '', 'wang.wu');
        // then
        const page1 = await client.tasks.query({ candidateGroup: 'grid-worker', taskDefinitionKey: 'register', processDefinitionKey: 'client-case' }, { firstResult: 0, maxResults: 1 });
        assert.equal(page1.length, 1);
        assert.equal((await client.tasks.query({ assignee: 'wang.wu' })).map((t) => t.id).join(), first?.id);
        assert.equal(await client.tasks.count({ processInstanceId: ids[0] }), 1);
        const offered = await client.tasks.query({ candidateGroup: 'grid-worker', taskDefinitionKey: 'register' });
        assert.ok(!offered.some((t) => t.id === first?.id), 'a claimed task is no longer offered');
        const withClaimed = await client.tasks.query({ candidateGroup: 'grid-worker', taskDefinitionKey: 'register', includeAssigned: true });
        assert.ok(withClaimed.some((t) => t.id === first?.id));
      });

      it('claim, conflict, unclaim, set assignee, delegate, resolve and complete', async () => {
        // given
        const started = await client.processInstances.startByKey('client-case', { businessKey: businessKey('task') });
        const task = await openTask(client, started.id, 'register');
        // when / then
        await client.tasks.claim(task.id, 'li.si');
        const conflict = await rejection(client.tasks.claim(task.id, 'zhang.san'));
        assert.ok(conflict instanceof EngineRequestError && conflict.type === 'TaskAlreadyClaimedException');
        await client.tasks.unclaim(task.id);
        assert.equal((await client.tasks.get(task.id))?.assignee, null);
        await client.tasks.setAssignee(task.id, 'zhang.san');
        await client.tasks.delegate(task.id, 'zhao.liu');
        const delegated = await client.tasks.get(task.id);
        assert.deepEqual([delegated?.assignee, delegated?.owner, delegated?.delegationState], ['zhao.liu', 'zhang.san', 'PENDING']);
        await client.tasks.resolve(task.id, { checked: true });
        assert.deepEqual([(await client.tasks.get(task.id))?.assignee, (await client.tasks.get(task.id))?.delegationState], ['zhang.san', 'RESOLVED']);
        const after = await client.tasks.complete(task.id, { registeredBy: 'zhang.san' });
        assert.deepEqual(after, { checked: true, registeredBy: 'zhang.san' });
        assert.equal(await client.tasks.get(task.id), null);
        assert.deepEqual(await openTaskKeys(client, started.id), ['handle']);
      });
    });

    describe('process instances', () => {
      it('modification starts before an activity and cancels the current one', async () => {
        // given
        const started = await client.processInstances.startByKey('client-case', { businessKey: businessKey('modify') });
        const tree = await client.processInstances.activityInstances(started.id);
        const register = tree.childActivityInstances?.find((a) => a.activityId === 'register');
        // when
        await client.processInstances.modify(started.id, [
          { type: 'startBeforeActivity', activityId: 'review' },
          { type: 'cancel', activityInstanceId: register?.id ?? '' },
        ], { annotation: 'skip handling: duplicate report' });
        // then
        assert.deepEqual(await openTaskKeys(client, started.id), ['review']);
        assert.deepEqual(await visited(client, started.id), ['reported', 'register', 'review']);
      });

      it('a suspended instance refuses work until it is activated; a deleted one is terminated', async () => {
        // given
        const started = await client.processInstances.startByKey('client-case', { businessKey: businessKey('suspend') });
        const task = await openTask(client, started.id, 'register');
        // when
        await client.processInstances.suspend(started.id);
        // then
        assert.equal((await client.processInstances.get(started.id))?.suspended, true);
        const refused = await rejection(client.tasks.complete(task.id));
        assert.ok(refused instanceof EngineServerError || refused instanceof EngineRequestError);
        assert.match((refused as Error).message, /suspended/);
        await client.processInstances.activate(started.id);
        await client.tasks.complete(task.id);
        await client.processInstances.delete(started.id);
        assert.equal(await client.processInstances.get(started.id), null);
        assert.equal(await stateOf(client, started.id), 'EXTERNALLY_TERMINATED');
        const gone = await rejection(client.processInstances.delete(started.id));
        assert.ok(gone instanceof EngineRequestError && gone.status === 404);
      });
    });
  });
}
