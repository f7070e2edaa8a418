import type { ConnectorDefinition } from './connector.ts';
import type { ConverterDefinition, HeaderConverterDefinition } from './converter.ts';
import { definitionError, requireName, requireObject } from './define-checks.ts';
import type { PredicateDefinition, TransformDefinition } from './transform.ts';

/**
 * What {@link definePlugin} takes.
 *
 * @since 0.1.0
 */
export interface PluginInit {
  /** The package name, e.g. `@sluice/connector-file`. */
  readonly name: string;
  readonly version: string;
  readonly connectors?: readonly ConnectorDefinition[];
  readonly transforms?: readonly TransformDefinition[];
  readonly predicates?: readonly PredicateDefinition[];
  /** Converters and header converters. */
  readonly converters?: readonly (ConverterDefinition | HeaderConverterDefinition)[];
  /**
   * Other names a component answers to, e.g. the Java class names it replaces:
   * `{ 'org.apache.kafka.connect.file.FileStreamSourceConnector': 'file-source' }`.
   */
  readonly aliases?: Readonly<Record<string, string>>;
}

/**
 * A plugin: the default export of a plugin package. A plain frozen value; importing it has no
 * side effects, and the runtime registers what it is given.
 *
 * @since 0.1.0
 */
export interface Plugin {
  readonly kind: 'plugin';
  readonly name: string;
  readonly version: string;
  readonly connectors: readonly ConnectorDefinition[];
  readonly transforms: readonly TransformDefinition[];
  readonly predicates: readonly PredicateDefinition[];
  readonly converters: readonly (ConverterDefinition | HeaderConverterDefinition)[];
  readonly aliases: Readonly<Record<string, string>>;
}

const FN = 'definePlugin';

type Listed = { kind?: unknown; name?: unknown; type?: unknown };

function checkList(pluginName: string, field: string, list: unknown, kinds: readonly string[]): readonly Listed[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw definitionError(FN, pluginName, field, 'must be an array');
  const seen = new Set<string>();
  list.forEach((item: unknown, i) => {
    const entry = item as Listed | null;
    if (typeof entry !== 'object' || entry === null || !kinds.includes(String(entry.kind))) {
      throw definitionError(FN, pluginName, `${field}[${i}]`, `must be made with the matching define function (kind ${kinds.join(' or ')})`);
    }
    const id = `${String(entry.kind)}:${String(entry.name)}`;
    if (seen.has(id)) throw definitionError(FN, pluginName, `${field}[${i}]`, `duplicates the name \`${String(entry.name)}\``);
    seen.add(id);
  });
  return list as Listed[];
}

/**
 * Defines a plugin. Checks that every component was made by its define function, that names
 * are unique per kind, and that every alias points at a component of the plugin; a problem is a
 * `CONFIG` error naming it. Returns a frozen {@link Plugin}.
 *
 * @since 0.1.0
 */
export function definePlugin(init: PluginInit): Plugin {
  const def = requireObject(FN, init);
  const name = requireName(FN, def);
  if (typeof init.version !== 'string' || init.version === '') throw definitionError(FN, name, 'version', 'is missing: give the package version');
  const all = [
    ...checkList(name, 'connectors', init.connectors, ['connector']),
    ...checkList(name, 'transforms', init.transforms, ['transform']),
    ...checkList(name, 'predicates', init.predicates, ['predicate']),
    ...checkList(name, 'converters', init.converters, ['converter', 'header-converter']),
  ];
  const names = new Set(all.map((c) => String(c.name)));
  const aliases = init.aliases ?? {};
  for (const [alias, target] of Object.entries(aliases)) {
    if (!names.has(target)) throw definitionError(FN, name, `aliases.${alias}`, `points at \`${target}\`, which this plugin does not define`);
    if (names.has(alias)) throw definitionError(FN, name, `aliases.${alias}`, 'is already the name of a component');
  }
  return Object.freeze({
    kind: 'plugin',
    name,
    version: init.version,
    connectors: Object.freeze([...(init.connectors ?? [])]),
    transforms: Object.freeze([...(init.transforms ?? [])]),
    predicates: Object.freeze([...(init.predicates ?? [])]),
    converters: Object.freeze([...(init.converters ?? [])]),
    aliases: Object.freeze({ ...aliases }),
  });
}
