/**
 * The webhook plugin. As a notification channel (id `webhook`, see webhook-channel.ts) it posts every
 * in-app notification to the configured URL; it is registered only when that URL is configured.
 * As a BPMN topic, an external task with topic `gridflow.notify.webhook` posts the case event
 * as JSON to a webhook. The URL comes from the process variable `webhookUrl`, else from the plugin
 * configuration. The request carries an idempotency key (the external task id), so a receiver sees
 * a retried delivery as the same one. 2xx: done; 4xx: the receiver refuses (BPMN error
 * WEBHOOK_REJECTED); network errors and 5xx: technical failure, retried with backoff, then incident.
 */
import { BpmnError, definePlugin } from '@gridflow/engine';
import type { GridflowPlugin, TopicTask } from '@gridflow/engine';
import { SIGNATURE_HEADER, signBody, webhookChannel } from './webhook-channel.ts';

/** Topic the plugin binds. */
export const WEBHOOK_TOPIC = 'gridflow.notify.webhook';

/** Configuration of the webhook channel. */
export interface WebhookPluginOptions {
  /** Used when the process gives no `webhookUrl`; also where the notification channel posts (no URL: no channel). */
  defaultUrl?: string;
  /** Sent as `authorization: Bearer <token>` when set. */
  token?: string;
  /** Shared secret: requests carry `x-gridflow-signature: sha256=<HMAC-SHA256 of the body>` when set. */
  secret?: string;
  timeoutMs?: number;
  /** Only these hosts may be called (default: any). */
  allowedHosts?: string[];
}

/** The JSON body posted to the webhook. */
export interface WebhookPayload {
  event: string;
  caseId: string | null;
  processInstanceId: string;
  activityId: string;
  message: string | null;
  data: Record<string, unknown>;
  sentAt: string;
}

function payloadOf(task: TopicTask, now: Date): WebhookPayload {
  const v = task.variables;
  const data = typeof v.notifyData === 'string' ? (JSON.parse(v.notifyData) as Record<string, unknown>) : {};
  return {
    event: typeof v.notifyEvent === 'string' ? v.notifyEvent : task.activityId,
    caseId: task.businessKey ?? null,
    processInstanceId: task.processInstanceId,
    activityId: task.activityId,
    message: typeof v.notifyMessage === 'string' ? v.notifyMessage : null,
    data,
    sentAt: now.toISOString(),
  };
}

/** Creates the webhook channel plugin. */
export function webhookPlugin(options: WebhookPluginOptions = {}, clock: () => Date = () => new Date()): GridflowPlugin {
  return definePlugin({
    id: 'gridflow.webhook',
    apiVersion: 1,
    setup({ topics, notificationChannels }) {
      if (options.defaultUrl) {
        notificationChannels.register(webhookChannel({
          url: options.defaultUrl, ...(options.token ? { token: options.token } : {}), ...(options.secret ? { secret: options.secret } : {}),
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        }));
      }
      topics.register(WEBHOOK_TOPIC, async (task) => {
        const url = typeof task.variables.webhookUrl === 'string' ? task.variables.webhookUrl : options.defaultUrl;
        if (!url) throw new BpmnError('WEBHOOK_NOT_CONFIGURED', 'No webhookUrl variable and no default webhook URL');
        const target = new URL(url);
        if (options.allowedHosts && !options.allowedHosts.includes(target.host)) {
          throw new BpmnError('WEBHOOK_REJECTED', `Webhook host ${target.host} is not allowed`);
        }
        const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': task.id };
        if (options.token) headers.authorization = `Bearer ${options.token}`;
        const body = JSON.stringify(payloadOf(task, clock()));
        if (options.secret) headers[SIGNATURE_HEADER] = signBody(options.secret, body);
        const res = await fetch(target, {
          method: 'POST', headers, body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        if (res.status >= 400 && res.status < 500) {
          throw new BpmnError('WEBHOOK_REJECTED', `The webhook answered ${res.status}`, { webhookStatus: res.status });
        }
        if (!res.ok) throw new Error(`The webhook answered ${res.status}`);
        return { variables: { webhookStatus: res.status } };
      }, { maxAttempts: 5, retryBackoffMs: 10_000, variables: ['webhookUrl', 'notifyEvent', 'notifyMessage', 'notifyData'] });
    },
  });
}
