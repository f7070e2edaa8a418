// ValueToKey: replaces the key with a Struct (or map) of chosen fields of the value.
import { SchemaBuilder, Struct, custom, dataError, defineConfig, fieldOf, newRecord } from '@sluice/core';
import type { ConfigOf, Schema } from '@sluice/core';
import { likeOriginal, requireMap, requireStruct } from '../values.ts';
import { singleTransform } from '../variant.ts';
import { REPLACE_NULL_WITH_DEFAULT, SchemaCache, fieldValue, transformation } from './support.ts';

const PURPOSE = 'copying fields from value to key';

const config = defineConfig({
  fields: {
    type: 'list',
    validate: custom('non-empty list', (v) => ((v as string[]).length === 0 ? 'must name at least one field' : undefined)),
    importance: 'high',
    doc: 'Fields of the value that make up the new key.',
  },
  'replace.null.with.default': REPLACE_NULL_WITH_DEFAULT,
});

function create() {
  return transformation<ConfigOf<typeof config>>('ValueToKey', (cfg) => {
    const fields = [...cfg.fields];
    const withDefault = cfg['replace.null.with.default'];
    const cache = new SchemaCache();

    const buildKeySchema = (valueSchema: Schema): Schema => {
      const builder = SchemaBuilder.struct();
      for (const name of fields) {
        const field = fieldOf(valueSchema, name);
        if (field === undefined) throw dataError(`Field does not exist: ${name}`, { context: { field: name } });
        builder.field(name, field.schema);
      }
      return builder.build();
    };

    return (record) => {
      if (record.valueSchema === undefined) {
        const map = requireMap(record.value, PURPOSE);
        const key = new Map(fields.map((name) => [name, map.get(name) ?? null]));
        return newRecord(record, { keySchema: undefined, key: likeOriginal(record.value, key) });
      }
      const value = requireStruct(record.value, PURPOSE);
      const keySchema = cache.get(value.schema, buildKeySchema);
      const key = new Struct(keySchema);
      for (const name of fields) key.put(name, fieldValue(value, name, withDefault));
      return newRecord(record, { keySchema, key });
    };
  });
}

export const valueToKey = singleTransform({
  name: 'ValueToKey',
  doc: 'Replaces the key with a Struct (with a schema) or map (without) of chosen fields of the value',
  config,
  create,
});
