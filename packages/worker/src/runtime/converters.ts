import { configError } from '@sluice/core';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { RecordConverters } from './record-conversion.ts';

/** Makes the configured converters for one connector (a fresh set per task). */
export type ConverterFactory = (connectorConfig: Readonly<Record<string, string>>) => RecordConverters;

/** The keys under `prefix.`, with the prefix removed: `value.converter.schemas.enable` → `schemas.enable`. */
function withPrefix(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const start = `${prefix}.`;
  return Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith(start)).map(([key, value]) => [key.slice(start.length), value]));
}

/**
 * Kafka Connect's converter rules: a connector that names its own `key.converter` (etc.) uses
 * its own `key.converter.*` settings; otherwise the worker's converter and settings apply.
 */
export function converterFactory(registry: PluginRegistry, workerConfig: Readonly<Record<string, string>>): ConverterFactory {
  const source = (connectorConfig: Readonly<Record<string, string>>, key: string) => {
    const config = connectorConfig[key] ? connectorConfig : workerConfig;
    const name = config[key];
    if (!name) throw configError(key, 'must be set in the worker config or in the connector config');
    return { name, settings: withPrefix(config, key) };
  };
  return (connectorConfig) => {
    const make = (key: 'key.converter' | 'value.converter') => {
      const { name, settings } = source(connectorConfig, key);
      const definition = registry.resolve('converter', name, key);
      const converter = definition.create();
      converter.configure(definition.config.parse(settings), key === 'key.converter');
      return converter;
    };
    const header = source(connectorConfig, 'header.converter');
    const headerDefinition = registry.resolve('header-converter', header.name, 'header.converter');
    const headerConverter = headerDefinition.create();
    headerConverter.configure(headerDefinition.config.parse(header.settings));
    return {
      key: make('key.converter'),
      value: make('value.converter'),
      header: headerConverter,
      names: { key: source(connectorConfig, 'key.converter').name, value: source(connectorConfig, 'value.converter').name, header: header.name },
    };
  };
}
