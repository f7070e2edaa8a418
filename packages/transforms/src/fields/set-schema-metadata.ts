// SetSchemaMetadata: sets the name and/or version of the key/value schema; a Struct value is
// rebuilt on the renamed schema.
import { SluiceError, Struct, dataError, defineConfig, isStruct } from '@sluice/core';
import type { ConfigOf, Schema } from '@sluice/core';
import { keyValueTransform } from '../variant.ts';
import type { SideAccess } from '../variant.ts';
import { REPLACE_NULL_WITH_DEFAULT, fieldValue, transformation } from './support.ts';

const config = defineConfig({
  'schema.name': { type: 'string', default: null, importance: 'high', doc: 'The schema name to set.' },
  'schema.version': { type: 'int', default: null, importance: 'high', doc: 'The schema version to set.' },
  'replace.null.with.default': REPLACE_NULL_WITH_DEFAULT,
});

function create(side: SideAccess) {
  return transformation<ConfigOf<typeof config>>('SetSchemaMetadata', (cfg) => {
    const name = cfg['schema.name'];
    const version = cfg['schema.version'];
    const withDefault = cfg['replace.null.with.default'];
    if (name === null && version === null) {
      throw new SluiceError('CONFIG', 'neither `schema.name` nor `schema.version` is set; set at least one', {
        context: { key: 'schema.name', keys: ['schema.name', 'schema.version'] },
      });
    }
    // One output schema per input schema, so downstream caches keyed on the schema object hit.
    const schemas = new WeakMap<Schema, Schema>();
    const renamed = (schema: Schema): Schema => {
      let updated = schemas.get(schema);
      if (updated === undefined) {
        updated = Object.freeze({ ...schema, ...(name === null ? {} : { name }), ...(version === null ? {} : { version }) });
        schemas.set(schema, updated);
      }
      return updated;
    };
    return (record) => {
      const value = side.value(record);
      const schema = side.schema(record);
      if ((value === null || value === undefined) && schema === undefined) return record;
      if (schema === undefined) throw dataError('Schema required for [updating schema metadata]');
      const updated = renamed(schema);
      if (!isStruct(value)) return side.update(record, updated, value);
      const struct = new Struct(updated);
      for (const field of updated.fields ?? []) struct.put(field, fieldValue(value, field.name, withDefault));
      return side.update(record, updated, struct);
    };
  });
}

export const setSchemaMetadata = keyValueTransform({
  name: 'SetSchemaMetadata',
  doc: 'Sets the name, the version or both of the schema',
  config,
  create,
});
