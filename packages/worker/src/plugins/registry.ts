import { configError } from '@sluice/core';
import type { ConnectorDefinition, ConverterDefinition, HeaderConverterDefinition, Plugin, PredicateDefinition, TransformDefinition } from '@sluice/core';

/** The kinds of component a worker config names by class, with the config key that names each. */
interface Kinds {
  connector: ConnectorDefinition;
  converter: ConverterDefinition;
  'header-converter': HeaderConverterDefinition;
  transform: TransformDefinition;
  predicate: PredicateDefinition;
}
export type ComponentKind = keyof Kinds;

/** One row of `GET /connector-plugins`, with the names it answers to. */
export interface PluginComponentInfo {
  readonly kind: ComponentKind;
  readonly name: string;
  readonly plugin: string;
  readonly version: string;
  readonly aliases: readonly string[];
}

interface Registered<K extends ComponentKind> {
  readonly definition: Kinds[K];
  readonly info: PluginComponentInfo;
}

const DESCRIBED: Record<ComponentKind, { key: string; noun: string }> = {
  connector: { key: 'connector.class', noun: 'connector' },
  converter: { key: 'converter', noun: 'converter' },
  'header-converter': { key: 'header.converter', noun: 'header converter' },
  transform: { key: 'transforms.type', noun: 'transformation' },
  predicate: { key: 'predicates.type', noun: 'predicate' },
};

/**
 * The names Kafka Connect also accepts for a Java class: the simple class name, and for
 * connectors the simple name without its `Connector` suffix (`FileStreamSource`).
 */
function shortNames(alias: string, kind: ComponentKind): string[] {
  const simple = alias.slice(alias.lastIndexOf('.') + 1);
  if (simple === alias) return [];
  const names = [simple];
  if (kind === 'connector' && simple.endsWith('Connector') && simple !== 'Connector') names.push(simple.slice(0, -'Connector'.length));
  return names;
}

/**
 * What a worker can run, built from the plugins it was given (an empty registry in tests):
 * components by name and by every alias, per kind. Two plugins claiming one name is an error
 * naming both.
 */
export class PluginRegistry {
  readonly #byName = new Map<string, Registered<ComponentKind>>();
  readonly #components: PluginComponentInfo[] = [];

  constructor(plugins: readonly Plugin[]) {
    for (const plugin of plugins) this.#add(plugin);
  }

  #add(plugin: Plugin): void {
    const components: [ComponentKind, Kinds[ComponentKind]][] = [
      ...plugin.connectors.map((c) => ['connector', c] as [ComponentKind, Kinds[ComponentKind]]),
      ...plugin.converters.map((c) => [c.kind, c] as [ComponentKind, Kinds[ComponentKind]]),
      ...plugin.transforms.map((t) => ['transform', t] as [ComponentKind, Kinds[ComponentKind]]),
      ...plugin.predicates.map((p) => ['predicate', p] as [ComponentKind, Kinds[ComponentKind]]),
    ];
    for (const [kind, definition] of components) {
      const explicit = Object.entries(plugin.aliases).filter(([, target]) => target === definition.name).map(([alias]) => alias);
      const aliases = [...new Set([...explicit, ...explicit.flatMap((a) => shortNames(a, kind))])].filter((a) => a !== definition.name);
      const info: PluginComponentInfo = { kind, name: definition.name, plugin: plugin.name, version: definition.version ?? plugin.version, aliases };
      for (const name of [definition.name, ...aliases]) {
        const key = `${kind}:${name}`;
        const taken = this.#byName.get(key);
        if (taken) {
          throw configError('plugin.path', `${DESCRIBED[kind].noun} name \`${name}\` is claimed by both ${taken.info.plugin} and ${plugin.name}; remove one of them`);
        }
        this.#byName.set(key, { definition, info });
      }
      this.#components.push(info);
    }
  }

  /** The component a config names, or a CONFIG error listing the known ones. */
  resolve<K extends ComponentKind>(kind: K, name: string, configKey: string = DESCRIBED[kind].key): Kinds[K] {
    const found = this.#byName.get(`${kind}:${name}`);
    if (found) return found.definition as Kinds[K];
    const known = this.list(kind).map((c) => (c.aliases.length > 0 ? `${c.name} (${c.aliases.join(', ')})` : c.name));
    throw configError(
      configKey,
      `\`${name}\` is not a known ${DESCRIBED[kind].noun}; known: ${known.length > 0 ? known.join('; ') : `none — no plugin providing a ${DESCRIBED[kind].noun} is installed`}`,
    );
  }

  info<K extends ComponentKind>(kind: K, name: string): PluginComponentInfo | undefined {
    return this.#byName.get(`${kind}:${name}`)?.info;
  }

  list(kind?: ComponentKind): PluginComponentInfo[] {
    return this.#components.filter((c) => kind === undefined || c.kind === kind);
  }
}
