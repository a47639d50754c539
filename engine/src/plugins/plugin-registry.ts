/** Registry of plugins, topics, form fields and notification channels: loud on conflict, frozen after start-up. */
import { PLUGIN_API_VERSION } from './plugin-api.ts';
import type { FormFieldType, GridflowPlugin, TopicBinding, TopicHandler, TopicOptions } from './plugin-api.ts';
import type { NotificationChannel, NotificationChannelBinding } from './notification-channel.ts';

const idPattern = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

/** Collects what plugins register. Registering a topic, field or channel twice throws. */
export class PluginRegistry {
  private readonly plugins = new Map<string, GridflowPlugin>();
  private readonly topicBindings = new Map<string, TopicBinding>();
  private readonly fieldTypes = new Map<string, FormFieldType & { pluginId: string }>();
  private readonly channelBindings = new Map<string, NotificationChannelBinding>();
  private frozen = false;

  /** Registers a plugin and runs its setup. */
  use(plugin: GridflowPlugin): this {
    this.assertOpen(`plugin ${plugin.id}`);
    if (!idPattern.test(plugin.id)) throw new Error(`Plugin id "${plugin.id}" must be lowercase words separated by dots or dashes`);
    if (plugin.apiVersion !== PLUGIN_API_VERSION) {
      throw new Error(`Plugin ${plugin.id} targets plugin API ${plugin.apiVersion}; this GridFlow provides ${PLUGIN_API_VERSION}`);
    }
    if (this.plugins.has(plugin.id)) throw new Error(`Plugin ${plugin.id} is registered twice`);
    this.plugins.set(plugin.id, plugin);
    plugin.setup({
      topics: { register: (topic, handler, options) => this.registerTopic(plugin.id, topic, handler, options) },
      formFields: { register: (component, field) => this.registerField(plugin.id, component, field) },
      notificationChannels: { register: (channel) => this.registerChannel(plugin.id, channel) },
    });
    return this;
  }

  /** No registration is accepted after this. */
  freeze(): this {
    this.frozen = true;
    return this;
  }

  /** The binding of a topic, if any. */
  topic(name: string): TopicBinding | undefined {
    return this.topicBindings.get(name);
  }

  /** Every bound topic. */
  topics(): TopicBinding[] {
    return [...this.topicBindings.values()];
  }

  /** Names of the bound topics (what BPMN validation checks external tasks against). */
  topicNames(): ReadonlySet<string> {
    return new Set(this.topicBindings.keys());
  }

  /** Form field types added by plugins. */
  formFields(): (FormFieldType & { pluginId: string })[] {
    return [...this.fieldTypes.values()];
  }

  /** Notification channels added by plugins, in registration order. */
  channels(): NotificationChannelBinding[] {
    return [...this.channelBindings.values()];
  }

  /** A notification channel by id, if registered. */
  channel(id: string): NotificationChannelBinding | undefined {
    return this.channelBindings.get(id);
  }

  private registerTopic(pluginId: string, topic: string, handler: TopicHandler, options: TopicOptions = {}): void {
    this.assertOpen(`topic ${topic}`);
    if (!idPattern.test(topic)) throw new Error(`Topic "${topic}" of plugin ${pluginId} must be lowercase words separated by dots`);
    const existing = this.topicBindings.get(topic);
    if (existing) throw new Error(`Topic ${topic} is already bound by plugin ${existing.pluginId}; plugin ${pluginId} cannot bind it again`);
    const binding: TopicBinding = {
      topic, pluginId, handler,
      lockDurationMs: options.lockDurationMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 3,
      retryBackoffMs: options.retryBackoffMs ?? 5_000,
    };
    if (options.variables) binding.variables = options.variables;
    this.topicBindings.set(topic, binding);
  }

  private registerField(pluginId: string, component: string, field: Omit<FormFieldType, 'component'>): void {
    this.assertOpen(`form field ${component}`);
    const existing = this.fieldTypes.get(component);
    if (existing) throw new Error(`Form field ${component} is already registered by plugin ${existing.pluginId}`);
    this.fieldTypes.set(component, { component, ...field, pluginId });
  }

  private registerChannel(pluginId: string, channel: NotificationChannel): void {
    this.assertOpen(`notification channel ${String(channel.id)}`);
    const { id, name, deliver } = channel;
    if (typeof id !== 'string' || !idPattern.test(id)) throw new Error(`Notification channel "${String(id)}" of plugin ${pluginId} must be lowercase words separated by dots or dashes`);
    if (typeof deliver !== 'function') throw new Error(`Notification channel ${id} of plugin ${pluginId} has no deliver(notification, ctx) function`);
    if (!name || typeof name['zh-CN'] !== 'string' || !name['zh-CN'] || typeof name.en !== 'string') {
      throw new Error(`Notification channel ${id} of plugin ${pluginId} needs a name in zh-CN and en`);
    }
    const fields = channel.recipientFields ?? [];
    const unknown = fields.filter((f) => f !== 'phone');
    if (unknown.length > 0) throw new Error(`Notification channel ${id} of plugin ${pluginId} asks for unknown recipient fields: ${unknown.join(', ')}`);
    const existing = this.channelBindings.get(id);
    if (existing) throw new Error(`Notification channel ${id} is already registered by plugin ${existing.pluginId}; plugin ${pluginId} cannot register it again`);
    const binding: NotificationChannelBinding = {
      id, name: { 'zh-CN': name['zh-CN'], en: name.en }, pluginId, recipientFields: Object.freeze([...fields]),
      deliver: (notification, ctx) => deliver.call(channel, notification, ctx),
    };
    this.channelBindings.set(id, Object.freeze(binding));
  }

  private assertOpen(what: string): void {
    if (this.frozen) throw new Error(`Cannot register ${what}: the plugin registry is frozen after start-up`);
  }
}
