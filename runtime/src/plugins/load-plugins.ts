/**
 * Loads the configured plugins (GRIDFLOW_PLUGINS: module names, comma separated) into a frozen
 * registry. A plugin module exports `createPlugin(env)` returning a GridflowPlugin.
 */
import { PluginRegistry, UserError } from '@gridflow/engine';
import type { GridflowPlugin } from '@gridflow/engine';

/** Plugins loaded when GRIDFLOW_PLUGINS is not set: the built-in ones. */
export const builtInPlugins = ['@gridflow/plugin-webhook'];

/** Imports the plugin modules and registers them; registration conflicts throw. */
export async function loadPlugins(modules: string[], env: Record<string, string | undefined> = process.env): Promise<PluginRegistry> {
  const registry = new PluginRegistry();
  for (const name of modules) {
    let mod: { createPlugin?: (env: Record<string, string | undefined>) => GridflowPlugin };
    try {
      mod = (await import(name)) as typeof mod;
    } catch (e) {
      throw new UserError('plugins.notFound', { 'zh-CN': `无法加载插件 ${name}：${(e as Error).message}`, en: `Cannot load plugin ${name}: ${(e as Error).message}` });
    }
    if (typeof mod.createPlugin !== 'function') {
      throw new UserError('plugins.invalid', { 'zh-CN': `插件 ${name} 没有导出 createPlugin(env)`, en: `Plugin ${name} does not export createPlugin(env)` });
    }
    registry.use(mod.createPlugin(env));
  }
  return registry.freeze();
}
