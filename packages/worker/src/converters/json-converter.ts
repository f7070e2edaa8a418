// org.apache.kafka.connect.json.JsonConverter: Connect data as JSON, with or without the
// {"schema":…,"payload":…} envelope, byte for byte as Apache Kafka writes it.
import { atLeast, custom, dataError, defineConfig, defineConverter, defineHeaderConverter, type ConfigOf, type Converter, type HeaderConverter, type Headers, type Schema, type SchemaAndValue } from '@sluice/core';
import { toConnect, toJson, type JsonDataOptions } from './json-data.ts';
import { LruCache, schemaFromJson, schemaToJson } from './json-schema.ts';
import { decodeJson, parseJsonText, utf8, type JsonNode } from './json-text.ts';

export const jsonConverterConfig = defineConfig({
  'schemas.enable': {
    type: 'boolean',
    default: true,
    importance: 'high',
    group: 'Schemas',
    order: 0,
    displayName: 'Enable Schemas',
    doc: 'Include schemas within each of the serialized values and keys.',
  },
  'schemas.cache.size': {
    type: 'int',
    default: 1000,
    importance: 'high',
    group: 'Schemas',
    order: 1,
    displayName: 'Schema Cache Size',
    validate: atLeast(0),
    doc: 'The maximum number of schemas that can be cached in this converter instance.',
  },
  'decimal.format': {
    type: 'string',
    default: 'BASE64',
    importance: 'low',
    group: 'Serialization',
    order: 2,
    displayName: 'Decimal Format',
    validate: custom('[BASE64, NUMERIC]', (v) =>
      typeof v === 'string' && ['BASE64', 'NUMERIC'].includes(v.toUpperCase()) ? undefined : `must be BASE64 or NUMERIC (any case), got \`${String(v)}\``,
    ),
    doc: 'Controls which format this converter will serialize decimals in. BASE64 (the default) writes the unscaled value as base64 bytes; NUMERIC writes a JSON number.',
  },
  'replace.null.with.default': {
    type: 'boolean',
    default: true,
    importance: 'low',
    group: 'Serialization',
    order: 3,
    displayName: 'Replace null with default',
    doc: 'Whether to replace fields that have a default value and that are null to the default value. When true the default value is used, otherwise null.',
  },
});
export type JsonConverterConfig = ConfigOf<typeof jsonConverterConfig>;

const SCHEMA_PREFIX = Buffer.from('{"schema":');
const PAYLOAD_PREFIX = Buffer.from(',"payload":');
const JSON_SPACE = [0x20, 0x0a, 0x0d, 0x09];
const CLOSE_BRACE = 0x7d;

/** Whether `bytes` holds `part` at `offset` (compared in place, without a view of `bytes`). */
function startsWith(bytes: Uint8Array, part: Buffer, offset: number): boolean {
  return offset + part.length <= bytes.length && part.compare(bytes, offset, offset + part.length) === 0;
}

const ENVELOPE_REASON =
  'JsonConverter with schemas.enable=true expects exactly two top-level fields, "schema" and "payload"; ' +
  'for plain JSON without that envelope set schemas.enable=false in the converter config';

/**
 * JsonConverter as a value/key converter and a header converter (the same instance works as
 * both). Call `configure` first; it takes the parsed {@link jsonConverterConfig}.
 */
export class JsonConverter implements Converter<JsonConverterConfig>, HeaderConverter<JsonConverterConfig> {
  #schemasEnabled = true;
  #options: JsonDataOptions = { decimalFormat: 'BASE64', replaceNullWithDefault: true };
  #toJsonCache = new LruCache<Schema, string>(1000);
  #toConnectCache = new LruCache<string, Schema>(1000);
  /** The last envelope schema read (a JSON object) as text and as UTF-8, for {@link JsonConverter.#knownSchemaEnvelope}. */
  #lastSchema: { readonly text: string; readonly bytes: Buffer } | null = null;

  configure(config: JsonConverterConfig, _isKey = false): void {
    this.#schemasEnabled = config['schemas.enable'];
    this.#options = {
      decimalFormat: config['decimal.format'].toUpperCase() === 'NUMERIC' ? 'NUMERIC' : 'BASE64',
      replaceNullWithDefault: config['replace.null.with.default'],
    };
    this.#toJsonCache = new LruCache(config['schemas.cache.size']);
    this.#toConnectCache = new LruCache(config['schemas.cache.size']);
  }

  /** The JSON text, without converting it to bytes; `null` for a tombstone. */
  toJsonText(schema: Schema | undefined, value: unknown): string | null {
    if (schema === undefined && (value === null || value === undefined)) return null;
    const payload = toJson(schema, value, this.#options);
    if (!this.#schemasEnabled) return payload;
    const schemaJson = schema === undefined ? 'null' : schemaToJson(schema, this.#options, this.#toJsonCache);
    return `{"schema":${schemaJson},"payload":${payload}}`;
  }

  fromConnectData(_topic: string, _headers: Headers | undefined, schema: Schema | undefined, value: unknown): Uint8Array | null {
    const text = this.toJsonText(schema, value);
    return text === null ? null : utf8(text);
  }

  toConnectData(_topic: string, _headers: Headers | undefined, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return { schema: undefined, value: null };
    if (this.#schemasEnabled) {
      const known = this.#knownSchemaEnvelope(bytes);
      if (known !== undefined) return known;
    }
    const node = parseJsonText(decodeJson(bytes));
    if (!this.#schemasEnabled) return { schema: undefined, value: toConnect(undefined, node, this.#options) };
    const fields = node?.kind === 'object' ? node.fields : undefined;
    const schemaNode: JsonNode | undefined = fields?.get('schema');
    const payloadNode: JsonNode | undefined = fields?.get('payload');
    if (fields?.size !== 2 || schemaNode === undefined || payloadNode === undefined) {
      const found = fields === undefined ? (node === undefined ? 'no JSON value' : `a JSON ${node.kind}`) : `fields ${[...fields.keys()].map((k) => JSON.stringify(k)).join(', ') || '(none)'}`;
      throw dataError(`${ENVELOPE_REASON} (found ${found})`);
    }
    const schema = schemaFromJson(schemaNode, this.#options, this.#toConnectCache);
    this.#lastSchema = schemaNode.kind === 'object' ? { text: schemaNode.source, bytes: Buffer.from(schemaNode.source) } : null;
    return { schema, value: toConnect(schema, payloadNode, this.#options) };
  }

  /**
   * An envelope written as JsonConverter writes it — `{"schema":S,"payload":P}` — whose schema
   * S is byte for byte the last one read and still cached: only P is decoded and parsed. Records
   * of a topic mostly share one schema, and its text is most of each record. `undefined` for
   * anything else (other schema, other layout, malformed payload), which the full parse then
   * reads or reports.
   */
  #knownSchemaEnvelope(bytes: Uint8Array): SchemaAndValue | undefined {
    const known = this.#lastSchema;
    if (known === null) return undefined;
    const schemaEnd = SCHEMA_PREFIX.length + known.bytes.length;
    const payloadStart = schemaEnd + PAYLOAD_PREFIX.length;
    if (bytes.length <= payloadStart || !startsWith(bytes, SCHEMA_PREFIX, 0) || !startsWith(bytes, known.bytes, SCHEMA_PREFIX.length) || !startsWith(bytes, PAYLOAD_PREFIX, schemaEnd)) {
      return undefined;
    }
    const schema = this.#toConnectCache.get(known.text);
    if (schema === undefined) return undefined;
    let end = bytes.length;
    while (end > payloadStart && JSON_SPACE.includes(bytes[end - 1]!)) end--;
    if (bytes[end - 1] !== CLOSE_BRACE) return undefined;
    let payload: JsonNode | undefined;
    try {
      payload = parseJsonText(decodeJson(bytes.subarray(payloadStart, end - 1)));
    } catch {
      return undefined;
    }
    if (payload === undefined) return undefined;
    return { schema, value: toConnect(schema, payload, this.#options) };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | undefined, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, undefined, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, undefined, bytes);
  }
}

const JSON_DOC = 'Kafka Connect data as JSON (org.apache.kafka.connect.json.JsonConverter), byte-compatible with Apache Kafka.';

export const jsonConverter = defineConverter({ name: 'JsonConverter', doc: JSON_DOC, config: jsonConverterConfig, create: () => new JsonConverter() });
export const jsonHeaderConverter = defineHeaderConverter({ name: 'JsonConverter', doc: JSON_DOC, config: jsonConverterConfig, create: () => new JsonConverter() });
