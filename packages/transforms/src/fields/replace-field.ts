// ReplaceField: keeps or drops top-level fields (`include`, `exclude`) and renames them (`renames`).
import { SchemaBuilder, Struct, custom, defineConfig } from '@sluice/core';
import type { ConfigOf, Schema } from '@sluice/core';
import { likeOriginal, requireMap, requireStruct } from '../values.ts';
import { keyValueTransform } from '../variant.ts';
import type { SideAccess } from '../variant.ts';
import { REPLACE_NULL_WITH_DEFAULT, SchemaCache, copySchemaBasics, fieldValue, transformation } from './support.ts';

const PURPOSE = 'field replacement';

/** Parses `old:new` pairs; throws an Error naming the first that is not one. */
export function parseRenames(entries: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const entry of entries) {
    // Like Java's String.split, empty parts at the end do not count: `a:` is one part.
    const parts = entry.split(':');
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length !== 2) throw new Error(`\`${entry}\` is not \`old:new\``);
    renames.set(parts[0] as string, parts[1] as string);
  }
  return renames;
}

const config = defineConfig({
  exclude: { type: 'list', default: [], importance: 'medium', doc: 'Fields to drop. Takes precedence over `include`.' },
  include: { type: 'list', default: [], importance: 'medium', doc: 'Fields to keep; when set, all others are dropped.' },
  renames: {
    type: 'list',
    default: [],
    validate: custom('list of old:new pairs, e.g. `foo:bar,abc:xyz`', (value) => {
      try {
        parseRenames(value as string[]);
      } catch (error) {
        return (error as Error).message;
      }
    }),
    importance: 'medium',
    doc: 'Fields to rename, as `old:new` pairs.',
  },
  'replace.null.with.default': REPLACE_NULL_WITH_DEFAULT,
});

function create(side: SideAccess) {
  return transformation<ConfigOf<typeof config>>('ReplaceField', (cfg) => {
    const exclude = new Set(cfg.exclude);
    const include = new Set(cfg.include);
    const renames = parseRenames(cfg.renames);
    const originals = new Map([...renames].map(([from, to]) => [to, from]));
    const withDefault = cfg['replace.null.with.default'];
    const cache = new SchemaCache();
    const kept = (name: string): boolean => !exclude.has(name) && (include.size === 0 || include.has(name));
    const renamed = (name: string): string => renames.get(name) ?? name;

    const buildSchema = (schema: Schema): Schema => {
      const builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields ?? []) if (kept(field.name)) builder.field(renamed(field.name), field.schema);
      return builder.build();
    };

    return (record) => {
      const value = side.value(record);
      if (value === null || value === undefined) return record;
      if (side.schema(record) === undefined) {
        const updated = new Map<string, unknown>();
        for (const [name, v] of requireMap(value, PURPOSE)) if (kept(name)) updated.set(renamed(name), v);
        return side.update(record, undefined, likeOriginal(value, updated));
      }
      const struct = requireStruct(value, PURPOSE);
      const updatedSchema = cache.get(struct.schema, buildSchema);
      const updated = new Struct(updatedSchema);
      for (const field of updatedSchema.fields ?? []) updated.put(field, fieldValue(struct, originals.get(field.name) ?? field.name, withDefault));
      return side.update(record, updatedSchema, updated);
    };
  });
}

export const replaceField = keyValueTransform({
  name: 'ReplaceField',
  doc: 'Keeps, drops or renames top-level fields',
  config,
  create,
});
