import { Struct, configError, dataError, defineConfig } from '@sluice/core';
import type { Schema } from '@sluice/core';
import { likeOriginal, requireMap, requireStruct } from '../values.ts';
import { keyValueTransform } from '../variant.ts';
import { structLike, updateWithHeaders } from './schema-basics.ts';
import { exactlyOneOf, nonEmptyList } from './validators.ts';

const config = defineConfig({
  fields: {
    type: 'list',
    validate: nonEmptyList(),
    importance: 'high',
    doc: 'Names of the fields whose values go into headers.',
  },
  headers: {
    type: 'list',
    validate: nonEmptyList(),
    importance: 'high',
    doc: 'Names of the headers to add, one for each entry of `fields`, in the same order.',
  },
  operation: {
    type: 'string',
    validate: exactlyOneOf('move', 'copy'),
    importance: 'high',
    doc: '`move` takes the fields out of the key or value; `copy` leaves them in place. Lower case, as in Kafka.',
  },
  'replace.null.with.default': {
    type: 'boolean',
    default: true,
    importance: 'medium',
    doc: 'Whether a null field whose schema has a default puts that default in the header (true) or null (false).',
  },
});

/**
 * The record schema minus the moved fields. Like Kafka, it keeps name, version, doc and
 * parameters but not optionality or a default.
 */
function withoutFields(schema: Schema, moved: ReadonlySet<string>): Schema {
  const builder = structLike(schema);
  for (const field of schema.fields ?? []) if (!moved.has(field.name)) builder.field(field.name, field.schema);
  return builder.build();
}

/** HeaderFrom$Key / HeaderFrom$Value: moves or copies fields of the key or value into headers. */
export const headerFrom = keyValueTransform({
  name: 'HeaderFrom',
  doc: 'Moves or copies fields of the record into headers: the n-th entry of `fields` goes to the header named by the n-th entry of `headers`',
  config,
  create(side) {
    let fields: readonly string[] = [];
    let headerNames: readonly string[] = [];
    let move = false;
    let replaceNullWithDefault = true;
    const movedSchemas = new WeakMap<Schema, Schema>();
    return {
      configure(c) {
        if (c.fields.length !== c.headers.length) {
          throw configError('headers', `must list as many names as \`fields\` (${c.fields.length}), got ${c.headers.length}`);
        }
        fields = c.fields;
        headerNames = c.headers;
        move = c.operation === 'move';
        replaceNullWithDefault = c['replace.null.with.default'];
      },
      apply(record) {
        const purpose = `header ${move ? 'move' : 'copy'}`;
        const schema = side.schema(record);
        const original = side.value(record);
        const headers = record.headers.duplicate();
        if (schema === undefined) {
          const map = requireMap(original, purpose);
          const updated = new Map(map);
          fields.forEach((field, i) => {
            headers.add(headerNames[i] as string, map.get(field) ?? null);
            if (move) updated.delete(field);
          });
          return updateWithHeaders(record, side, headers, undefined, likeOriginal(original, updated));
        }
        const struct = requireStruct(original, purpose);
        const read = (name: string): unknown => (replaceNullWithDefault ? struct.get(name) : struct.getWithoutDefault(name));
        fields.forEach((field, i) => {
          const fieldSchema = struct.schema.fields?.find((f) => f.name === field)?.schema;
          if (fieldSchema === undefined) {
            throw dataError(`HeaderFrom: the ${side.side} has no field \`${field}\` to put in header \`${headerNames[i] ?? ''}\``, { context: { field } });
          }
          headers.add(headerNames[i] as string, read(field), fieldSchema);
        });
        if (!move) return updateWithHeaders(record, side, headers, schema, original);
        let updatedSchema = movedSchemas.get(schema);
        if (updatedSchema === undefined) {
          updatedSchema = withoutFields(schema, new Set(fields));
          movedSchemas.set(schema, updatedSchema);
        }
        const updated = new Struct(updatedSchema);
        for (const field of updatedSchema.fields ?? []) updated.put(field.name, read(field.name));
        return updateWithHeaders(record, side, headers, updatedSchema, updated);
      },
    };
  },
});
