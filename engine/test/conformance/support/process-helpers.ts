/** Given/when/then helpers over the engine client: fixtures, the path taken, open work, timers. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DeployResult, DeploymentResource, EngineClient, TaskDto } from '../../../src/index.ts';

const fixturesDir = new URL('../fixtures/', import.meta.url);

/** A fixture file as a deployment resource. */
export function fixture(name: string): DeploymentResource {
  return { name, content: readFileSync(new URL(name, fixturesDir), 'utf8') };
}

/** Deploys fixture files as one deployment. */
export function deployFixtures(client: EngineClient, name: string, files: string[]): Promise<DeployResult> {
  return client.deployments.deploy({ name, source: 'gridflow-conformance', resources: files.map(fixture) });
}

/** Ids of the activities an instance went through (finished or not), in the order they started. */
export async function visited(client: EngineClient, processInstanceId: string): Promise<string[]> {
  const history = await client.history.activityInstances(processInstanceId);
  return history.map((a) => a.activityId ?? '').filter((id) => !id.endsWith('#multiInstanceBody'));
}

/** How often each activity ran. */
export async function visits(client: EngineClient, processInstanceId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const id of await visited(client, processInstanceId)) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

/** The end state from history: `ACTIVE`, `COMPLETED`, `EXTERNALLY_TERMINATED`, … */
export async function stateOf(client: EngineClient, processInstanceId: string): Promise<string | undefined> {
  return (await client.history.processInstance(processInstanceId))?.state ?? undefined;
}

/** Asserts the instance completed normally, ending at the given end event. */
export async function assertCompletedAt(client: EngineClient, processInstanceId: string, endEventId: string): Promise<void> {
  const historic = await client.history.processInstance(processInstanceId);
  assert.equal(historic?.state, 'COMPLETED');
  const path = await visited(client, processInstanceId);
  assert.equal(path.at(-1), endEventId, `ended at ${path.at(-1)}, path ${path.join(' → ')}`);
  assert.equal(await client.processInstances.get(processInstanceId), null);
}

/** Open user tasks of an instance, by task definition key (sorted). */
export async function openTaskKeys(client: EngineClient, processInstanceId: string): Promise<string[]> {
  const tasks = await client.tasks.query({ processInstanceId });
  return tasks.map((t) => t.taskDefinitionKey ?? '').sort();
}

/** The one open user task of an instance with this key. */
export async function openTask(client: EngineClient, processInstanceId: string, taskDefinitionKey: string): Promise<TaskDto & { id: string }> {
  const tasks = await client.tasks.query({ processInstanceId, taskDefinitionKey });
  assert.equal(tasks.length, 1, `expected one open ${taskDefinitionKey} task, found ${tasks.length}`);
  const [task] = tasks as [TaskDto];
  return { ...task, id: task.id ?? '' };
}

/** Completes the one open task with this key. */
export async function completeTask(client: EngineClient, processInstanceId: string, key: string, variables?: Record<string, unknown>): Promise<void> {
  const task = await openTask(client, processInstanceId, key);
  await client.tasks.complete(task.id, variables);
}

/** Fires the (one) pending timer of an activity now by executing its job, as the job executor would when it is due. */
export async function fireTimer(client: EngineClient, processInstanceId: string, activityId: string): Promise<void> {
  const jobs = await client.jobs.query({ processInstanceId, activityId, timers: true });
  assert.equal(jobs.length, 1, `expected one timer job for ${activityId}, found ${jobs.length}`);
  await client.jobs.execute(jobs[0]?.id ?? '');
}

/** Fetches and locks the one open external task on a topic of the instance with this business key. */
export async function lockExternalTask(client: EngineClient, businessKey: string, topicName: string, workerId = 'conformance-worker') {
  const locked = await client.externalTasks.fetchAndLock({ workerId, maxTasks: 5, topics: [{ topicName, lockDurationMs: 60_000, businessKey }] });
  assert.equal(locked.length, 1, `expected one ${topicName} task for ${businessKey}, locked ${locked.length}`);
  return { id: locked[0]?.id ?? '', workerId, task: locked[0] };
}

let keys = 0;

/** A business key unique within the run, e.g. `exclusive-3-k2x9`. */
export function businessKey(prefix: string): string {
  keys += 1;
  return `${prefix}-${keys}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Polls until the check holds (the job executor works asynchronously); fails after `ms`. */
export async function eventually(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
