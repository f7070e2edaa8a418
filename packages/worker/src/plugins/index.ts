// @sluice/worker/plugins: finding plugins and resolving the components they provide.
export { loadPlugins } from './loader.ts';
export { PluginRegistry } from './registry.ts';
export type { ComponentKind, PluginComponentInfo } from './registry.ts';
