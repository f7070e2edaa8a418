import { notFoundError } from '@sluice/core';
import type { ConfigKeyInfo } from '@sluice/core';
import type { ComponentKind, PluginComponentInfo, PluginRegistry } from '../plugins/registry.ts';
import type { PluginInfo, PluginType } from './herder.ts';

const KINDS: readonly ComponentKind[] = ['connector', 'converter', 'header-converter', 'transform', 'predicate'];

/** The class name Kafka Connect lists a component by: the Java class it replaces, where it has one. */
export function pluginClass(component: PluginComponentInfo): string {
  return component.aliases.find((a) => a.includes('.')) ?? component.name;
}

function pluginType(registry: PluginRegistry, component: PluginComponentInfo): PluginType {
  switch (component.kind) {
    case 'connector':
      return registry.resolve('connector', component.name).type;
    case 'header-converter':
      return 'header_converter';
    case 'transform':
      return 'transformation';
    default:
      return component.kind;
  }
}

/** `GET /connector-plugins`: connectors only, or every kind of plugin (KIP-769); sorted by type, then class. */
export function pluginInfos(registry: PluginRegistry, connectorsOnly: boolean): PluginInfo[] {
  const components = connectorsOnly ? registry.list('connector') : registry.list();
  const rows = components.map((c) => ({ class: pluginClass(c), type: pluginType(registry, c), version: c.version }));
  const order: PluginType[] = ['sink', 'source', 'converter', 'header_converter', 'transformation', 'predicate'];
  return rows.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type) || (a.class < b.class ? -1 : a.class > b.class ? 1 : 0));
}

/** The component a `{plugin}` path segment names, by any of its names, of any kind. */
export function findPlugin(registry: PluginRegistry, plugin: string): { kind: ComponentKind; name: string } {
  for (const kind of KINDS) {
    const info = registry.info(kind, plugin);
    if (info) return { kind, name: info.name };
  }
  throw notFoundError(`Unknown plugin ${plugin}.`);
}

/** `GET /connector-plugins/{plugin}/config`: the plugin's own keys as `ConfigKeyInfo`s. */
export function pluginConfigKeys(registry: PluginRegistry, plugin: string): ConfigKeyInfo[] {
  const { kind, name } = findPlugin(registry, plugin);
  return registry.resolve(kind, name).config.configKeyInfos();
}
