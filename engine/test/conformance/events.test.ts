// Conformance of events on the real engines (both flavours): message correlation (waiting instance
// and message start), an event-based gateway (message, timer, signal), and an error boundary on an
// external task driven through REST (fetchAndLock + handleBpmnError), plus incidents.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineRequestError } from '../../src/index.ts';
import type { EngineClient } from '../../src/index.ts';
import { flavours, useEngines } from './support/test-engines.ts';
import {
  assertCompletedAt, businessKey, completeTask, deployFixtures, fireTimer, lockExternalTask, openTaskKeys, visited,
} from './support/process-helpers.ts';

const engineFor = useEngines();

for (const flavour of flavours) {
  describe(`events [${flavour}]`, () => {
    let client: EngineClient;
    before(async () => {
      client = engineFor(flavour).client;
      await deployFixtures(client, 'conformance-events', [
        'message-catch.bpmn', 'message-start.bpmn', 'event-gateway.bpmn', 'external-task-error.bpmn',
      ]);
    });

    describe('message correlation', () => {
      it('given a case waiting for feedback, when a satisfied citizen answers (by business key), then the case closes', async () => {
        // given
        const key = businessKey('feedback');
        const started = await client.processInstances.startByKey('cf-message-catch', { businessKey: key });
        // when
        const results = await client.messages.correlate('cf.citizenFeedback', { businessKey: key, variables: { satisfied: true } });
        // then
        assert.deepEqual(results, [{ resultType: 'Execution', processInstanceId: started.id }]);
        assert.deepEqual(await visited(client, started.id), ['handled', 'await-feedback', 'feedback-check', 'closed']);
        await assertCompletedAt(client, started.id, 'closed');
      });

      it('given a case waiting for feedback, when an unhappy citizen answers (by instance id), then a revisit follows', async () => {
        // given
        const started = await client.processInstances.startByKey('cf-message-catch', { businessKey: businessKey('feedback') });
        // when
        await client.messages.correlate('cf.citizenFeedback', { processInstanceId: started.id, variables: { satisfied: false } });
        // then
        assert.deepEqual(await openTaskKeys(client, started.id), ['revisit']);
        await completeTask(client, started.id, 'revisit');
        await assertCompletedAt(client, started.id, 'revisited');
      });

      it('given a message start event, when a hotline report arrives, then a new case starts with its business key', async () => {
        // given
        const key = businessKey('hotline');
        // when
        const [result] = await client.messages.correlate('cf.eventReported', { businessKey: key, variables: { channel: '12345' } });
        // then
        assert.equal(result?.resultType, 'ProcessDefinition');
        const instance = await client.processInstances.get(result?.processInstanceId ?? '');
        assert.equal(instance?.businessKey, key);
        assert.deepEqual(await client.processInstances.variables(instance?.id ?? ''), { channel: '12345' });
        assert.deepEqual(await openTaskKeys(client, instance?.id ?? ''), ['register']);
      });

      it('given nobody waits for it, when a message is correlated, then the engine\'s rejection comes back typed', async () => {
        // given / when
        const error = await client.messages.correlate('cf.citizenFeedback', { businessKey: businessKey('nobody') }).catch((e: unknown) => e);
        // then
        assert.ok(error instanceof EngineRequestError);
        assert.equal(error.status, 400);
        assert.match(error.engineMessage, /cf\.citizenFeedback/);
      });
    });

    describe('event-based gateway', () => {
      const waiting = async () => {
        const key = businessKey('supplement');
        const started = await client.processInstances.startByKey('cf-event-gateway', { businessKey: key });
        assert.deepEqual(await visited(client, started.id), ['supplement-requested', 'await-supplement']);
        return { key, id: started.id };
      };

      it('given a request for material, when the material arrives first, then it is reviewed and the timer is gone', async () => {
        // given
        const { key, id } = await waiting();
        // when
        await client.messages.correlate('cf.supplementProvided', { businessKey: key });
        // then
        assert.deepEqual(await openTaskKeys(client, id), ['review-supplement']);
        assert.deepEqual(await client.jobs.query({ processInstanceId: id }), []);
        await completeTask(client, id, 'review-supplement');
        assert.deepEqual(await visited(client, id), ['supplement-requested', 'await-supplement', 'supplement-received', 'review-supplement', 'reviewed']);
        await assertCompletedAt(client, id, 'reviewed');
      });

      it('given a request for material, when the time runs out first, then the case closes without it', async () => {
        // given
        const { key, id } = await waiting();
        // when
        await fireTimer(client, id, 'supplement-timeout');
        // then
        await assertCompletedAt(client, id, 'closed-without-supplement');
        const late = await client.messages.correlate('cf.supplementProvided', { businessKey: key }).catch((e: unknown) => e);
        assert.ok(late instanceof EngineRequestError, 'the message subscription is gone');
      });

      it('given a request for material, when the district suspends intake (signal), then the case ends as suspended', async () => {
        // given
        const { id } = await waiting();
        // when
        await client.messages.signal('cf.intakeSuspended');
        // then
        assert.deepEqual(await visited(client, id), ['supplement-requested', 'await-supplement', 'intake-suspended', 'suspended']);
        await assertCompletedAt(client, id, 'suspended');
      });
    });

    describe('error boundary on an external task', () => {
      it('given an invalid address, when the worker reports a BPMN error, then the grid worker fixes the address', async () => {
        // given
        const key = businessKey('address');
        const started = await client.processInstances.startByKey('cf-external-error', { businessKey: key, variables: { address: 'nowhere 0' } });
        const task = await lockExternalTask(client, key, 'cf.verifyAddress');
        assert.equal(task.task?.activityId, 'verify-address');
        // when
        await client.externalTasks.handleBpmnError(task.id, task.workerId, {
          errorCode: 'ADDRESS_INVALID', errorMessage: 'no such street', variables: { suggestion: 'Nowhere Road 1' },
        });
        // then
        assert.deepEqual(await openTaskKeys(client, started.id), ['fix-address']);
        assert.deepEqual(await client.processInstances.variables(started.id), {
          address: 'nowhere 0', suggestion: 'Nowhere Road 1', verifyErrorCode: 'ADDRESS_INVALID', verifyErrorMessage: 'no such street',
        });
        await completeTask(client, started.id, 'fix-address');
        assert.deepEqual(await visited(client, started.id), ['reported', 'verify-address', 'address-invalid', 'fix-address', 'address-fixed']);
        await assertCompletedAt(client, started.id, 'address-fixed');
      });

      it('given a valid address, when the worker completes, then the case is verified', async () => {
        // given
        const key = businessKey('address');
        const started = await client.processInstances.startByKey('cf-external-error', { businessKey: key });
        const task = await lockExternalTask(client, key, 'cf.verifyAddress');
        // when
        await client.externalTasks.complete(task.id, task.workerId, { verified: true });
        // then
        assert.deepEqual(await visited(client, started.id), ['reported', 'verify-address', 'verified']);
        await assertCompletedAt(client, started.id, 'verified');
      });

      it('given a technical failure without retries, when it is reported, then an incident appears and a retry resolves it', async () => {
        // given
        const key = businessKey('address');
        const started = await client.processInstances.startByKey('cf-external-error', { businessKey: key });
        const task = await lockExternalTask(client, key, 'cf.verifyAddress');
        // when
        await client.externalTasks.handleFailure(task.id, task.workerId, { errorMessage: 'geocoder unreachable', retries: 0 });
        // then
        const [incident] = await client.incidents.query({ processInstanceId: started.id });
        assert.equal(incident?.incidentType, 'failedExternalTask');
        assert.equal(incident?.activityId, 'verify-address');
        assert.equal(incident?.incidentMessage, 'geocoder unreachable');
        assert.equal((await client.externalTasks.query({ processInstanceId: started.id, noRetriesLeft: true })).length, 1);
        // and when it is retried
        await client.incidents.retry(incident ?? {});
        assert.deepEqual(await client.incidents.query({ processInstanceId: started.id }), []);
        const again = await lockExternalTask(client, key, 'cf.verifyAddress');
        await client.externalTasks.complete(again.id, again.workerId);
        await assertCompletedAt(client, started.id, 'verified');
      });
    });
  });
}
