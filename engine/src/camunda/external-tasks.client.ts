/**
 * External tasks through REST: query, and the worker protocol (fetchAndLock, complete,
 * handleBpmnError, handleFailure) for tests and tools. GridFlow's worker host uses
 * camunda-external-task-client-js for the real thing.
 */
import type { EngineHttp } from './engine-http.ts';
import type { ExternalTaskDto, ExternalTaskQueryDto, LockedExternalTaskDto } from './engine-rest.types.ts';
import type { Page } from './process-instances.client.ts';
import { toVariables } from './typed-values.ts';

/** Which external tasks to list. */
export interface ExternalTaskFilter {
  processInstanceId?: string;
  topicName?: string;
  activityId?: string;
  /** Only tasks with retries 0 (those have an incident). */
  noRetriesLeft?: boolean;
}

/** What a worker fetches. */
export interface FetchAndLockInput {
  workerId: string;
  topics: { topicName: string; lockDurationMs: number; businessKey?: string; processDefinitionKey?: string }[];
  maxTasks?: number;
}

/** External task operations. */
export interface ExternalTasksClient {
  query(filter?: ExternalTaskFilter, page?: Page): Promise<ExternalTaskDto[]>;
  fetchAndLock(input: FetchAndLockInput): Promise<LockedExternalTaskDto[]>;
  complete(id: string, workerId: string, variables?: Record<string, unknown>): Promise<void>;
  /** Reports a business outcome: the engine throws this BPMN error at the task (error boundary). */
  handleBpmnError(id: string, workerId: string, error: { errorCode: string; errorMessage?: string; variables?: Record<string, unknown> }): Promise<void>;
  /** Reports a technical failure; with `retries: 0` the engine raises an incident. */
  handleFailure(id: string, workerId: string, failure: { errorMessage: string; errorDetails?: string; retries: number; retryTimeoutMs?: number }): Promise<void>;
  /** Sets the retries; retries > 0 on a task with an incident resolves the incident. */
  setRetries(id: string, retries: number): Promise<void>;
}

export function externalTasksClient(http: EngineHttp): ExternalTasksClient {
  const { rest, send } = http;
  return {
    query: (filter = {}, page = {}) => send('query external tasks', () =>
      rest.POST('/external-task', { params: { query: page }, body: toQuery(filter) })),

    fetchAndLock: (input) => send(`fetch and lock (${input.workerId})`, () => rest.POST('/external-task/fetchAndLock', {
      body: {
        workerId: input.workerId,
        maxTasks: input.maxTasks ?? 10,
        topics: input.topics.map((t) => ({
          topicName: t.topicName,
          lockDuration: t.lockDurationMs,
          businessKey: t.businessKey,
          processDefinitionKey: t.processDefinitionKey,
        })),
      },
    })),

    async complete(id, workerId, variables) {
      await send(`complete external task ${id}`, () => rest.POST('/external-task/{id}/complete', {
        params: { path: { id } }, body: { workerId, variables: toVariables(variables) },
      }));
    },

    async handleBpmnError(id, workerId, error) {
      await send(`report BPMN error ${error.errorCode} for external task ${id}`, () => rest.POST('/external-task/{id}/bpmnError', {
        params: { path: { id } },
        body: { workerId, errorCode: error.errorCode, errorMessage: error.errorMessage, variables: toVariables(error.variables) },
      }));
    },

    async handleFailure(id, workerId, failure) {
      await send(`report failure of external task ${id}`, () => rest.POST('/external-task/{id}/failure', {
        params: { path: { id } },
        body: {
          workerId,
          errorMessage: failure.errorMessage,
          errorDetails: failure.errorDetails,
          retries: failure.retries,
          retryTimeout: failure.retryTimeoutMs ?? 0,
        },
      }));
    },

    async setRetries(id, retries) {
      await send(`set retries of external task ${id}`, () =>
        rest.PUT('/external-task/{id}/retries', { params: { path: { id } }, body: { retries } }));
    },
  };
}

function toQuery(filter: ExternalTaskFilter): ExternalTaskQueryDto {
  const query: ExternalTaskQueryDto = { sorting: [{ sortBy: 'createTime', sortOrder: 'asc' }] };
  if (filter.processInstanceId) query.processInstanceId = filter.processInstanceId;
  if (filter.topicName) query.topicName = filter.topicName;
  if (filter.activityId) query.activityId = filter.activityId;
  if (filter.noRetriesLeft) query.noRetriesLeft = true;
  return query;
}
