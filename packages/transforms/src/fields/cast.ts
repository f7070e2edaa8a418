// Cast: casts the whole key/value, or chosen top-level fields of it, to another primitive type.
import { LogicalNames, SchemaBuilder, Struct, custom, defineConfig } from '@sluice/core';
import type { ConfigOf, Schema, SchemaType } from '@sluice/core';
import { forField, likeOriginal, requireMap, requireStruct } from '../values.ts';
import { keyValueTransform } from '../variant.ts';
import type { SideAccess } from '../variant.ts';
import { CAST_TARGETS, castValue } from './cast-value.ts';
import { REPLACE_NULL_WITH_DEFAULT, SchemaCache, copySchemaBasics, fieldValue, transformation } from './support.ts';

const PURPOSE = 'cast types';
const LOGICAL: readonly string[] = Object.values(LogicalNames);

/** What `spec` asks for: one type for the whole value, or a type per field. */
export type CastSpec = { readonly whole: SchemaType } | { readonly whole?: undefined; readonly fields: ReadonlyMap<string, SchemaType> };

function targetType(text: string): SchemaType {
  const type = text.trim().toUpperCase();
  if (!(CAST_TARGETS as readonly string[]).includes(type)) {
    const known = ['ARRAY', 'MAP', 'STRUCT', 'BYTES'].includes(type);
    throw new Error(
      known
        ? `cannot cast to ${type}; the types to cast to are ${CAST_TARGETS.map((t) => t.toLowerCase()).join(', ')}`
        : `\`${text.trim()}\` is not a type to cast to; use one of ${CAST_TARGETS.map((t) => t.toLowerCase()).join(', ')}`,
    );
  }
  return type as SchemaType;
}

/** Parses `spec` (`int32` or `a:int32,b:string`); throws an Error whose message says what is wrong. */
export function parseCastSpec(entries: readonly string[]): CastSpec {
  if (entries.length === 0) throw new Error('must name at least one field to cast, or one type for the whole value');
  const fields = new Map<string, SchemaType>();
  let whole: SchemaType | undefined;
  for (const entry of entries) {
    // Like Java's String.split, empty parts at the end do not count: `foo:` is one part.
    const parts = entry.split(':');
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length > 2) throw new Error(`\`${entry}\` is not \`field:type\``);
    if (parts.length === 1) whole = targetType(parts[0] as string);
    else fields.set((parts[0] as string).trim(), targetType(parts[1] as string));
  }
  if (whole !== undefined) {
    if (entries.length > 1) throw new Error('a cast of the whole value must be the only entry of the spec');
    return { whole };
  }
  return { fields };
}

const config = defineConfig({
  spec: {
    type: 'list',
    validate: custom('list of field:type pairs (`foo:int32,bar:string`), or one type for the whole value', (value) => {
      try {
        parseCastSpec(value as string[]);
      } catch (error) {
        return (error as Error).message;
      }
    }),
    importance: 'high',
    doc:
      'Fields to cast and the type for each, as `field1:type,field2:type`, for top-level fields of a Struct or map; ' +
      'or a single type to cast the whole value. Types: int8, int16, int32, int64, float32, float64, boolean, string. ' +
      'BYTES values can be cast only to string (base64).',
  },
  'replace.null.with.default': REPLACE_NULL_WITH_DEFAULT,
});

function builderFor(type: SchemaType): SchemaBuilder {
  return SchemaBuilder.type(type);
}

function create(side: SideAccess) {
  return transformation<ConfigOf<typeof config>>('Cast', (cfg) => {
    const spec = parseCastSpec(cfg.spec);
    const withDefault = cfg['replace.null.with.default'];
    const cache = new SchemaCache();

    const buildSchema = (input: Schema): Schema => {
      let builder: SchemaBuilder;
      if (spec.whole !== undefined) {
        // A logical name (Timestamp, Decimal…) describes the old representation, so it is not carried over.
        builder = LOGICAL.includes(input.name ?? '') ? builderFor(spec.whole) : copySchemaBasics(input, builderFor(spec.whole));
      } else {
        builder = copySchemaBasics(input, SchemaBuilder.struct());
        for (const field of input.fields ?? []) {
          const target = spec.fields.get(field.name);
          if (target === undefined) {
            builder.field(field.name, field.schema);
            continue;
          }
          const fieldBuilder = builderFor(target);
          if (field.schema.optional) fieldBuilder.optional();
          if (field.schema.defaultValue !== undefined && field.schema.defaultValue !== null) {
            const fieldDefault: unknown = field.schema.defaultValue;
            fieldBuilder.defaultValue(forField('Cast', field.name, () => castValue(field.schema, fieldDefault, target)));
          }
          builder.field(field.name, fieldBuilder);
        }
      }
      if (input.optional) builder.optional();
      if (input.defaultValue !== undefined && input.defaultValue !== null) builder.defaultValue(castValue(input, input.defaultValue, builder.schemaType));
      return builder.build();
    };

    return (record) => {
      const value = side.value(record);
      if (value === null || value === undefined) return record;
      const schema = side.schema(record);
      if (schema === undefined) {
        if (spec.whole !== undefined) return side.update(record, undefined, castValue(undefined, value, spec.whole));
        const map = requireMap(value, PURPOSE);
        const updated = new Map(map);
        for (const [name, target] of spec.fields) updated.set(name, forField('Cast', name, () => castValue(undefined, map.get(name), target)));
        return side.update(record, undefined, likeOriginal(value, updated));
      }
      if (spec.whole !== undefined) return side.update(record, cache.get(schema, buildSchema), castValue(schema, value, spec.whole));
      const struct = requireStruct(value, PURPOSE);
      const updatedSchema = cache.get(struct.schema, buildSchema);
      const updated = new Struct(updatedSchema);
      for (const field of struct.schema.fields ?? []) {
        const original = fieldValue(struct, field, withDefault);
        const target = spec.fields.get(field.name);
        updated.put(field.name, target === undefined ? original : forField('Cast', field.name, () => castValue(field.schema, original, target)));
      }
      return side.update(record, updatedSchema, updated);
    };
  });
}

export const cast = keyValueTransform({
  name: 'Cast',
  doc: 'Casts fields, or the whole key or value, to another primitive type: integers, floats, booleans and strings to any of these, bytes to base64 text',
  config,
  create,
});
