/**
 * Start-up of notification delivery: picks the channels in use (GRIDFLOW_NOTIFY_CHANNELS, default
 * every channel the plugins registered), routes new notifications to them and starts the dispatcher.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { UserError } from '@gridflow/engine';
import type { NotificationChannelBinding, PluginRegistry } from '@gridflow/engine';
import type { NotificationsConfig } from '../config.ts';
import { routeNotificationsTo } from './delivery-queue.ts';
import { NotificationDispatcher } from './notification-dispatcher.ts';
import type { DispatcherOptions } from './notification-dispatcher.ts';

/** The channels in use: those configured (each must be registered), or every registered one. */
export function channelsInUse(registry: Pick<PluginRegistry, 'channels'>, configured: string[] | undefined): NotificationChannelBinding[] {
  const all = registry.channels();
  if (configured === undefined) return all;
  const unknown = configured.filter((id) => !all.some((c) => c.id === id));
  if (unknown.length > 0) {
    const known = all.map((c) => c.id).join(', ');
    throw new UserError('notifications.unknownChannel', {
      'zh-CN': `GRIDFLOW_NOTIFY_CHANNELS 中的通知渠道未注册：${unknown.join('、')}（已注册：${known || '无'}；Webhook 渠道需配置 GRIDFLOW_WEBHOOK_URL）`,
      en: `GRIDFLOW_NOTIFY_CHANNELS names channels no plugin registered: ${unknown.join(', ')} (registered: ${known || 'none'}; the webhook channel needs GRIDFLOW_WEBHOOK_URL)`,
    });
  }
  return [...new Set(configured)].map((id) => all.find((c) => c.id === id) as NotificationChannelBinding);
}

/** Routes new notifications to the channels in use and starts delivering them; stop() the result on shutdown. */
export function startNotificationDelivery(
  db: Knex, registry: Pick<PluginRegistry, 'channels'>, config: NotificationsConfig, logger: Logger,
  tuning: Pick<DispatcherOptions, 'clock' | 'leaseMs' | 'pollMs' | 'batchSize'> = {},
): NotificationDispatcher {
  const channels = channelsInUse(registry, config.channels);
  routeNotificationsTo(channels.map((c) => c.id));
  const dispatcher = new NotificationDispatcher(db, {
    channels, logger, maxAttempts: config.maxAttempts, retryBaseMs: config.retrySeconds * 1000,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}), ...tuning,
  });
  dispatcher.start();
  if (channels.length > 0) {
    logger.info({ channels: channels.map((c) => c.id), withPhone: channels.filter((c) => c.recipientFields.includes('phone')).map((c) => c.id) }, 'notifications are delivered through channels');
  }
  return dispatcher;
}
