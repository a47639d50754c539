/**
 * GridFlow's client of the Camunda 7 REST API (Operaton or Camunda 7.24): a small facade of the
 * operations GridFlow needs, grouped by resource, over the typed client generated from the
 * engine's OpenAPI document. Failures are typed (engine-errors.ts); variables are plain values
 * (typed-values.ts).
 */
import type { Client } from 'openapi-fetch';
import { deploymentsClient } from './deployments.client.ts';
import type { DeploymentsClient } from './deployments.client.ts';
import { createEngineHttp } from './engine-http.ts';
import type { EngineConnection } from './engine-http.ts';
import type { EngineRestPaths } from './engine-rest.types.ts';
import { externalTasksClient } from './external-tasks.client.ts';
import type { ExternalTasksClient } from './external-tasks.client.ts';
import { historyClient } from './history.client.ts';
import type { HistoryClient } from './history.client.ts';
import { incidentsClient } from './incidents.client.ts';
import type { IncidentsClient } from './incidents.client.ts';
import { jobsClient } from './jobs.client.ts';
import type { JobsClient } from './jobs.client.ts';
import { messagesClient } from './messages.client.ts';
import type { MessagesClient } from './messages.client.ts';
import { processInstancesClient } from './process-instances.client.ts';
import type { ProcessInstancesClient } from './process-instances.client.ts';
import { tasksClient } from './tasks.client.ts';
import type { TasksClient } from './tasks.client.ts';

/** The engine operations GridFlow uses. */
export interface EngineClient {
  /** Base URL of the REST API (ending in `/engine-rest`). */
  readonly restUrl: string;
  readonly deployments: DeploymentsClient;
  readonly processInstances: ProcessInstancesClient;
  readonly tasks: TasksClient;
  readonly messages: MessagesClient;
  readonly jobs: JobsClient;
  readonly history: HistoryClient;
  readonly incidents: IncidentsClient;
  readonly externalTasks: ExternalTasksClient;
  /** The raw typed client for anything the facade does not cover (errors are not mapped there). */
  readonly rest: Client<EngineRestPaths>;
}

/** Creates a client for one engine, e.g. `createEngineClient({ baseUrl: engine.url, secret })`. */
export function createEngineClient(connection: EngineConnection): EngineClient {
  const http = createEngineHttp(connection);
  return {
    restUrl: http.restUrl,
    deployments: deploymentsClient(http),
    processInstances: processInstancesClient(http),
    tasks: tasksClient(http),
    messages: messagesClient(http),
    jobs: jobsClient(http),
    history: historyClient(http),
    incidents: incidentsClient(http),
    externalTasks: externalTasksClient(http),
    rest: http.rest,
  };
}
