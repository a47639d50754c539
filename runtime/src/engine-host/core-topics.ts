/**
 * GridFlow's own topics: the service tasks of the standard processes that need the runtime (its
 * database, the definitions in use, the engine) rather than an outside system — dispatch suggestions
 * from the responsibility list, the case clock, whistles. They are bound by a built-in plugin
 * created with the runtime's dependencies; outside plugins cannot bind these topics.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { definePlugin, PluginRegistry } from '@gridflow/engine';
import type { EngineClient, GridflowPlugin, PluginSetupContext, TopicBinding } from '@gridflow/engine';
import { dispatchTopics } from '../dispatch/dispatch.topics.ts';
import { clockTopics } from '../clock/clock.topics.ts';
import { whistleTopics } from '../whistle/whistle.topics.ts';

/** What core topic handlers may use. */
export interface CoreTopicDeps {
  db: Knex;
  engine: EngineClient;
  clock: () => Date;
  logger: Logger;
}

/** A group of core topics: the names it binds (known before start-up, for definitions checks) and their registration. */
export interface CoreTopicModule {
  topics: readonly string[];
  register(topics: PluginSetupContext['topics'], deps: CoreTopicDeps): void;
}

const modules: readonly CoreTopicModule[] = [dispatchTopics, clockTopics, whistleTopics];

/** Names of the core topics: BPMN may name them whatever plugins are installed. */
export const coreTopicNames: ReadonlySet<string> = new Set(modules.flatMap((m) => m.topics));

/** The built-in plugin binding the core topics. */
export function corePlugin(deps: CoreTopicDeps): GridflowPlugin {
  return definePlugin({
    id: 'gridflow.core',
    apiVersion: 1,
    setup({ topics }) {
      for (const m of modules) {
        const bound: string[] = [];
        m.register({ register: (topic, handler, options) => { bound.push(topic); topics.register(topic, handler, options); } }, deps);
        const declared = [...m.topics].sort().join(',');
        if (bound.sort().join(',') !== declared) throw new Error(`Core topic module declares [${declared}] but bound [${bound.join(',')}]`);
      }
    },
  });
}

/** The topics bound by outside plugins and the core, joined; an outside plugin binding a core topic is refused. */
export function withCoreTopics(plugins: Pick<PluginRegistry, 'topics'>, deps: CoreTopicDeps): { topics(): TopicBinding[] } {
  const core = new PluginRegistry().use(corePlugin(deps)).freeze();
  const outside = plugins.topics();
  const clash = outside.find((b) => coreTopicNames.has(b.topic));
  if (clash) throw new Error(`Plugin ${clash.pluginId} binds ${clash.topic}, a topic of GridFlow itself`);
  const all = [...core.topics(), ...outside];
  return { topics: () => all };
}

/** The topics BPMN may name: the plugins' and the core's. */
export function boundTopicNames(plugins: Pick<PluginRegistry, 'topicNames'>): ReadonlySet<string> {
  return new Set([...plugins.topicNames(), ...coreTopicNames]);
}
