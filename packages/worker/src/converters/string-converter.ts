// org.apache.kafka.connect.storage.StringConverter and
// org.apache.kafka.connect.converters.ByteArrayConverter.
import {
  Schemas,
  custom,
  dataError,
  defineConfig,
  defineConverter,
  defineHeaderConverter,
  isDecimal,
  isStruct,
  type ConfigOf,
  type Converter,
  type HeaderConverter,
  type Headers,
  type Schema,
  type SchemaAndValue,
} from '@sluice/core';
import { bigDecimalString, javaDoubleString, javaFloatString } from './java-text.ts';

/** Java charset names → Node encodings. */
const ENCODINGS: ReadonlyMap<string, BufferEncoding> = new Map([
  ['UTF-8', 'utf8'],
  ['UTF8', 'utf8'],
  ['UTF-16LE', 'utf16le'],
  ['ISO-8859-1', 'latin1'],
  ['LATIN1', 'latin1'],
  ['US-ASCII', 'ascii'],
  ['ASCII', 'ascii'],
]);

export const stringConverterConfig = defineConfig({
  'converter.encoding': {
    type: 'string',
    default: 'UTF-8',
    importance: 'high',
    displayName: 'Encoding',
    validate: custom(`one of ${[...ENCODINGS.keys()].join(', ')}`, (v) =>
      typeof v === 'string' && ENCODINGS.has(v.toUpperCase()) ? undefined : `must be a supported charset (${[...ENCODINGS.keys()].join(', ')}), got \`${String(v)}\``,
    ),
    doc: 'The name of the Java charset to use for encoding.',
  },
});
export type StringConverterConfig = ConfigOf<typeof stringConverterConfig>;

/** Java's `Object.toString()` of a Connect value, as StringConverter writes it. */
export function javaToString(schema: Schema | undefined, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (schema?.type === 'FLOAT32') return javaFloatString(value);
    if (schema?.type === 'FLOAT64' || !Number.isInteger(value)) return javaDoubleString(value);
    return String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (isDecimal(value)) return bigDecimalString(value);
  if (isStruct(value)) return value.toString();
  if (Array.isArray(value)) return `[${value.map((v: unknown) => javaToString(schema?.valueSchema, v)).join(', ')}]`;
  if (value instanceof Map) {
    return `{${[...value].map(([k, v]) => `${javaToString(schema?.keySchema, k)}=${javaToString(schema?.valueSchema, v)}`).join(', ')}}`;
  }
  if (value === null) return 'null';
  throw dataError(`StringConverter cannot write a ${value instanceof Uint8Array ? 'byte array' : typeof value} as text; use ByteArrayConverter or a schema-aware converter`);
}

/** Writes `value.toString()` in the configured charset; reads an optional STRING. Also a header converter. */
export class StringConverter implements Converter<StringConverterConfig>, HeaderConverter<StringConverterConfig> {
  #encoding: BufferEncoding = 'utf8';

  configure(config: StringConverterConfig, _isKey = false): void {
    this.#encoding = ENCODINGS.get(config['converter.encoding'].toUpperCase()) ?? 'utf8';
  }

  fromConnectData(_topic: string, _headers: Headers | undefined, schema: Schema | undefined, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null;
    return new Uint8Array(Buffer.from(javaToString(schema, value), this.#encoding));
  }

  toConnectData(_topic: string, _headers: Headers | undefined, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return { schema: Schemas.OPTIONAL_STRING, value: null };
    return { schema: Schemas.OPTIONAL_STRING, value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(this.#encoding) };
  }

  fromConnectHeader(topic: string, _key: string, schema: Schema | undefined, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, undefined, schema, value);
  }

  toConnectHeader(topic: string, _key: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, undefined, bytes);
  }
}

const noConfig = defineConfig({});

/** Passes bytes through; the schema must be BYTES (or absent). Also a header converter. */
export class ByteArrayConverter implements Converter, HeaderConverter {
  configure(): void {}

  fromConnectData(_topic: string, _headers: Headers | undefined, schema: Schema | undefined, value: unknown): Uint8Array | null {
    if (schema !== undefined && schema.type !== 'BYTES') throw dataError(`invalid schema type for ByteArrayConverter: ${schema.type} (only BYTES)`);
    if (value === null || value === undefined) return null;
    if (!(value instanceof Uint8Array)) throw dataError(`ByteArrayConverter is not compatible with values of type ${typeof value}; it needs a Uint8Array`);
    return value;
  }

  toConnectData(_topic: string, _headers: Headers | undefined, bytes: Uint8Array | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES, value: bytes };
  }

  fromConnectHeader(topic: string, _key: string, schema: Schema | undefined, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, undefined, schema, value);
  }

  toConnectHeader(topic: string, _key: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, undefined, bytes);
  }
}

export const stringConverter = defineConverter({ name: 'StringConverter', config: stringConverterConfig, create: () => new StringConverter() });
export const stringHeaderConverter = defineHeaderConverter({ name: 'StringConverter', config: stringConverterConfig, create: () => new StringConverter() });
export const byteArrayConverter = defineConverter({ name: 'ByteArrayConverter', config: noConfig, create: () => new ByteArrayConverter() });
export const byteArrayHeaderConverter = defineHeaderConverter({ name: 'ByteArrayConverter', config: noConfig, create: () => new ByteArrayConverter() });
