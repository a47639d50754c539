/** User tasks: query, claim/unclaim, complete, delegate/resolve, set assignee. */
import type { EngineHttp } from './engine-http.ts';
import type { TaskDto, TaskQueryDto } from './engine-rest.types.ts';
import type { Page } from './process-instances.client.ts';
import { fromVariables, toVariables } from './typed-values.ts';
import type { FromVariablesOptions } from './typed-values.ts';

/** Which tasks to list; all given criteria must hold. Results are ordered by creation time. */
export interface TaskFilter {
  processInstanceId?: string;
  businessKey?: string;
  processDefinitionKey?: string;
  /** Tasks offered to this group (not yet claimed, unless includeAssigned). */
  candidateGroup?: string;
  /** Tasks offered to any of these groups. */
  candidateGroups?: string[];
  /** With candidateGroup(s): include tasks of those groups that someone already claimed. */
  includeAssigned?: boolean;
  assignee?: string;
  unassigned?: boolean;
  taskDefinitionKey?: string;
  tenantId?: string;
}

/** User task operations. */
export interface TasksClient {
  query(filter?: TaskFilter, page?: Page): Promise<TaskDto[]>;
  count(filter?: TaskFilter): Promise<number>;
  /** The open task, or null when it is gone (completed, cancelled). */
  get(id: string): Promise<TaskDto | null>;
  /** Makes the user the assignee; fails when someone else already is. */
  claim(id: string, userId: string): Promise<void>;
  unclaim(id: string): Promise<void>;
  /** Sets (or replaces) the assignee without the claim check. */
  setAssignee(id: string, userId: string | null): Promise<void>;
  /** Completes the task, setting the variables in the process; returns the process variables. */
  complete(id: string, variables?: Record<string, unknown>, options?: FromVariablesOptions): Promise<Record<string, unknown>>;
  /** Hands the task to another user; the current assignee stays owner until it is resolved. */
  delegate(id: string, userId: string): Promise<void>;
  /** Returns a delegated task to its owner. */
  resolve(id: string, variables?: Record<string, unknown>): Promise<void>;
  variables(id: string, options?: FromVariablesOptions): Promise<Record<string, unknown>>;
}

export function tasksClient(http: EngineHttp): TasksClient {
  const { rest, send } = http;
  return {
    query: (filter = {}, page = {}) => send('query tasks', () =>
      rest.POST('/task', { params: { query: page }, body: toTaskQuery(filter) })),

    async count(filter = {}) {
      const result = await send('count tasks', () => rest.POST('/task/count', { body: toTaskQuery(filter) }));
      return result.count ?? 0;
    },

    async get(id) {
      const [task] = await send(`get task ${id}`, () => rest.POST('/task', { body: { taskId: id } }));
      return task ?? null;
    },

    async claim(id, userId) {
      await send(`claim task ${id}`, () => rest.POST('/task/{id}/claim', { params: { path: { id } }, body: { userId } }));
    },

    async unclaim(id) {
      await send(`unclaim task ${id}`, () => rest.POST('/task/{id}/unclaim', { params: { path: { id } } }));
    },

    async setAssignee(id, userId) {
      await send(`set assignee of task ${id}`, () =>
        rest.POST('/task/{id}/assignee', { params: { path: { id } }, body: { userId } }));
    },

    async complete(id, variables, options) {
      const result = await send(`complete task ${id}`, () => rest.POST('/task/{id}/complete', {
        params: { path: { id } },
        body: { variables: toVariables(variables), withVariablesInReturn: true },
      }));
      return fromVariables(result ?? {}, options);
    },

    async delegate(id, userId) {
      await send(`delegate task ${id}`, () => rest.POST('/task/{id}/delegate', { params: { path: { id } }, body: { userId } }));
    },

    async resolve(id, variables) {
      await send(`resolve task ${id}`, () =>
        rest.POST('/task/{id}/resolve', { params: { path: { id } }, body: { variables: toVariables(variables) } }));
    },

    async variables(id, options) {
      const variables = await send(`get variables of task ${id}`, () =>
        rest.GET('/task/{id}/variables', { params: { path: { id }, query: { deserializeValues: false } } }));
      return fromVariables(variables, options);
    },
  };
}

function toTaskQuery(filter: TaskFilter): TaskQueryDto {
  const query: TaskQueryDto = { sorting: [{ sortBy: 'created', sortOrder: 'asc' }, { sortBy: 'id', sortOrder: 'asc' }] };
  if (filter.processInstanceId) query.processInstanceId = filter.processInstanceId;
  if (filter.businessKey) query.processInstanceBusinessKey = filter.businessKey;
  if (filter.processDefinitionKey) query.processDefinitionKey = filter.processDefinitionKey;
  if (filter.candidateGroup) query.candidateGroup = filter.candidateGroup;
  if (filter.candidateGroups) query.candidateGroups = filter.candidateGroups;
  if (filter.includeAssigned) query.includeAssignedTasks = true;
  if (filter.assignee) query.assignee = filter.assignee;
  if (filter.unassigned) query.unassigned = true;
  if (filter.taskDefinitionKey) query.taskDefinitionKey = filter.taskDefinitionKey;
  if (filter.tenantId) query.tenantIdIn = [filter.tenantId];
  return query;
}
