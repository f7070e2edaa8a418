// ExtractField: replaces the key/value with one of its fields (nested with field.syntax.version=V2).
import { dataError, defineConfig } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';
import { requireMap, requireStruct } from '../values.ts';
import { keyValueTransform } from '../variant.ts';
import type { SideAccess } from '../variant.ts';
import { FIELD_SYNTAX_VERSION, FIELD_SYNTAX_VERSION_KEY, FieldPath, syntaxVersion } from './field-path.ts';
import { REPLACE_NULL_WITH_DEFAULT, transformation } from './support.ts';

const PURPOSE = 'field extraction';

const config = defineConfig({
  field: { type: 'string', importance: 'medium', doc: 'The field to extract: a name, or a dotted path with `field.syntax.version=V2`.' },
  'replace.null.with.default': REPLACE_NULL_WITH_DEFAULT,
  [FIELD_SYNTAX_VERSION]: FIELD_SYNTAX_VERSION_KEY,
});

function create(side: SideAccess) {
  return transformation<ConfigOf<typeof config>>('ExtractField', (cfg) => {
    const path = new FieldPath(cfg.field, syntaxVersion(cfg[FIELD_SYNTAX_VERSION]), 'field');
    const withDefault = cfg['replace.null.with.default'];
    return (record) => {
      const schema = side.schema(record);
      const value = side.value(record);
      const present = value !== null && value !== undefined;
      if (schema === undefined) {
        return side.update(record, undefined, present ? path.valueFromMap(requireMap(value, PURPOSE)) : null);
      }
      const struct = present ? requireStruct(value, PURPOSE) : null;
      const field = path.fieldFrom(schema);
      if (field === undefined) throw dataError(`Unknown field: ${path.text}`, { context: { field: path.text } });
      return side.update(record, field.schema, struct !== null ? path.valueFromStruct(struct, withDefault) : null);
    };
  });
}

export const extractField = keyValueTransform({
  name: 'ExtractField',
  doc: 'Replaces the value with one of its fields: from a Struct when there is a schema, from a map otherwise; null passes through',
  config,
  create,
});
