/**
 * Runs the topic handlers bound by plugins with the official camunda-external-task-client-js.
 * Business outcomes (BpmnError) become BPMN errors; other failures are retried with exponential
 * backoff and become incidents when the attempts are used up. A result store makes re-delivered
 * tasks (after a crash between handling and completing) complete with the stored result instead of
 * running the handler again.
 */
import { BasicAuthInterceptor, Client } from 'camunda-external-task-client-js';
import type { Task, TaskService } from 'camunda-external-task-client-js';
import { BpmnError } from '../plugins/plugin-api.ts';
import type { TopicBinding, TopicTask } from '../plugins/plugin-api.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import { toClientVariables } from './worker-variables.ts';

/** What a handler produced for a task, kept until the task is completed. */
export type StoredOutcome =
  | { kind: 'completed'; variables?: Record<string, unknown> }
  | { kind: 'bpmnError'; code: string; message: string; variables?: Record<string, unknown> };

/** Persistence of handler outcomes by external task id (the runtime provides a database one). */
export interface ResultStore {
  get(taskId: string): Promise<StoredOutcome | undefined>;
  put(taskId: string, outcome: StoredOutcome): Promise<void>;
}

/** Events the host reports (for logs, metrics and GridFlow's incident view). */
export interface WorkerHostEvents {
  handled?(task: TopicTask, outcome: StoredOutcome['kind']): void;
  failed?(task: TopicTask, error: Error, retriesLeft: number): void;
}

/** Options of the worker host. */
export interface WorkerHostOptions {
  /** REST API base, e.g. http://127.0.0.1:8089/engine-rest */
  engineRestUrl: string;
  secret: string;
  /** Where the bound topics come from (a plugin registry, or several joined). */
  registry: Pick<PluginRegistry, 'topics'>;
  workerId: string;
  store?: ResultStore;
  maxTasks?: number;
  /** Long-poll time of fetchAndLock (default 20 s). */
  asyncResponseTimeoutMs?: number;
  events?: WorkerHostEvents;
}

/** Backoff before attempt n+1 after attempt n failed. */
export function retryBackoff(binding: Pick<TopicBinding, 'retryBackoffMs'>, attempt: number): number {
  return Math.min(600_000, binding.retryBackoffMs * 2 ** Math.max(0, attempt - 1));
}

/** Pause between long polls, and after a failed poll. */
const POLL_AGAIN_MS = 10;
const POLL_AFTER_ERROR_MS = 2_000;

/** Subscribes every bound topic; `stop` ends polling. */
export class WorkerHost {
  private client: Client | undefined;

  constructor(private readonly options: WorkerHostOptions) {}

  /** Starts polling for every topic of the registry. */
  start(): void {
    const o = this.options;
    const client = new Client({
      baseUrl: o.engineRestUrl,
      workerId: o.workerId,
      maxTasks: o.maxTasks ?? 10,
      asyncResponseTimeout: o.asyncResponseTimeoutMs ?? 20_000,
      interceptors: [new BasicAuthInterceptor({ username: 'gridflow', password: o.secret })],
      autoPoll: false,
      interval: POLL_AGAIN_MS,
    } as never);
    // A long poll waits at the engine until work arrives, so the next one may follow at once (the
    // client's default 300 ms pause is added to every service task's latency); after an error
    // (engine down) the client waits longer instead of hammering it.
    const options = (client as unknown as { options: { interval: number } }).options;
    client.on('poll:success', () => { options.interval = POLL_AGAIN_MS; });
    client.on('poll:error', () => { options.interval = POLL_AFTER_ERROR_MS; });
    for (const binding of o.registry.topics()) {
      const subscribeOptions: Record<string, unknown> = { lockDuration: binding.lockDurationMs };
      if (binding.variables) subscribeOptions.variables = binding.variables;
      client.subscribe(binding.topic, subscribeOptions, ({ task, taskService }) => {
        void this.handle(binding, task, taskService);
      });
    }
    client.start();
    this.client = client;
  }

  /** Stops polling (tasks being handled finish; locks of unfinished ones expire). */
  stop(): void {
    this.client?.stop();
    this.client = undefined;
  }

  private async handle(binding: TopicBinding, task: Task, service: TaskService): Promise<void> {
    const o = this.options;
    const raw = task as unknown as Record<string, unknown>;
    const retries = typeof raw.retries === 'number' ? raw.retries : undefined;
    const topicTask: TopicTask = {
      topic: binding.topic,
      id: String(raw.id),
      processInstanceId: String(raw.processInstanceId),
      activityId: String(raw.activityId),
      attempt: retries === undefined ? 1 : binding.maxAttempts - retries + 1,
      variables: task.variables.getAll() as Record<string, unknown>,
    };
    if (retries !== undefined) topicTask.retries = retries;
    for (const key of ['processDefinitionKey', 'businessKey', 'tenantId'] as const) {
      if (typeof raw[key] === 'string') topicTask[key] = raw[key] as string;
    }
    try {
      let outcome = await o.store?.get(topicTask.id);
      if (!outcome) {
        outcome = await this.run(binding, topicTask);
        await o.store?.put(topicTask.id, outcome);
      }
      if (outcome.kind === 'completed') await service.complete(task, toClientVariables(outcome.variables));
      else await service.handleBpmnError(task, outcome.code, outcome.message, toClientVariables(outcome.variables));
      o.events?.handled?.(topicTask, outcome.kind);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      const retriesLeft = Math.max(0, (retries ?? binding.maxAttempts) - 1);
      o.events?.failed?.(topicTask, error, retriesLeft);
      await service.handleFailure(task, {
        errorMessage: error.message.slice(0, 600),
        errorDetails: error.stack ?? error.message,
        retries: retriesLeft,
        retryTimeout: retryBackoff(binding, topicTask.attempt),
      }).catch(() => undefined);
    }
  }

  private async run(binding: TopicBinding, task: TopicTask): Promise<StoredOutcome> {
    try {
      const result = await binding.handler(task);
      return result?.variables ? { kind: 'completed', variables: result.variables } : { kind: 'completed' };
    } catch (e) {
      if (e instanceof BpmnError) {
        return e.variables ? { kind: 'bpmnError', code: e.code, message: e.message, variables: e.variables } : { kind: 'bpmnError', code: e.code, message: e.message };
      }
      throw e;
    }
  }
}
