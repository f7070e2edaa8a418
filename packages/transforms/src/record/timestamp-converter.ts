import { DateLogical, LogicalNames, Schemas, Struct, TimeLogical, TimestampLogical, configError, custom, dataError, defineConfig } from '@sluice/core';
import type { Schema, SchemaBuilder } from '@sluice/core';
import { forField, likeOriginal, requireMap, requireStruct } from '../values.ts';
import { keyValueTransform } from '../variant.ts';
import { structLike } from './schema-basics.ts';
import { SimpleDateFormat, datePatternProblem } from './simple-date-format.ts';
import { exactlyOneOf } from './validators.ts';

const TYPES = ['string', 'unix', 'Date', 'Time', 'Timestamp'] as const;
type TimestampType = (typeof TYPES)[number];
const PRECISIONS = ['nanoseconds', 'microseconds', 'milliseconds', 'seconds'] as const;
type Precision = (typeof PRECISIONS)[number];

const MS_PER_DAY = 86_400_000;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const PURPOSE = 'converting timestamp formats';

const config = defineConfig({
  field: {
    type: 'string',
    default: '',
    importance: 'high',
    doc: 'The field holding the timestamp; empty when the whole key or value is the timestamp.',
  },
  'target.type': {
    type: 'string',
    validate: exactlyOneOf(...TYPES),
    importance: 'high',
    doc: 'What the timestamp becomes: `string`, `unix` (a number since the epoch), or the logical type `Date`, `Time` or `Timestamp`, spelt exactly so (case matters, as in Kafka).',
  },
  format: {
    type: 'string',
    default: '',
    validate: custom('java.text.SimpleDateFormat pattern', (v) => (typeof v === 'string' && v !== '' ? datePatternProblem(v) : undefined)),
    importance: 'medium',
    doc: 'A `java.text.SimpleDateFormat` pattern, in UTC: how to write the timestamp when `target.type` is `string`, and how to read string input.',
  },
  'unix.precision': {
    type: 'string',
    default: 'milliseconds',
    validate: exactlyOneOf(...PRECISIONS),
    importance: 'low',
    doc:
      'The unit of unix timestamps, both written (`target.type` unix) and read (INT64 input): `seconds`, `milliseconds`, `microseconds` or ' +
      '`nanoseconds`, in lower case. Conversions go through milliseconds, so finer digits are lost.',
  },
  'replace.null.with.default': {
    type: 'boolean',
    default: true,
    importance: 'medium',
    doc: 'Whether a null field whose schema has a default is read as that default (true) or stays null (false).',
  },
});

/**
 * The output schema of each target type, required and optional. Built once, so every record
 * gets the same schema object and downstream caches keyed on it hit.
 */
const TARGET_SCHEMAS: Readonly<Record<TimestampType, readonly [required: Schema, optional: Schema]>> = {
  string: [Schemas.STRING, Schemas.OPTIONAL_STRING],
  unix: [Schemas.INT64, Schemas.OPTIONAL_INT64],
  Date: [DateLogical.builder().build(), DateLogical.builder().optional().build()],
  Time: [TimeLogical.builder().build(), TimeLogical.builder().optional().build()],
  Timestamp: [TimestampLogical.builder().build(), TimestampLogical.builder().optional().build()],
};

function targetSchema(type: TimestampType, optional: boolean): Schema {
  return TARGET_SCHEMAS[type][optional ? 1 : 0];
}

/** What a schema says a timestamp is; a schema that says none is a DATA error. */
function typeOfSchema(schema: Schema): TimestampType {
  if (schema.name === LogicalNames.TIMESTAMP) return 'Timestamp';
  if (schema.name === LogicalNames.DATE) return 'Date';
  if (schema.name === LogicalNames.TIME) return 'Time';
  if (schema.type === 'STRING') return 'string';
  if (schema.type === 'INT64') return 'unix';
  throw dataError(`TimestampConverter: a ${schema.name ?? schema.type} schema holds no timestamp; expected STRING, INT64 or a Date, Time or Timestamp logical type`);
}

/** What a schemaless value is; Date, Time and Timestamp look alike, so a `Date` counts as a Timestamp. */
function typeOfValue(value: unknown): TimestampType {
  if (value instanceof Date) return 'Timestamp';
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) return 'unix';
  if (typeof value === 'string') return 'string';
  throw dataError(`TimestampConverter does not support ${describe(value)} as a timestamp; expected a Date, an integer or a string`);
}

function describe(value: unknown): string {
  if (value instanceof Map) return 'a Map';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'string') return `the string \`${value}\``;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `the ${typeof value} ${value}`;
  if (typeof value === 'object' && value !== null) return `a ${value.constructor?.name ?? 'object'}`;
  return String(value);
}

function clampInt64(n: bigint): bigint {
  return n < INT64_MIN ? INT64_MIN : n > INT64_MAX ? INT64_MAX : n;
}

interface Settings {
  readonly target: TimestampType;
  readonly format: SimpleDateFormat | undefined;
  readonly precision: Precision;
}

/** Reads a timestamp of the given kind as milliseconds since the epoch. */
function toMillis(settings: Settings, type: TimestampType, value: unknown): number {
  switch (type) {
    case 'string': {
      if (typeof value !== 'string') throw dataError(`TimestampConverter: expected a string timestamp, got ${describe(value)}`);
      const parsed = settings.format?.parse(value);
      if (parsed === undefined) {
        const pattern = settings.format === undefined ? 'no `format` is configured' : `it does not match the pattern \`${settings.format.pattern}\``;
        throw dataError(`TimestampConverter: cannot parse timestamp \`${value}\`: ${pattern}`);
      }
      return parsed.getTime();
    }
    case 'unix': {
      if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isSafeInteger(value))) {
        throw dataError(`TimestampConverter: expected a unix timestamp as an integer, got ${describe(value)}`);
      }
      const n = BigInt(value);
      // Division truncates toward zero, as Java's TimeUnit conversions do.
      const millis = settings.precision === 'seconds' ? n * 1000n : settings.precision === 'microseconds' ? n / 1000n : settings.precision === 'nanoseconds' ? n / 1_000_000n : n;
      const ms = Number(millis);
      if (Number.isNaN(new Date(ms).getTime())) throw dataError(`TimestampConverter: unix timestamp ${n} (${settings.precision}) is outside the range of dates`);
      return ms;
    }
    default: {
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw dataError(`TimestampConverter: expected a ${type} as a valid Date, got ${describe(value)}`);
      return value.getTime();
    }
  }
}

/** Writes milliseconds since the epoch as the target kind. */
function fromMillis(settings: Settings, ms: number): unknown {
  switch (settings.target) {
    case 'string':
      return (settings.format as SimpleDateFormat).format(new Date(ms));
    case 'unix': {
      const n = BigInt(ms);
      // Java's TimeUnit saturates at the INT64 limits instead of overflowing.
      if (settings.precision === 'seconds') return n / 1000n;
      if (settings.precision === 'microseconds') return clampInt64(n * 1000n);
      if (settings.precision === 'nanoseconds') return clampInt64(n * 1_000_000n);
      return n;
    }
    case 'Date':
      return new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY);
    case 'Time':
      return new Date(((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
    case 'Timestamp':
      return new Date(ms);
  }
}

/**
 * TimestampConverter$Key / $Value: converts a timestamp between strings, unix numbers and the
 * Date, Time and Timestamp logical types, for the whole key/value or one field of it.
 */
export const timestampConverter = keyValueTransform({
  name: 'TimestampConverter',
  doc: 'Converts a timestamp, the whole key/value or one field, between a formatted string, a unix number and the Date, Time and Timestamp logical types',
  config,
  create(side) {
    let field = '';
    let settings: Settings = { target: 'Timestamp', format: undefined, precision: 'milliseconds' };
    let replaceNullWithDefault = true;
    const schemas = new WeakMap<Schema, Schema>();

    const convert = (value: unknown, type?: TimestampType): unknown => {
      if (value === null || value === undefined) return null;
      return fromMillis(settings, toMillis(settings, type ?? typeOfValue(value), value));
    };

    const convertStruct = (struct: Struct, schema: Schema): Struct => {
      const out = new Struct(schema);
      for (const f of struct.schema.fields ?? []) {
        const value = replaceNullWithDefault ? struct.get(f.name) : struct.getWithoutDefault(f.name);
        out.put(f.name, f.name === field ? forField('TimestampConverter', field, () => convert(value, typeOfSchema(f.schema))) : value);
      }
      return out;
    };

    const updatedSchema = (schema: Schema): Schema => {
      const cached = schemas.get(schema);
      if (cached !== undefined) return cached;
      const withFields = (optional: boolean): SchemaBuilder => {
        const builder = structLike(schema);
        for (const f of schema.fields ?? []) builder.field(f.name, f.name === field ? targetSchema(settings.target, f.schema.optional) : f.schema);
        return optional ? builder.optional() : builder;
      };
      let built: Schema;
      if (schema.defaultValue === undefined || schema.defaultValue === null) {
        built = withFields(schema.optional).build();
      } else {
        // The default is converted too. The builder checks it against the schema taken as
        // optional, so that is the schema the converted default is built with.
        const converted = convertStruct(requireStruct(schema.defaultValue, PURPOSE), withFields(true).build());
        built = withFields(schema.optional).defaultValue(converted).build();
      }
      schemas.set(schema, built);
      return built;
    };

    return {
      configure(c) {
        // The validators accept only these exact spellings, as Kafka's ValidString.in does.
        const target = c['target.type'] as TimestampType;
        const precision = c['unix.precision'] as Precision;
        const pattern = c.format;
        if (target === 'string' && pattern.trim() === '') {
          throw configError('format', 'is required when `target.type` is `string`: give a SimpleDateFormat pattern such as `yyyy-MM-dd HH:mm:ss`');
        }
        let format: SimpleDateFormat | undefined;
        if (pattern.trim() !== '') {
          try {
            format = new SimpleDateFormat(pattern);
          } catch (error) {
            throw configError('format', (error as Error).message, { cause: error });
          }
        }
        field = c.field;
        settings = { target, format, precision };
        replaceNullWithDefault = c['replace.null.with.default'];
      },
      apply(record) {
        const schema = side.schema(record);
        const value = side.value(record);
        if (schema === undefined) {
          if (value === null || value === undefined || field === '') return side.update(record, undefined, convert(value));
          const map = new Map(requireMap(value, PURPOSE));
          // Like Kafka, a missing field is written back as null.
          map.set(field, forField('TimestampConverter', field, () => convert(map.get(field))));
          return side.update(record, undefined, likeOriginal(value, map));
        }
        if (field === '') return side.update(record, targetSchema(settings.target, schema.optional), convert(value, typeOfSchema(schema)));
        const next = updatedSchema(schema);
        if (value === null || value === undefined) return side.update(record, next, null);
        return side.update(record, next, convertStruct(requireStruct(value, PURPOSE), next));
      },
    };
  },
});
