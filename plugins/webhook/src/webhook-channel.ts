/**
 * The webhook notification channel: every in-app notification is POSTed as JSON to the configured
 * URL. Headers: `idempotency-key` (the delivery id, the same on every retry), `x-gridflow-attempt`,
 * `authorization: Bearer <token>` when a token is set, and `x-gridflow-signature: sha256=<hex>`,
 * an HMAC-SHA256 of the exact body with the shared secret, when a secret is set.
 * 2xx: delivered; 408, 429, 5xx and network errors: retried by GridFlow; other answers: refused for good.
 */
import { createHmac } from 'node:crypto';
import { PermanentDeliveryError } from '@gridflow/engine';
import type { ChannelNotification, NotificationChannel } from '@gridflow/engine';

/** Id of the webhook channel (what GRIDFLOW_NOTIFY_CHANNELS names). */
export const WEBHOOK_CHANNEL = 'webhook';

/** Header carrying the HMAC-SHA256 signature of the body. */
export const SIGNATURE_HEADER = 'x-gridflow-signature';

/** The JSON body a notification is posted with (the same on every attempt of a delivery). */
export interface WebhookNotificationBody {
  event: 'notification.created';
  deliveryId: string;
  notification: ChannelNotification;
}

/** Configuration of the webhook channel. */
export interface WebhookChannelOptions {
  url: string;
  token?: string;
  /** Shared secret of the signature header. */
  secret?: string;
  timeoutMs?: number;
}

/** `sha256=<hex HMAC-SHA256 of body>`: the value of the signature header. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Answers worth trying again: the receiver is busy or broken for now. */
const transient = (status: number) => status === 408 || status === 429 || status >= 500;

/** Creates the webhook channel. */
export function webhookChannel(options: WebhookChannelOptions): NotificationChannel {
  const target = new URL(options.url);
  return {
    id: WEBHOOK_CHANNEL,
    name: { 'zh-CN': 'Webhook 推送', en: 'Webhook' },
    async deliver(notification, ctx) {
      const payload: WebhookNotificationBody = { event: 'notification.created', deliveryId: ctx.deliveryId, notification };
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': ctx.deliveryId, 'x-gridflow-attempt': String(ctx.attempt) };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.secret) headers[SIGNATURE_HEADER] = signBody(options.secret, body);
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]);
      const res = await fetch(target, { method: 'POST', headers, body, signal, redirect: 'manual' });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) return;
      if (transient(res.status)) throw new Error(`The webhook answered ${res.status}`);
      throw new PermanentDeliveryError(`The webhook refused the notification: HTTP ${res.status}`);
    },
  };
}
