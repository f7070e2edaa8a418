// HoistField: wraps the key/value in a Struct (with a schema) or a map (without) of one field.
import { SchemaBuilder, Struct, defineConfig } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';
import { keyValueTransform } from '../variant.ts';
import type { SideAccess } from '../variant.ts';
import { SchemaCache, transformation } from './support.ts';

const config = defineConfig({
  field: { type: 'string', importance: 'medium', doc: 'Name of the one field of the Struct or map that wraps the data.' },
});

function create(side: SideAccess) {
  return transformation<ConfigOf<typeof config>>('HoistField', (cfg) => {
    const name = cfg.field;
    const cache = new SchemaCache();
    return (record) => {
      const schema = side.schema(record);
      const value = side.value(record) ?? null;
      if (schema === undefined) return side.update(record, undefined, new Map([[name, value]]));
      const wrapper = cache.get(schema, (inner) => SchemaBuilder.struct().field(name, inner).build());
      return side.update(record, wrapper, new Struct(wrapper).put(name, value));
    };
  });
}

export const hoistField = keyValueTransform({
  name: 'HoistField',
  doc: 'Wraps the data in a Struct of one field when there is a schema, or in a map of one entry otherwise',
  config,
  create,
});
