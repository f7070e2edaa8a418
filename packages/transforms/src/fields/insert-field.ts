// InsertField: adds fields taken from the record (topic, partition, offset, timestamp) or a
// configured static string. A name ending in `!` makes the field required, `?` (or nothing) optional.
import { SchemaBuilder, Schemas, SluiceError, Struct, TimestampLogical, configError, defineConfig } from '@sluice/core';
import type { ConfigOf, ConnectRecord, Schema } from '@sluice/core';
import { likeOriginal, requireMap, requireStruct } from '../values.ts';
import { keyValueTransform } from '../variant.ts';
import type { SideAccess } from '../variant.ts';
import { REPLACE_NULL_WITH_DEFAULT, SchemaCache, copySchemaBasics, fieldValue, requireSinkRecord, transformation } from './support.ts';

const PURPOSE = 'field insertion';
const OPTIONALITY = 'End the name with `!` to make the field required, or `?` to keep it optional (the default).';
const FIELD_KEYS = ['topic.field', 'partition.field', 'offset.field', 'timestamp.field', 'static.field'] as const;

const config = defineConfig({
  'topic.field': { type: 'string', default: null, importance: 'medium', doc: `Field for the Kafka topic. ${OPTIONALITY}` },
  'partition.field': { type: 'string', default: null, importance: 'medium', doc: `Field for the Kafka partition. ${OPTIONALITY}` },
  'offset.field': { type: 'string', default: null, importance: 'medium', doc: `Field for the Kafka offset; sink connectors only. ${OPTIONALITY}` },
  'timestamp.field': { type: 'string', default: null, importance: 'medium', doc: `Field for the record timestamp. ${OPTIONALITY}` },
  'static.field': { type: 'string', default: null, importance: 'medium', doc: `Field for the static value. ${OPTIONALITY}` },
  'static.value': { type: 'string', default: null, importance: 'medium', doc: 'The static value, when `static.field` is set.' },
  'replace.null.with.default': REPLACE_NULL_WITH_DEFAULT,
});

interface Insertion {
  readonly name: string;
  readonly optional: boolean;
}

function insertion(spec: string | null): Insertion | undefined {
  if (spec === null) return undefined;
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

const OPTIONAL_TIMESTAMP = TimestampLogical.builder().optional().build();
const REQUIRED_TIMESTAMP = TimestampLogical.schema();

function create(side: SideAccess) {
  return transformation<ConfigOf<typeof config>>('InsertField', (cfg) => {
    const topic = insertion(cfg['topic.field']);
    const partition = insertion(cfg['partition.field']);
    const offset = insertion(cfg['offset.field']);
    const timestamp = insertion(cfg['timestamp.field']);
    const fixed = insertion(cfg['static.field']);
    const staticValue = cfg['static.value'];
    const withDefault = cfg['replace.null.with.default'];
    if (FIELD_KEYS.every((key) => cfg[key] === null)) {
      throw new SluiceError('CONFIG', `no field to insert: set at least one of ${FIELD_KEYS.map((k) => `\`${k}\``).join(', ')}`, {
        context: { key: FIELD_KEYS[0], keys: FIELD_KEYS },
      });
    }
    if (fixed !== undefined && staticValue === null) throw configError('static.value', `is required when \`static.field\` is set (\`${fixed.name}\`)`);
    const cache = new SchemaCache();

    const buildSchema = (schema: Schema): Schema => {
      const builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields ?? []) builder.field(field.name, field.schema);
      const add = (spec: Insertion | undefined, optional: Schema, required: Schema): void => {
        if (spec !== undefined) builder.field(spec.name, spec.optional ? optional : required);
      };
      add(topic, Schemas.OPTIONAL_STRING, Schemas.STRING);
      add(partition, Schemas.OPTIONAL_INT32, Schemas.INT32);
      add(offset, Schemas.OPTIONAL_INT64, Schemas.INT64);
      add(timestamp, OPTIONAL_TIMESTAMP, REQUIRED_TIMESTAMP);
      add(fixed, Schemas.OPTIONAL_STRING, Schemas.STRING);
      return builder.build();
    };

    /** The fields to add to this record; the timestamp as a Date (with a schema) or epoch millis as INT64 (without). */
    const inserted = (record: ConnectRecord, withSchema: boolean): [string, unknown][] => {
      const out: [string, unknown][] = [];
      if (topic !== undefined) out.push([topic.name, record.topic]);
      if (partition !== undefined && record.kafkaPartition !== undefined) out.push([partition.name, record.kafkaPartition]);
      if (offset !== undefined) out.push([offset.name, requireSinkRecord(record, PURPOSE).kafkaOffset]);
      if (timestamp !== undefined && record.timestamp !== undefined) {
        out.push([timestamp.name, withSchema ? new Date(record.timestamp) : BigInt(record.timestamp)]);
      }
      if (fixed !== undefined && staticValue !== null) out.push([fixed.name, staticValue]);
      return out;
    };

    return (record) => {
      const value = side.value(record);
      if (value === null || value === undefined) return record;
      if (side.schema(record) === undefined) {
        const updated = new Map(requireMap(value, PURPOSE));
        for (const [name, v] of inserted(record, false)) updated.set(name, v);
        return side.update(record, undefined, likeOriginal(value, updated));
      }
      const struct = requireStruct(value, PURPOSE);
      const updatedSchema = cache.get(struct.schema, buildSchema);
      const updated = new Struct(updatedSchema);
      for (const field of struct.schema.fields ?? []) updated.put(field.name, fieldValue(struct, field, withDefault));
      for (const [name, v] of inserted(record, true)) updated.put(name, v);
      return side.update(record, updatedSchema, updated);
    };
  });
}

export const insertField = keyValueTransform({
  name: 'InsertField',
  doc: 'Inserts fields holding the topic, partition, offset (sink connectors only) or timestamp of the record, or a static string',
  config,
  create,
});
