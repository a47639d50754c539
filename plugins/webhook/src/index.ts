/** @gridflow/plugin-webhook: the built-in webhook notification channel. */
export { webhookPlugin, WEBHOOK_TOPIC } from './webhook.plugin.ts';
export type { WebhookPluginOptions, WebhookPayload } from './webhook.plugin.ts';
import { webhookPlugin } from './webhook.plugin.ts';
import type { GridflowPlugin } from '@gridflow/engine';

/** Entry point the runtime calls when it loads this plugin (configured by environment). */
export function createPlugin(env: Record<string, string | undefined>): GridflowPlugin {
  const options: Parameters<typeof webhookPlugin>[0] = {};
  if (env.GRIDFLOW_WEBHOOK_URL) options.defaultUrl = env.GRIDFLOW_WEBHOOK_URL;
  if (env.GRIDFLOW_WEBHOOK_TOKEN) options.token = env.GRIDFLOW_WEBHOOK_TOKEN;
  if (env.GRIDFLOW_WEBHOOK_HOSTS) options.allowedHosts = env.GRIDFLOW_WEBHOOK_HOSTS.split(',').map((h) => h.trim()).filter(Boolean);
  return webhookPlugin(options);
}
