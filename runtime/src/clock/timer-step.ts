/**
 * The step a clock timer watches and the people working on it. A warning or overdue service task
 * follows a boundary timer; the timer is attached to the handling step (a user task), whose open
 * tasks' assignees (or, unclaimed, candidates) are the people to warn and urge.
 */
import type { Knex } from 'knex';
import type { EngineClient, ProcessShape, TopicTask } from '@gridflow/engine';
import { peopleOnTask } from '../notifications/notifications.ts';
import { processShape } from '../engine-sync/process-shapes.ts';

/** The open tasks of the watched step and who works on them. */
export interface TimerStep {
  /** The watched user task's id in the BPMN, null when it could not be told (then every open task counts). */
  key: string | null;
  tasks: { id: string; key: string; name: string | null; assignee: string | null }[];
  userIds: number[];
}

function shapeOf(engine: EngineClient, definitionId: string): Promise<ProcessShape> {
  return processShape(definitionId, async () => {
    const { data, error } = await engine.rest.GET('/process-definition/{id}/xml', { params: { path: { id: definitionId } } });
    if (error || !data?.bpmn20Xml) throw new Error(`Could not read the BPMN of ${definitionId}`);
    return data.bpmn20Xml;
  });
}

/** The user task a boundary timer before `activityId` is attached to, if the shape says so. */
export function watchedStep(shape: ProcessShape, activityId: string): string | null {
  const boundary = [...shape.nodes.values()].find((n) => n.type === 'bpmn:BoundaryEvent' && n.outgoing.includes(activityId));
  if (!boundary) return null;
  const host = [...shape.nodes.values()].find((n) => n.type !== 'bpmn:BoundaryEvent' && n.outgoing.includes(boundary.id));
  return host?.id ?? null;
}

/**
 * The watched step of a timer's service task and its people. When the engine has the step's task
 * but GridFlow's projection does not yet, this throws so the handler is retried once it has.
 */
export async function timerStep(db: Knex, engine: EngineClient, task: TopicTask): Promise<TimerStep> {
  const instance = await engine.processInstances.get(task.processInstanceId);
  const key = instance?.definitionId ? watchedStep(await shapeOf(engine, instance.definitionId), task.activityId) : null;
  const q = db('tasks').where({ process_instance_id: task.processInstanceId, status: 'open' });
  if (key) q.where({ task_definition_key: key });
  const rows = await q.orderBy('created_at').select('id', 'task_definition_key', 'name', 'assignee') as { id: string; task_definition_key: string; name: string | null; assignee: string | null }[];
  if (rows.length === 0 && key && (await engine.tasks.count({ processInstanceId: task.processInstanceId, taskDefinitionKey: key })) > 0) {
    throw new Error(`The task of step ${key} is not projected yet; retrying`);
  }
  const userIds: number[] = [];
  for (const r of rows) userIds.push(...await peopleOnTask(db, r.id, r.assignee));
  return { key, tasks: rows.map((r) => ({ id: r.id, key: r.task_definition_key, name: r.name, assignee: r.assignee })), userIds: [...new Set(userIds)] };
}
