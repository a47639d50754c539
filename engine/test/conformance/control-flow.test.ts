// Conformance of control flow on the real engines (both flavours): exclusive, parallel and inclusive
// gateways, parallel and sequential multi-instance over a collection, call activity.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineClient } from '../../src/index.ts';
import { flavours, useEngines } from './support/test-engines.ts';
import { assertCompletedAt, businessKey, completeTask, deployFixtures, openTask, openTaskKeys, visited, visits } from './support/process-helpers.ts';

const engineFor = useEngines();

for (const flavour of flavours) {
  describe(`control flow [${flavour}]`, () => {
    let client: EngineClient;
    before(async () => {
      client = engineFor(flavour).client;
      await deployFixtures(client, 'conformance-control-flow', [
        'exclusive-gateway.bpmn', 'parallel-gateway.bpmn', 'inclusive-gateway.bpmn',
        'multi-instance-parallel.bpmn', 'multi-instance-sequential.bpmn', 'multi-instance-json-list.bpmn',
        'call-parent.bpmn', 'call-child.bpmn',
      ]);
    });

    describe('exclusive gateway', () => {
      const cases = [
        { severity: 'major', task: 'district-review' },
        { severity: 'minor', task: 'grid-handle' },
        { severity: 'unclassified', task: 'community-handle' },
      ];
      for (const { severity, task } of cases) {
        it(`given severity "${severity}", when it is triaged, then ${task} handles it and the case closes`, async () => {
          // given / when
          const started = await client.processInstances.startByKey('cf-exclusive', { businessKey: businessKey('exclusive'), variables: { severity } });
          // then
          assert.deepEqual(await openTaskKeys(client, started.id), [task]);
          await completeTask(client, started.id, task);
          assert.deepEqual(await visited(client, started.id), ['reported', 'triage', task, 'triage-merge', 'closed']);
          await assertCompletedAt(client, started.id, 'closed');
        });
      }
    });

    describe('parallel gateway with an exclusive split and merge in one branch', () => {
      it('given a site visit is needed, when both branches finish, then they join and the case closes', async () => {
        // given
        const started = await client.processInstances.startByKey('cf-parallel', { businessKey: businessKey('parallel'), variables: { needsSiteVisit: true } });
        assert.deepEqual(await openTaskKeys(client, started.id), ['notify-department', 'site-visit']);
        // when
        await completeTask(client, started.id, 'site-visit');
        assert.deepEqual(await openTaskKeys(client, started.id), ['notify-department'], 'the join waits for the other branch');
        await completeTask(client, started.id, 'notify-department');
        // then
        const path = await visited(client, started.id);
        for (const id of ['fork', 'notify-department', 'site-check', 'site-visit', 'site-merge']) assert.ok(path.includes(id), `${id} in ${path}`);
        assert.equal(path.filter((id) => id === 'join').length, 2, 'both branches reached the join');
        await assertCompletedAt(client, started.id, 'closed');
      });

      it('given no site visit is needed, when the department is notified, then the case closes without a visit', async () => {
        // given
        const started = await client.processInstances.startByKey('cf-parallel', { businessKey: businessKey('parallel'), variables: { needsSiteVisit: false } });
        assert.deepEqual(await openTaskKeys(client, started.id), ['notify-department']);
        // when
        await completeTask(client, started.id, 'notify-department');
        // then
        const path = await visited(client, started.id);
        assert.ok(path.includes('site-check') && path.includes('site-merge'));
        assert.ok(!path.includes('site-visit'));
        await assertCompletedAt(client, started.id, 'closed');
      });
    });

    describe('inclusive gateway', () => {
      it('given police and city are flagged, when both finish, then the inclusive join closes the case', async () => {
        // given
        const variables = { police: true, fire: false, city: true };
        const started = await client.processInstances.startByKey('cf-inclusive', { businessKey: businessKey('inclusive'), variables });
        assert.deepEqual(await openTaskKeys(client, started.id), ['city-handle', 'police-handle']);
        // when
        await completeTask(client, started.id, 'police-handle');
        assert.deepEqual(await openTaskKeys(client, started.id), ['city-handle'], 'the join waits for the city');
        await completeTask(client, started.id, 'city-handle');
        // then
        const path = await visited(client, started.id);
        assert.ok(!path.includes('fire-handle') && !path.includes('grid-handle'));
        await assertCompletedAt(client, started.id, 'closed');
      });

      it('given no agency is flagged, when the gateway decides, then the default flow sends it to the grid', async () => {
        // given / when
        const started = await client.processInstances.startByKey('cf-inclusive', {
          businessKey: businessKey('inclusive'), variables: { police: false, fire: false, city: false },
        });
        // then
        assert.deepEqual(await openTaskKeys(client, started.id), ['grid-handle']);
        await completeTask(client, started.id, 'grid-handle');
        assert.deepEqual(await visited(client, started.id), ['reported', 'notify', 'grid-handle', 'notify-join', 'closed']);
        await assertCompletedAt(client, started.id, 'closed');
      });
    });

    describe('multi-instance over a JSON list (a String holding a JSON array)', () => {
      it('given two departments as a JSON list, when the step starts, then each gets its own task; an empty list skips the step', async () => {
        const started = await client.processInstances.startByKey('cf-mi-json', {
          businessKey: businessKey('mi-json'), variables: { departments: '["D01","D14"]', reviewers: '[]' },
        });
        const tasks = await client.tasks.query({ processInstanceId: started.id, taskDefinitionKey: 'joint' });
        assert.equal(tasks.length, 2);
        for (const group of ['dept:D01', 'dept:D14']) {
          assert.equal((await client.tasks.query({ processInstanceId: started.id, candidateGroup: group })).length, 1, `one task offered to ${group}`);
        }
        for (const t of tasks) await client.tasks.complete(String(t.id), {});
        await assertCompletedAt(client, started.id, 'closed');
        assert.deepEqual(await visits(client, started.id), { reported: 1, joint: 2, closed: 1 }, 'the empty review list skips the review');
      });

      it('given a collection variable that is a String but not a JSON array, when the step starts, then the engine refuses with the collection named', async () => {
        await assert.rejects(
          client.processInstances.startByKey('cf-mi-json', { businessKey: businessKey('mi-json-bad'), variables: { departments: 'D01,D14', reviewers: '[]' } }),
          (e: Error) => /departments/.test(e.message) && /not JSON/.test(e.message),
        );
      });
    });

    describe('multi-instance over a collection', () => {
      const departments = { leadDepartment: 'urban-management', supportDepartment: 'traffic-police', streetOffice: 'street-office' };

      it('given three assigned departments, when two of them finish, then the completion condition cancels the third', async () => {
        // given
        const started = await client.processInstances.startByKey('cf-mi-parallel', { businessKey: businessKey('mi-parallel') });
        await completeTask(client, started.id, 'assign-departments', departments);
        const tasks = await client.tasks.query({ processInstanceId: started.id, taskDefinitionKey: 'joint-handling' });
        assert.equal(tasks.length, 3);
        const offeredTo = await Promise.all(['urban-management', 'traffic-police', 'street-office'].map(
          (group) => client.tasks.query({ processInstanceId: started.id, candidateGroup: group })));
        assert.deepEqual(offeredTo.map((t) => t.length), [1, 1, 1], 'one task offered to each department');
        // when
        await client.tasks.complete(offeredTo[0]?.[0]?.id ?? '');
        await client.tasks.complete(offeredTo[2]?.[0]?.id ?? '');
        // then
        assert.deepEqual(await openTaskKeys(client, started.id), []);
        assert.deepEqual(await visited(client, started.id), ['reported', 'assign-departments', 'joint-handling', 'joint-handling', 'joint-handling', 'closed']);
        const history = await client.history.activityInstances(started.id, { activityId: 'joint-handling' });
        assert.equal(history.length, 3);
        assert.equal(history.filter((a) => a.canceled).length, 1);
        await assertCompletedAt(client, started.id, 'closed');
      });

      it('given three departments in turn, when the second resolves the event, then the third is never asked', async () => {
        // given
        const started = await client.processInstances.startByKey('cf-mi-sequential', {
          businessKey: businessKey('mi-sequential'), variables: { resolved: false },
        });
        await completeTask(client, started.id, 'assign-departments', departments);
        const first = await openTask(client, started.id, 'department-attempt');
        assert.equal((await client.tasks.query({ processInstanceId: started.id, candidateGroup: 'urban-management' })).length, 1);
        // when
        await client.tasks.complete(first.id, { resolved: false });
        assert.equal((await client.tasks.query({ processInstanceId: started.id, candidateGroup: 'traffic-police' })).length, 1);
        await completeTask(client, started.id, 'department-attempt', { resolved: true });
        // then
        assert.equal((await visits(client, started.id))['department-attempt'], 2);
        await assertCompletedAt(client, started.id, 'closed');
      });
    });

    describe('call activity', () => {
      it('given the district dispatches to the street, when the street resolves it, then the district closes the case', async () => {
        // given
        const key = businessKey('call');
        const parent = await client.processInstances.startByKey('cf-call-parent', { businessKey: key, variables: { caseNumber: key, eventType: 'noise' } });
        const [child] = await client.processInstances.query({ superProcessInstance: parent.id });
        assert.ok(child?.id);
        assert.equal(child.businessKey, key, 'the business key is passed down');
        assert.equal((await client.processInstances.variables(child.id)).eventType, 'noise');
        // when
        await completeTask(client, child.id, 'street-handle', { outcome: 'resolved' });
        // then
        await assertCompletedAt(client, child.id, 'street-done');
        assert.deepEqual(await visited(client, parent.id), ['reported', 'dispatch-to-street', 'outcome-check', 'closed']);
        const [call] = await client.history.activityInstances(parent.id, { activityId: 'dispatch-to-street' });
        assert.equal(call?.calledProcessInstanceId, child.id);
        await assertCompletedAt(client, parent.id, 'closed');
      });

      it('given the street cannot resolve it, when its process ends, then the district reviews the case', async () => {
        // given
        const key = businessKey('call');
        const parent = await client.processInstances.startByKey('cf-call-parent', { businessKey: key, variables: { caseNumber: key, eventType: 'noise' } });
        const [child] = await client.processInstances.query({ superProcessInstance: parent.id });
        // when
        await completeTask(client, child?.id ?? '', 'street-handle', { outcome: 'beyond-street-powers' });
        // then
        assert.deepEqual(await openTaskKeys(client, parent.id), ['district-review']);
        assert.equal((await client.processInstances.variables(parent.id)).streetOutcome, 'beyond-street-powers');
      });
    });
  });
}
