// MaskField: replaces the values of chosen fields with an empty value of their type (0, false,
// "", epoch, empty list or map), or with a configured replacement for numbers and strings.
import { Decimal, LogicalNames, Struct, custom, dataError, defineConfig, isDecimal, isStruct, nonEmptyString } from '@sluice/core';
import type { ConfigOf, Schema } from '@sluice/core';
import { forField, likeOriginal, requireMap, requireStruct } from '../values.ts';
import { keyValueTransform } from '../variant.ts';
import type { SideAccess } from '../variant.ts';
import { REPLACE_NULL_WITH_DEFAULT, fieldValue, kindOf, transformation } from './support.ts';

const PURPOSE = 'mask fields';
const DATES: readonly string[] = [LogicalNames.DATE, LogicalNames.TIME, LogicalNames.TIMESTAMP];

const config = defineConfig({
  fields: {
    type: 'list',
    validate: custom('non-empty list', (v) => ((v as string[]).length === 0 ? 'must name at least one field' : undefined)),
    importance: 'high',
    doc: 'Names of the fields to mask.',
  },
  replacement: {
    type: 'string',
    default: null,
    validate: nonEmptyString(),
    importance: 'low',
    doc: 'A value that replaces every masked field instead of the empty value; only for numeric and string fields, converted to the field type. Without a schema, a whole number counts as an INT64 (a Java `Long` in Kafka), so `5.7` masks it as `5`.',
  },
  'replace.null.with.default': REPLACE_NULL_WITH_DEFAULT,
});

/** What a masked value is: the type it has, as its schema or (without one) its JS type says. */
type Kind = 'int' | 'int64' | 'float32' | 'float' | 'string' | 'boolean' | 'date' | 'decimal' | 'array' | 'map' | 'object' | 'other';

function kindFromSchema(schema: Schema): Kind {
  if (schema.name === LogicalNames.DECIMAL) return 'decimal';
  if (DATES.includes(schema.name ?? '')) return 'date';
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return 'int';
    case 'INT64':
      return 'int64';
    case 'FLOAT32':
      return 'float32';
    case 'FLOAT64':
      return 'float';
    case 'STRING':
      return 'string';
    case 'BOOLEAN':
      return 'boolean';
    case 'ARRAY':
      return 'array';
    case 'MAP':
      return 'map';
    default:
      return 'other';
  }
}

function kindFromValue(value: unknown): Kind {
  switch (typeof value) {
    case 'number':
      // Kafka reads a schemaless whole number as a Long: a replacement loses its fraction.
      return Number.isInteger(value) ? 'int64' : 'float';
    case 'bigint':
      return 'int64';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    default:
      if (value instanceof Date) return 'date';
      if (isDecimal(value)) return 'decimal';
      if (Array.isArray(value)) return 'array';
      if (value instanceof Map) return 'map';
      if (typeof value === 'object' && value !== null && !isStruct(value) && !(value instanceof Uint8Array) && Object.getPrototypeOf(value) === Object.prototype) return 'object';
      return 'other';
  }
}

/** The integer part of a replacement written as a decimal number, as Kafka's `Values` reads it. */
function wholeNumber(text: string, bits: number): bigint {
  const d = parseReplacement(text);
  const whole = d.scale >= 0 ? d.unscaled / 10n ** BigInt(d.scale) : d.unscaled * 10n ** BigInt(-d.scale);
  return BigInt.asIntN(bits, whole);
}

function parseReplacement(text: string): Decimal {
  try {
    return Decimal.parse(text);
  } catch (error) {
    throw dataError(`MaskField: replacement \`${text}\` is not a number`, { cause: error });
  }
}

function intBits(schema: Schema | undefined): number {
  return schema?.type === 'INT8' ? 8 : schema?.type === 'INT16' ? 16 : 32;
}

function mask(value: unknown, schema: Schema | undefined, replacement: string | null): unknown {
  if (value === null || value === undefined) return null;
  const kind = schema === undefined ? kindFromValue(value) : kindFromSchema(schema);
  if (replacement === null) {
    switch (kind) {
      case 'int':
      case 'float32':
      case 'float':
        return 0;
      case 'int64':
        return typeof value === 'number' ? 0 : 0n;
      case 'string':
        return '';
      case 'boolean':
        return false;
      case 'date':
        return new Date(0);
      case 'decimal':
        return Decimal.of(0, schema === undefined ? 0 : Decimal.scaleOf(schema));
      case 'array':
        return [];
      case 'map':
        return new Map();
      case 'object':
        return {};
      default:
        throw dataError(`MaskField: cannot mask a value of type ${schema?.type ?? kindOf(value)}`);
    }
  }
  switch (kind) {
    case 'int':
      return Number(wholeNumber(replacement, intBits(schema)));
    case 'int64': {
      // A JS number stays a number (the INT64 value as one); a bigint stays a bigint.
      const whole = wholeNumber(replacement, 64);
      return typeof value === 'number' ? Number(whole) : whole;
    }
    case 'float32':
      return Math.fround(Number(parseReplacement(replacement).toString()));
    case 'float':
      return Number(parseReplacement(replacement).toString());
    case 'string':
      return replacement;
    case 'decimal': {
      const parsed = parseReplacement(replacement);
      return schema === undefined ? parsed : parsed.rescale(Decimal.scaleOf(schema));
    }
    default:
      throw dataError(`MaskField: cannot mask a value of type ${schema?.name ?? schema?.type ?? kindOf(value)} with a custom replacement`);
  }
}

function create(side: SideAccess) {
  return transformation<ConfigOf<typeof config>>('MaskField', (cfg) => {
    const masked = new Set(cfg.fields);
    const replacement = cfg.replacement;
    const withDefault = cfg['replace.null.with.default'];
    return (record) => {
      const value = side.value(record);
      const schema = side.schema(record);
      if (schema === undefined) {
        const map = requireMap(value, PURPOSE);
        const updated = new Map(map);
        for (const name of masked) updated.set(name, forField('MaskField', name, () => mask(map.get(name), undefined, replacement)));
        return side.update(record, undefined, likeOriginal(value, updated));
      }
      const struct = requireStruct(value, PURPOSE);
      const updated = new Struct(struct.schema);
      for (const field of struct.schema.fields ?? []) {
        const original = fieldValue(struct, field, withDefault);
        updated.put(field, masked.has(field.name) ? forField('MaskField', field.name, () => mask(original, field.schema, replacement)) : original);
      }
      return side.update(record, schema, updated);
    };
  });
}

export const maskField = keyValueTransform({
  name: 'MaskField',
  doc: 'Masks fields with an empty value of their type (0, false, empty string, epoch, empty list or map), or with a replacement for numeric and string fields',
  config,
  create,
});
