/**
 * Notification channels in the plugin registry: listed with their plugin, loud on a duplicate id or
 * a malformed channel, closed after start-up; plugins written before channels existed still load;
 * the webhook plugin adds its channel only when a URL is configured; GRIDFLOW_NOTIFY_CHANNELS picks
 * among the registered channels and names the ones that do not exist.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definePlugin, PluginRegistry, UserError } from '@gridflow/engine';
import type { NotificationChannel } from '@gridflow/engine';
import { loadConfig, notificationsConfig } from '../../src/config.ts';
import { channelsInUse } from '../../src/notifications/notification-delivery.ts';
import { loadPlugins } from '../../src/plugins/load-plugins.ts';

const channel = (id: string, extra: Partial<NotificationChannel> = {}): NotificationChannel => ({
  id, name: { 'zh-CN': '测试渠道', en: 'Test channel' }, deliver: async () => undefined, ...extra,
});
const plugin = (id: string, ...channels: NotificationChannel[]) => definePlugin({
  id, apiVersion: 1, setup: ({ notificationChannels }) => { for (const c of channels) notificationChannels.register(c); },
});

describe('notification channels in the plugin registry', () => {
  it('lists registered channels with the plugin that registered them', () => {
    const registry = new PluginRegistry().use(plugin('acme.sms', channel('sms.acme', { recipientFields: ['phone'] }))).use(plugin('acme.im', channel('im'))).freeze();
    assert.deepEqual(registry.channels().map((c) => [c.id, c.pluginId, c.recipientFields]), [['sms.acme', 'acme.sms', ['phone']], ['im', 'acme.im', []]]);
    assert.equal(registry.channel('im')?.name['zh-CN'], '测试渠道');
    assert.equal(registry.channel('nope'), undefined);
  });

  it('refuses a channel id registered twice, naming both plugins', () => {
    const registry = new PluginRegistry().use(plugin('first', channel('webhook')));
    assert.throws(() => registry.use(plugin('second', channel('webhook'))), /Notification channel webhook is already registered by plugin first; plugin second cannot register it again/);
    assert.throws(() => new PluginRegistry().use(plugin('twice', channel('x'), channel('x'))), /already registered by plugin twice/);
  });

  it('refuses malformed channels with the reason', () => {
    const use = (c: NotificationChannel) => () => new PluginRegistry().use(plugin('p', c));
    assert.throws(use(channel('Bad Id')), /Notification channel "Bad Id" of plugin p must be lowercase/);
    assert.throws(use(channel('ok', { name: { 'zh-CN': '', en: 'x' } })), /needs a name in zh-CN and en/);
    assert.throws(use({ ...channel('ok'), deliver: undefined } as unknown as NotificationChannel), /has no deliver\(notification, ctx\) function/);
    assert.throws(use(channel('ok', { recipientFields: ['idNumber' as 'phone'] })), /unknown recipient fields: idNumber/);
  });

  it('is closed after start-up', () => {
    let late: ((c: NotificationChannel) => void) | undefined;
    const registry = new PluginRegistry().use(definePlugin({ id: 'sneaky', apiVersion: 1, setup: ({ notificationChannels }) => { late = (c) => notificationChannels.register(c); } })).freeze();
    assert.throws(() => late?.(channel('later')), /Cannot register notification channel later: the plugin registry is frozen after start-up/);
    assert.deepEqual(registry.channels(), []);
  });

  it('still loads plugins that know nothing of channels', () => {
    const old = definePlugin({ id: 'legacy', apiVersion: 1, setup: ({ topics }) => topics.register('legacy.task', async () => ({})) });
    const registry = new PluginRegistry().use(old).freeze();
    assert.deepEqual([registry.topicNames().has('legacy.task'), registry.channels().length], [true, 0]);
  });

  it('the webhook plugin adds its channel only when GRIDFLOW_WEBHOOK_URL is set; its topic either way', async () => {
    const without = await loadPlugins(['@gridflow/plugin-webhook'], {});
    assert.deepEqual([without.channels().length, without.topicNames().has('gridflow.notify.webhook')], [0, true]);
    const withUrl = await loadPlugins(['@gridflow/plugin-webhook'], { GRIDFLOW_WEBHOOK_URL: 'https://hooks.example.gov.cn/gridflow' });
    assert.deepEqual(withUrl.channels().map((c) => [c.id, c.pluginId, c.recipientFields]), [['webhook', 'gridflow.webhook', []]]);
    assert.ok(withUrl.topicNames().has('gridflow.notify.webhook'));
    await assert.rejects(loadPlugins(['@gridflow/plugin-webhook'], { GRIDFLOW_WEBHOOK_URL: 'hooks.example.gov.cn' }), /GRIDFLOW_WEBHOOK_URL must be an http\(s\) URL, got "hooks.example.gov.cn"/);
  });
});

describe('GRIDFLOW_NOTIFY_* configuration', () => {
  const registry = new PluginRegistry().use(plugin('a', channel('webhook'), channel('sms'))).freeze();

  it('defaults to every registered channel, 8 attempts and 30 s backoff', () => {
    const config = loadConfig({}).notifications;
    assert.deepEqual(config, { maxAttempts: 8, retrySeconds: 30 });
    assert.deepEqual(channelsInUse(registry, config.channels).map((c) => c.id), ['webhook', 'sms']);
  });

  it('picks the listed channels, or none', () => {
    const config = notificationsConfig({ GRIDFLOW_NOTIFY_CHANNELS: ' sms , webhook,sms', GRIDFLOW_NOTIFY_MAX_ATTEMPTS: '3', GRIDFLOW_NOTIFY_RETRY_SECONDS: '5', GRIDFLOW_PUBLIC_URL: 'https://gf.example.gov.cn/' });
    assert.deepEqual(config, { channels: ['sms', 'webhook', 'sms'], maxAttempts: 3, retrySeconds: 5, publicUrl: 'https://gf.example.gov.cn' });
    assert.deepEqual(channelsInUse(registry, config.channels).map((c) => c.id), ['sms', 'webhook']);
    assert.deepEqual(channelsInUse(registry, notificationsConfig({ GRIDFLOW_NOTIFY_CHANNELS: 'none' }).channels), []);
  });

  it('names unknown channels and bad numbers', () => {
    assert.throws(() => channelsInUse(registry, ['webhook', 'wechat']), (e: unknown) => e instanceof UserError && /wechat/.test(e.message) && /registered: webhook, sms/.test(e.localized.en) && /已注册：webhook, sms/.test(e.localized['zh-CN']));
    assert.throws(() => notificationsConfig({ GRIDFLOW_NOTIFY_MAX_ATTEMPTS: '2.5' }), /GRIDFLOW_NOTIFY_MAX_ATTEMPTS must be a whole number/);
    assert.throws(() => notificationsConfig({ GRIDFLOW_NOTIFY_RETRY_SECONDS: '0' }), /GRIDFLOW_NOTIFY_RETRY_SECONDS must be a positive number/);
    assert.throws(() => notificationsConfig({ GRIDFLOW_PUBLIC_URL: 'gridflow.example' }), /GRIDFLOW_PUBLIC_URL must be an http\(s\) URL/);
  });
});
