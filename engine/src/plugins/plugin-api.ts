/**
 * The plugin API: plugins bind BPMN topics (camunda:topic of external tasks) to handlers, add
 * form field types and notification channels.
 * `definePlugin({ id, apiVersion, setup({ topics, formFields, notificationChannels }) })`.
 */
import type { NotificationChannel } from './notification-channel.ts';

/** Version of this API; a plugin declares the version it was written for. */
export const PLUGIN_API_VERSION = 1;

/** What a topic handler receives: one locked external task. */
export interface TopicTask {
  topic: string;
  /** External task id: stable across retries of the same activity, so a good idempotency key. */
  id: string;
  processInstanceId: string;
  processDefinitionKey?: string;
  businessKey?: string;
  activityId: string;
  tenantId?: string;
  /** Retries left as the engine counts them (undefined on the first attempt). */
  retries?: number;
  /** 1 on the first attempt, then 2, 3 ... */
  attempt: number;
  /** Process variables fetched with the task, as plain values. */
  variables: Readonly<Record<string, unknown>>;
}

/** A successful result: variables to set on the process. */
export interface TopicResult {
  variables?: Record<string, unknown>;
}

/** Handles the tasks of a topic. Must be idempotent: it may run more than once for one task. */
export type TopicHandler = (task: TopicTask) => Promise<TopicResult | void>;

/** Options of a topic subscription. */
export interface TopicOptions {
  /** How long a task stays locked to this worker (default 60 s). */
  lockDurationMs?: number;
  /** Attempts before the failure becomes an incident (default 3). */
  maxAttempts?: number;
  /** Backoff before retry n is base × 2^(n−1), capped at 10 min (default base 5 s). */
  retryBackoffMs?: number;
  /** Only these variables are fetched (default: all). */
  variables?: string[];
}

/** A topic bound to a handler. */
export interface TopicBinding extends Required<Pick<TopicOptions, 'lockDurationMs' | 'maxAttempts' | 'retryBackoffMs'>> {
  topic: string;
  pluginId: string;
  handler: TopicHandler;
  variables?: string[];
}

/** A custom form field type a plugin adds (rendering comes with the forms work). */
export interface FormFieldType {
  /** Formily x-component name. */
  component: string;
  /** JSON Schema type the field stores. */
  schemaType: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  description?: string;
}

/** What `setup` gets. */
export interface PluginSetupContext {
  topics: { register(topic: string, handler: TopicHandler, options?: TopicOptions): void };
  formFields: { register(component: string, field: Omit<FormFieldType, 'component'>): void };
  /** Channels that deliver in-app notifications elsewhere (added in API 1 without breaking older plugins). */
  notificationChannels: { register(channel: NotificationChannel): void };
}

/** A GridFlow plugin. */
export interface GridflowPlugin {
  id: string;
  apiVersion: number;
  setup(context: PluginSetupContext): void;
}

/** Declares a plugin (checked when it is registered). */
export function definePlugin(plugin: GridflowPlugin): GridflowPlugin {
  return Object.freeze({ ...plugin });
}

/**
 * A business outcome of a handler (not a failure): the engine follows the BPMN error boundary
 * with this code, e.g. `throw new BpmnError('NO_RESPONSIBLE_DEPARTMENT', '...')`.
 */
export class BpmnError extends Error {
  constructor(readonly code: string, message?: string, readonly variables?: Record<string, unknown>) {
    super(message ?? code);
    this.name = 'BpmnError';
  }
}
