/** @gridflow/plugin-webhook: the built-in webhook notification channel. */
export { webhookPlugin, WEBHOOK_TOPIC } from './webhook.plugin.ts';
export type { WebhookPluginOptions, WebhookPayload } from './webhook.plugin.ts';
export { webhookChannel, signBody, WEBHOOK_CHANNEL, SIGNATURE_HEADER } from './webhook-channel.ts';
export type { WebhookChannelOptions, WebhookNotificationBody } from './webhook-channel.ts';
import { webhookPlugin } from './webhook.plugin.ts';
import type { GridflowPlugin } from '@gridflow/engine';

/**
 * Entry point the runtime calls when it loads this plugin, configured by environment:
 * GRIDFLOW_WEBHOOK_URL (default URL; the notification channel exists only with it),
 * GRIDFLOW_WEBHOOK_TOKEN (bearer token), GRIDFLOW_WEBHOOK_SECRET (HMAC signature key),
 * GRIDFLOW_WEBHOOK_HOSTS (hosts the BPMN topic may call).
 */
export function createPlugin(env: Record<string, string | undefined>): GridflowPlugin {
  const options: Parameters<typeof webhookPlugin>[0] = {};
  if (env.GRIDFLOW_WEBHOOK_URL) {
    if (!/^https?:\/\//.test(env.GRIDFLOW_WEBHOOK_URL) || !URL.canParse(env.GRIDFLOW_WEBHOOK_URL)) {
      throw new Error(`GRIDFLOW_WEBHOOK_URL must be an http(s) URL, got "${env.GRIDFLOW_WEBHOOK_URL}"`);
    }
    options.defaultUrl = env.GRIDFLOW_WEBHOOK_URL;
  }
  if (env.GRIDFLOW_WEBHOOK_TOKEN) options.token = env.GRIDFLOW_WEBHOOK_TOKEN;
  if (env.GRIDFLOW_WEBHOOK_SECRET) options.secret = env.GRIDFLOW_WEBHOOK_SECRET;
  if (env.GRIDFLOW_WEBHOOK_HOSTS) options.allowedHosts = env.GRIDFLOW_WEBHOOK_HOSTS.split(',').map((h) => h.trim()).filter(Boolean);
  return webhookPlugin(options);
}
