// Conformance of timers on the real engines (both flavours): interrupting and non-interrupting
// boundary timers, a timer cycle, a timer at an absolute date handed in as a variable. Timers are
// fired by executing their jobs (what the job executor does when they are due), so nothing waits
// for the clock — except the cycle: the engine schedules each repetition at the next cycle date
// after *now*, so executing a cycle job early fires it again without counting down; the test waits
// for each (one-second) date instead. One test lets the job executor fire an overdue deadline.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEngineDate } from '../../src/index.ts';
import type { EngineClient } from '../../src/index.ts';
import { flavours, useEngines } from './support/test-engines.ts';
import {
  assertCompletedAt, businessKey, completeTask, deployFixtures, eventually, fireTimer, lockExternalTask, openTaskKeys, visited, visits,
} from './support/process-helpers.ts';

const engineFor = useEngines();

/** Keeps the job executor away from an activity's timers (suspended jobs are not acquired, but can be executed). */
async function suspendTimerDefinition(client: EngineClient, processInstanceId: string, activityId: string): Promise<void> {
  const [job] = await client.jobs.query({ processInstanceId, activityId, timers: true });
  const { response } = await client.rest.PUT('/job-definition/{id}/suspended', {
    params: { path: { id: job?.jobDefinitionId ?? '' } }, body: { suspended: true, includeJobs: true },
  });
  assert.equal(response.status, 204);
}

async function nextTimer(client: EngineClient, processInstanceId: string): Promise<{ id: string; dueDate: Date } | undefined> {
  const [job] = await client.jobs.query({ processInstanceId, timers: true });
  return job?.id && job.dueDate ? { id: job.id, dueDate: parseEngineDate(job.dueDate) } : undefined;
}

/**
 * Waits for the start of the next second. The engine computes cycle dates from the start time cut
 * to whole seconds, while the first due date keeps the milliseconds: a start at 12:00:00.990 makes
 * the first urge due at 12:00:01.990 and the second at 12:00:02.000, leaving 10 ms to fire the
 * first before the engine would skip to the second.
 */
async function nextWholeSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
}

/** Waits until a due date has passed (at most the cycle's one second). */
async function untilDue(dueDate: Date): Promise<void> {
  const wait = dueDate.getTime() - Date.now() + 20;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

for (const flavour of flavours) {
  describe(`timers [${flavour}]`, () => {
    let client: EngineClient;
    before(async () => {
      client = engineFor(flavour).client;
      await deployFixtures(client, 'conformance-timers', [
        'timer-interrupting.bpmn', 'timer-non-interrupting.bpmn', 'timer-cycle.bpmn', 'timer-date.bpmn',
      ]);
    });

    describe('interrupting boundary timer', () => {
      it('given handling is overdue, when the timer fires, then handling is cancelled and escalated', async () => {
        // given
        const started = await client.processInstances.startByKey('cf-timer-interrupting', { businessKey: businessKey('timer') });
        // when
        await fireTimer(client, started.id, 'handle-overdue');
        // then
        assert.deepEqual(await openTaskKeys(client, started.id), ['escalated-handle']);
        const [handle] = await client.history.activityInstances(started.id, { activityId: 'handle' });
        assert.equal(handle?.canceled, true);
        await completeTask(client, started.id, 'escalated-handle');
        assert.deepEqual(await visited(client, started.id), ['reported', 'handle', 'handle-overdue', 'escalated-handle', 'handled-after-escalation']);
        await assertCompletedAt(client, started.id, 'handled-after-escalation');
      });

      it('given handling finishes in time, when the task completes, then the timer is gone', async () => {
        // given
        const started = await client.processInstances.startByKey('cf-timer-interrupting', { businessKey: businessKey('timer') });
        assert.equal((await client.jobs.query({ processInstanceId: started.id, timers: true })).length, 1);
        // when
        await completeTask(client, started.id, 'handle');
        // then
        assert.deepEqual(await client.jobs.query({ processInstanceId: started.id }), []);
        assert.deepEqual(await visited(client, started.id), ['reported', 'handle', 'handled']);
        await assertCompletedAt(client, started.id, 'handled');
      });
    });

    describe('non-interrupting boundary timer', () => {
      it('given a reminder is due, when the timer fires, then a reminder goes out and handling goes on', async () => {
        // given
        const key = businessKey('reminder');
        const started = await client.processInstances.startByKey('cf-timer-non-interrupting', { businessKey: key });
        // when
        await fireTimer(client, started.id, 'reminder-due');
        // then
        assert.deepEqual(await openTaskKeys(client, started.id), ['handle']);
        const reminder = await lockExternalTask(client, key, 'cf.sendReminder');
        await client.externalTasks.complete(reminder.id, reminder.workerId);
        await completeTask(client, started.id, 'handle');
        const counts = await visits(client, started.id);
        assert.deepEqual([counts['reminder-due'], counts['send-reminder'], counts.reminded, counts.handled], [1, 1, 1, 1]);
        await assertCompletedAt(client, started.id, 'handled');
      });
    });

    describe('timer cycle', () => {
      it('given an urge every second three times, when each falls due, then exactly three urges happen', async () => {
        // given: the job executor keeps off (suspended job definition); the test fires each urge when due
        await nextWholeSecond();
        const started = await client.processInstances.startByKey('cf-timer-cycle', { businessKey: businessKey('cycle') });
        await suspendTimerDefinition(client, started.id, 'urge-due');
        // when
        let fired = 0;
        for (let job = await nextTimer(client, started.id); job; job = await nextTimer(client, started.id)) {
          await untilDue(job.dueDate);
          await client.jobs.execute(job.id);
          fired += 1;
          assert.ok(fired <= 3, 'the cycle must stop after three urges');
        }
        // then
        const counts = await visits(client, started.id);
        assert.deepEqual([fired, counts['urge-due'], counts.urged], [3, 3, 3]);
        assert.deepEqual(await openTaskKeys(client, started.id), ['handle']);
        await completeTask(client, started.id, 'handle');
        await assertCompletedAt(client, started.id, 'handled');
      });
    });

    describe('timer at an absolute date from a variable', () => {
      it('given a deadline handed in as a Date, when the engine schedules it, then the job is due exactly then', async () => {
        // given
        const handleDueAt = new Date('2031-05-06T07:08:09.123Z');
        // when
        const started = await client.processInstances.startByKey('cf-timer-date', { businessKey: businessKey('deadline'), variables: { handleDueAt } });
        // then
        const [job] = await client.jobs.query({ processInstanceId: started.id, activityId: 'handle-deadline' });
        assert.equal(parseEngineDate(job?.dueDate ?? '').toISOString(), handleDueAt.toISOString());
        assert.deepEqual(await client.processInstances.variables(started.id), { handleDueAt });
      });

      it('given a moved deadline, when it passes, then the overdue case goes to supervision', async () => {
        // given
        const started = await client.processInstances.startByKey('cf-timer-date', {
          businessKey: businessKey('deadline'), variables: { handleDueAt: new Date('2031-05-06T07:08:09.123Z') },
        });
        const [job] = await client.jobs.query({ processInstanceId: started.id, activityId: 'handle-deadline' });
        const extended = new Date('2032-01-01T00:00:00.000Z');
        await client.jobs.setDueDate(job?.id ?? '', extended);
        assert.equal(parseEngineDate((await client.jobs.query({ processInstanceId: started.id }))[0]?.dueDate ?? '').toISOString(), extended.toISOString());
        // when
        await fireTimer(client, started.id, 'handle-deadline');
        // then
        assert.deepEqual(await openTaskKeys(client, started.id), ['supervise']);
        assert.deepEqual(await visited(client, started.id), ['reported', 'handle', 'handle-deadline', 'supervise']);
      });

      it('given a deadline already past at start, when the job executor runs, then it fires the timer by itself', async () => {
        // given / when
        const started = await client.processInstances.startByKey('cf-timer-date', {
          businessKey: businessKey('deadline'), variables: { handleDueAt: new Date(Date.now() - 60_000) },
        });
        // then
        await eventually('the job executor fired the deadline', async () => (await openTaskKeys(client, started.id)).includes('supervise'));
        assert.deepEqual(await openTaskKeys(client, started.id), ['supervise']);
        const [handle] = await client.history.activityInstances(started.id, { activityId: 'handle' });
        assert.equal(handle?.canceled, true);
      });
    });
  });
}
