import { defineConfig, errorCodeOf } from '@sluice/core';
import type { ConfigInfos, ConfigSpec, ConnectorDefinition } from '@sluice/core';
import type { PluginRegistry } from '../plugins/registry.ts';
import { parseSinkConnectorConfig, sinkConnectorConfig, sourceConnectorConfig } from '../runtime/connector-config.ts';

type ConfigEntry = ConfigInfos['configs'][number];

/** The keys every `transforms.<alias>.` (KIP-66, KIP-585) and `predicates.<alias>.` has besides its own. */
function aliasKeys(kind: 'transforms' | 'predicates', alias: string): ConfigSpec {
  const group = `${kind === 'transforms' ? 'Transforms' : 'Predicates'}: ${alias}`;
  const noun = kind === 'transforms' ? 'transformation' : 'predicate';
  const type = { type: 'class', importance: 'high', group, order: 0, width: 'long', displayName: `${noun} type for ${alias}`, doc: `Class for the '${alias}' ${noun}.` } as const;
  if (kind === 'predicates') return defineConfig({ type });
  return defineConfig({
    type,
    predicate: { type: 'string', default: null, importance: 'medium', group, order: 1, width: 'long', displayName: 'Predicate', doc: 'The alias of a predicate used to determine whether to apply this transformation.' },
    negate: { type: 'boolean', default: false, importance: 'medium', group, order: 2, width: 'short', displayName: 'Negate', doc: 'Whether the configured predicate should be negated.' },
  });
}

/** The keys under `prefix`, with the prefix removed. */
function under(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  return out;
}

/** A spec's entries renamed under `prefix` and put in `group`, errors naming the full key. */
function prefixed(infos: ConfigInfos, prefix: string, group: string): ConfigEntry[] {
  const named = (message: string) => message.replace(/config key `([^`]*)`/g, (_m, key: string) => `config key \`${prefix}${key}\``);
  return infos.configs.map(({ definition, value }) => ({
    definition: { ...definition, name: `${prefix}${definition.name}`, group },
    value: { ...value, name: `${prefix}${value.name}`, errors: value.errors.map(named) },
  }));
}

/** Adds `message` to the entry of `key`, or as an entry of its own when the specs do not define the key. */
function addError(configs: ConfigEntry[], key: string, message: string): void {
  const entry = configs.find((c) => c.value.name === key);
  if (entry) {
    if (!entry.value.errors.includes(message)) entry.value.errors.push(message);
    return;
  }
  configs.push({
    definition: { name: key, type: 'STRING', required: false, default_value: null, importance: 'LOW', documentation: '', group: null, order: -1, width: 'NONE', display_name: key, dependents: [] },
    value: { name: key, value: null, recommended_values: [], errors: [message], visible: true },
  });
}

/** The entries of one transform or predicate alias: its type and, once the type is known, its own keys configured for real. */
function aliasEntries(registry: PluginRegistry, kind: 'transforms' | 'predicates', alias: string, config: Readonly<Record<string, string>>): ConfigEntry[] {
  const prefix = `${kind}.${alias}.`;
  const group = `${kind === 'transforms' ? 'Transforms' : 'Predicates'}: ${alias}`;
  const { type, predicate, negate, ...own } = under(config, prefix);
  const common = aliasKeys(kind, alias);
  const entries = prefixed(common.configInfos(alias, kind === 'transforms' ? { type, predicate, negate } : { type }), prefix, group);
  if (type === undefined || type === '') return entries;
  let definition;
  try {
    definition = registry.resolve(kind === 'transforms' ? 'transform' : 'predicate', type, `${prefix}type`);
  } catch (error) {
    addError(entries, `${prefix}type`, (error as Error).message);
    return entries;
  }
  const ownEntries = prefixed(definition.config.configInfos(alias, own), prefix, group);
  entries.push(...ownEntries);
  if (ownEntries.every((e) => e.value.errors.length === 0)) {
    // Checks only `configure` makes (a regex that does not compile, a spec that does not parse).
    try {
      const component = definition.create();
      try {
        component.configure(definition.config.parse(own));
      } finally {
        component.close?.();
      }
    } catch (error) {
      if (errorCodeOf(error) !== 'CONFIG') throw error;
      const key = (error as { context?: { key?: unknown } }).context?.key;
      const message = (error as Error).message.replace(/config key `([^`]*)`/g, (_m, k: string) => `config key \`${prefix}${k}\``);
      addError(entries, typeof key === 'string' ? `${prefix}${key}` : `${prefix}type`, message);
    }
  }
  if (kind === 'transforms' && predicate !== undefined && predicate !== '' && !(config.predicates ?? '').split(',').map((p) => p.trim()).includes(predicate)) {
    addError(entries, `${prefix}predicate`, `config key \`${prefix}predicate\`: names \`${predicate}\`, which is not listed in \`predicates\``);
  }
  return entries;
}

/**
 * Kafka Connect's `PUT /connector-plugins/{plugin}/config/validate` answer for a connector
 * config: the connector-level keys (common, and sink or source keys), the connector's own keys
 * with its `validate` hook's cross-key errors, and each listed transform's and predicate's keys
 * under `transforms.<alias>.` / `predicates.<alias>.`. Secret values show `[hidden]`.
 *
 * @param shownValues values to show instead of the given ones (a provider variable's raw text)
 */
export async function connectorConfigInfos(
  registry: PluginRegistry,
  definition: ConnectorDefinition,
  className: string,
  config: Readonly<Record<string, string>>,
  shownValues: Readonly<Record<string, string>> = {},
): Promise<ConfigInfos> {
  const common = definition.type === 'sink' ? sinkConnectorConfig : sourceConnectorConfig;
  const commonInfos = common.configInfos(className, config);
  const configs = [...commonInfos.configs];
  if (definition.type === 'sink') {
    try {
      parseSinkConnectorConfig(config);
    } catch (error) {
      const key = (error as { context?: { key?: unknown } }).context?.key;
      if (typeof key === 'string') addError(configs, key, (error as Error).message);
    }
  }
  const own = definition.config.configInfos(className, config);
  if (definition.validate) {
    const checked = await definition.validate(config, definition.config.validate(config));
    for (const value of checked) for (const message of value.errors) addError(own.configs, value.name, message);
  }
  const names = new Set(configs.map((c) => c.definition.name));
  configs.push(...own.configs.filter((c) => !names.has(c.definition.name)));
  const groups = [...commonInfos.groups, ...own.groups.filter((g) => !commonInfos.groups.includes(g))];
  const settings = common.validate(config);
  const listOf = (key: string) => {
    const value = settings.find((v) => v.name === key)?.value;
    return Array.isArray(value) ? [...new Set(value as string[])] : [];
  };
  for (const kind of ['transforms', 'predicates'] as const) {
    for (const alias of listOf(kind)) {
      configs.push(...aliasEntries(registry, kind, alias, config));
      groups.push(`${kind === 'transforms' ? 'Transforms' : 'Predicates'}: ${alias}`);
    }
  }
  for (const entry of configs) {
    const shown = shownValues[entry.value.name];
    if (shown !== undefined && entry.value.value !== '[hidden]') entry.value.value = shown;
  }
  return { name: className, error_count: configs.reduce((n, c) => n + c.value.errors.length, 0), groups, configs };
}
