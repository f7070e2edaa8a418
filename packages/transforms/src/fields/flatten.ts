// Flatten: turns nested Structs (or nested maps) into one level, joining the names of the
// enclosing fields with `delimiter`. Arrays are left as they are.
import { SchemaBuilder, Struct, dataError, defineConfig, isStruct } from '@sluice/core';
import type { ConfigOf, Schema } from '@sluice/core';
import { likeOriginal, requireMap, requireStruct } from '../values.ts';
import { keyValueTransform } from '../variant.ts';
import type { SideAccess } from '../variant.ts';
import { SchemaCache, copySchemaBasics, kindOf, schemalessType, transformation } from './support.ts';

const PURPOSE = 'flattening';

const config = defineConfig({
  delimiter: {
    type: 'string',
    default: '.',
    importance: 'medium',
    doc: 'Put between the names of a field and the fields it contains to name the flattened field.',
  },
});

const KEPT = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING', 'BYTES', 'ARRAY']);

function create(side: SideAccess) {
  return transformation<ConfigOf<typeof config>>('Flatten', (cfg) => {
    const delimiter = cfg.delimiter;
    const cache = new SchemaCache();
    const join = (prefix: string, name: string): string => (prefix === '' ? name : `${prefix}${delimiter}${name}`);

    const flattenMap = (map: Map<string, unknown>, prefix: string, out: Map<string, unknown>): void => {
      for (const [key, value] of map) {
        const name = join(prefix, key);
        if (value === null || value === undefined) {
          out.set(name, null);
          continue;
        }
        const type = schemalessType(value);
        if (type === undefined) throw dataError(`Flatten was given a ${kindOf(value)} value (field \`${name}\`), which Connect's data API does not support without a schema`);
        if (KEPT.has(type)) out.set(name, value);
        else if (type === 'MAP') flattenMap(requireMap(value, PURPOSE), name, out);
        else throw dataError(`Flatten does not support ${type} in records without schemas (field \`${name}\`)`);
      }
    };

    // Optionality and defaults of an enclosing struct carry down to the fields flattened out of it.
    const flattenSchema = (schema: Schema, prefix: string, out: SchemaBuilder, optional: boolean, parentDefault: Struct | null): void => {
      for (const field of schema.fields ?? []) {
        const name = join(prefix, field.name);
        const fieldOptional = optional || field.schema.optional;
        const own = field.schema.defaultValue;
        const fieldDefault = own !== undefined && own !== null ? own : parentDefault !== null ? parentDefault.get(field.name) : null;
        if (KEPT.has(field.schema.type)) {
          const builder = copySchemaBasics(field.schema);
          if (fieldOptional) builder.optional();
          if (fieldDefault !== null && fieldDefault !== undefined) builder.defaultValue(fieldDefault);
          out.field(name, builder);
        } else if (field.schema.type === 'STRUCT') {
          flattenSchema(field.schema, name, out, fieldOptional, isStruct(fieldDefault) ? fieldDefault : null);
        } else {
          throw dataError(`Flatten does not support ${field.schema.type} in records with schemas (field \`${name}\`)`);
        }
      }
    };

    const flattenStruct = (struct: Struct, prefix: string, out: Struct): void => {
      for (const field of struct.schema.fields ?? []) {
        const name = join(prefix, field.name);
        if (KEPT.has(field.schema.type)) out.put(name, struct.get(field));
        else if (field.schema.type === 'STRUCT') {
          const inner = struct.get(field);
          if (inner !== null && inner !== undefined) flattenStruct(requireStruct(inner, PURPOSE), name, out);
        } else throw dataError(`Flatten does not support ${field.schema.type} in records with schemas (field \`${name}\`)`);
      }
    };

    const buildSchema = (schema: Schema): Schema => {
      const builder = copySchemaBasics(schema, SchemaBuilder.struct());
      flattenSchema(schema, '', builder, schema.optional, isStruct(schema.defaultValue) ? schema.defaultValue : null);
      return builder.build();
    };

    return (record) => {
      const value = side.value(record);
      if (value === null || value === undefined) return record;
      const schema = side.schema(record);
      if (schema === undefined) {
        const out = new Map<string, unknown>();
        flattenMap(requireMap(value, PURPOSE), '', out);
        return side.update(record, undefined, likeOriginal(value, out));
      }
      const struct = requireStruct(value, PURPOSE);
      const flatSchema = cache.get(schema, buildSchema);
      const out = new Struct(flatSchema);
      flattenStruct(struct, '', out);
      return side.update(record, flatSchema, out);
    };
  });
}

export const flatten = keyValueTransform({
  name: 'Flatten',
  doc: 'Flattens nested Structs (with a schema) or maps (without), naming each field by the names of the fields enclosing it joined with a delimiter; arrays are kept as they are',
  config,
  create,
});
