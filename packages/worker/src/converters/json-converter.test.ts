import { Decimal, Headers, SchemaBuilder, Schemas, Struct, assertErrorCode, type Schema } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { JsonConverter, jsonConverter, jsonConverterConfig, jsonHeaderConverter } from './json-converter.ts';

const headers = new Headers();

function converter(config: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(jsonConverterConfig.parse(config), false);
  return c;
}

function read(text: string, config: Record<string, string> = {}): unknown {
  return converter(config).toConnectData('t', headers, Buffer.from(text)).value;
}

function readError(text: string, config: Record<string, string> = {}): string {
  return assertErrorCode(() => converter(config).toConnectData('t', headers, Buffer.from(text)), 'DATA').message;
}

function writeError(schema: Schema | undefined, value: unknown, config: Record<string, string> = {}): string {
  return assertErrorCode(() => converter(config).fromConnectData('t', headers, schema, value), 'DATA').message;
}

describe('JsonConverter config', () => {
  it('has the keys and defaults of Apache Kafka', () => {
    expect(jsonConverterConfig.parse({})).toEqual({ 'schemas.enable': true, 'schemas.cache.size': 1000, 'decimal.format': 'BASE64', 'replace.null.with.default': true });
    expect(jsonConverterConfig.parse({ 'decimal.format': 'numeric' })['decimal.format']).toBe('numeric');
    assertErrorCode(() => jsonConverterConfig.parse({ 'decimal.format': 'HEX' }), 'CONFIG');
    assertErrorCode(() => jsonConverterConfig.parse({ 'schemas.cache.size': '-1' }), 'CONFIG');
  });

  it('accepts decimal.format in any case', () => {
    const bytes = converter({ 'decimal.format': 'numeric', 'schemas.enable': 'false' }).fromConnectData('t', headers, Decimal.schema(1), Decimal.of(15, 1));
    expect(Buffer.from(bytes ?? []).toString()).toBe('1.5');
  });

  it('is both a converter and a header converter named JsonConverter', () => {
    expect(jsonConverter.kind).toBe('converter');
    expect(jsonHeaderConverter.kind).toBe('header-converter');
    const h = jsonHeaderConverter.create();
    h.configure(jsonHeaderConverter.config.parse({ 'schemas.enable': 'false' }));
    expect(Buffer.from(h.fromConnectHeader('t', 'k', Schemas.INT32, 5) ?? []).toString()).toBe('5');
    expect(h.toConnectHeader('t', 'k', Buffer.from('5'))).toEqual({ schema: undefined, value: 5n });
  });
});

describe('JsonConverter tombstones and nulls', () => {
  it('keeps a null value without schema a tombstone both ways', () => {
    expect(converter().fromConnectData('t', headers, undefined, null)).toBeNull();
    expect(converter().toConnectData('t', headers, null)).toEqual({ schema: undefined, value: null });
  });

  it('reads empty bytes as null without the envelope', () => {
    expect(converter({ 'schemas.enable': 'false' }).toConnectData('t', headers, new Uint8Array())).toEqual({ schema: undefined, value: null });
  });

  it('refuses a null for a required schema without a default', () => {
    expect(writeError(Schemas.STRING, null)).toMatch(/null value for a required STRING schema/);
    expect(readError('{"schema":{"type":"string","optional":false},"payload":null}')).toMatch(/invalid null value for a required STRING field/);
  });

  it('reads a null payload as the default, or as null with replace.null.with.default=false', () => {
    const text = '{"schema":{"type":"int32","optional":true,"default":7},"payload":null}';
    expect(read(text)).toBe(7);
    expect(read(text, { 'replace.null.with.default': 'false' })).toBeNull();
  });
});

describe('JsonConverter bad input names the reason', () => {
  it('requires exactly the schema and payload fields with schemas.enable', () => {
    for (const text of ['{"payload":1}', '{"schema":null,"payload":1,"extra":2}', '[1]', '42', '']) {
      expect(readError(text)).toMatch(/expects exactly two top-level fields, "schema" and "payload".*schemas\.enable=false/);
    }
    expect(readError('{"a":1}')).toContain('found fields "a"');
  });

  it('reports malformed JSON with its offset', () => {
    expect(readError('{"schema":', { 'schemas.enable': 'false' })).toMatch(/malformed JSON at offset 10/);
    expect(readError('[1,]', { 'schemas.enable': 'false' })).toMatch(/malformed JSON/);
    expect(readError('{"a":1} x', { 'schemas.enable': 'false' })).toMatch(/unexpected content after the JSON value/);
    expect(assertErrorCode(() => converter().toConnectData('t', headers, new Uint8Array([0xff, 0xfe])), 'DATA').message).toMatch(/not valid UTF-8/);
  });

  it('accepts leading zeros in numbers, as Kafka does', () => {
    expect(read('007', { 'schemas.enable': 'false' })).toBe(7n);
  });

  it('reports bad schemas', () => {
    expect(readError('{"schema":{"optional":true},"payload":1}')).toMatch(/"type"/);
    expect(readError('{"schema":{"type":"uint8"},"payload":1}')).toMatch(/unknown schema type: "uint8"/);
    expect(readError('{"schema":{"type":"array"},"payload":[]}')).toMatch(/element type/);
    expect(readError('{"schema":{"type":"map","keys":{"type":"string"}},"payload":{}}')).toMatch(/value type/);
    expect(readError('{"schema":{"type":"struct","fields":{}},"payload":{}}')).toMatch(/"fields" is not an array/);
    expect(readError('{"schema":{"type":"int8","parameters":{"a":1}},"payload":1}')).toMatch(/parameter "a" must have a string value/);
  });

  it('reports payloads that do not fit the schema', () => {
    const env = (type: string, payload: string): string => `{"schema":{"type":"${type}","optional":false},"payload":${payload}}`;
    expect(readError(env('int8', '200'))).toMatch(/200 is out of the INT8 range/);
    expect(readError(env('int32', '1.5'))).toMatch(/expected an integer/);
    expect(readError(env('int64', '9223372036854775808'))).toMatch(/out of the INT64 range/);
    expect(readError(env('boolean', '"true"'))).toMatch(/expected a boolean, found string/);
    expect(readError(env('bytes', '"not base64!"'))).toMatch(/invalid base64/);
    expect(readError('{"schema":{"type":"struct","fields":[]},"payload":[]}')).toMatch(/structs are JSON objects/);
    expect(readError('{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":[[1]]}')).toMatch(/expected \[key, value\]/);
    expect(readError('{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":"x"}')).toMatch(/Date/);
    const decimal = '{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"1"}},"payload":1.25}';
    expect(readError(decimal)).toMatch(/does not fit the schema scale 1/);
  });

  it('reports values that do not fit the schema when writing', () => {
    expect(writeError(Schemas.INT8, 300)).toMatch(/out of the INT8 range/);
    expect(writeError(Schemas.STRING, 5)).toMatch(/invalid value for STRING: number/);
    expect(writeError(Decimal.schema(2), Decimal.of(1, 3))).toMatch(/scale/);
    const s = SchemaBuilder.struct().field('a', Schemas.INT8).build();
    const other = SchemaBuilder.struct().field('b', Schemas.INT8).build();
    expect(writeError(s, new Struct(other).put('b', 1))).toMatch(/does not match/);
    expect(writeError(undefined, new Date())).toMatch(/no Connect schema type/);
  });
});

describe('JsonConverter reading', () => {
  it('reads a Decimal written as a number with fewer digits at the schema scale', () => {
    const value = read('{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":1}');
    expect(value).toEqual(Decimal.of(100, 2));
  });

  it('reads the strings Jackson writes for non-finite doubles', () => {
    expect(read('{"schema":{"type":"double","optional":false},"payload":"-Infinity"}')).toBe(-Infinity);
    expect(read('{"schema":{"type":"float","optional":false},"payload":"NaN"}')).toBeNaN();
  });

  it('caches schemas per instance without changing results', () => {
    const c = converter({ 'schemas.cache.size': '1' });
    const a = SchemaBuilder.struct().field('x', Schemas.INT8).build();
    for (let i = 0; i < 3; i++) {
      const bytes = c.fromConnectData('t', headers, a, new Struct(a).put('x', i));
      expect(c.toConnectData('t', headers, bytes).value).toEqual(new Struct(a).put('x', i));
    }
  });
});

describe('JsonConverter reading integers', () => {
  const int = (type: string, payload: string) => read(`{"schema":{"type":"${type}","optional":false},"payload":${payload}}`);
  const intError = (type: string, payload: string) => readError(`{"schema":{"type":"${type}","optional":false},"payload":${payload}}`);

  it('reads integer text of any length exactly, and refuses it outside the type range', () => {
    expect([int('int8', '-128'), int('int8', '007'), int('int16', '-32768'), int('int32', '2147483647')]).toEqual([-128, 7, -32768, 2147483647]);
    expect(Object.is(int('int32', '-0'), 0)).toBe(true);
    expect(int('int32', '000000000000000000000042')).toBe(42);
    expect([int('int64', '-9223372036854775808'), int('int64', '9223372036854775807'), int('int64', '-0')]).toEqual([-(2n ** 63n), 2n ** 63n - 1n, 0n]);
    expect(intError('int8', '128')).toMatch(/128 is out of the INT8 range/);
    expect(intError('int32', '-2147483649')).toMatch(/-2147483649 is out of the INT32 range/);
    expect(intError('int32', '99999999999999999999')).toMatch(/out of the INT64 range/);
    expect(intError('int64', '9223372036854775808')).toMatch(/9223372036854775808 is out of the INT64 range/);
    expect(intError('int16', '1.0')).toMatch(/expected an integer, found 1.0/);
  });
});

describe('JsonConverter reading envelopes of the schema read last', () => {
  const schema = '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"field":"s"}],"optional":false}';
  const envelope = (payload: string) => `{"schema":${schema},"payload":${payload}}`;

  it('reads later records of the same schema as a full parse does', () => {
    const c = converter();
    const first = c.toConnectData('t', headers, Buffer.from(envelope('{"id":1,"s":"a"}')));
    for (const payload of ['{"id":9007199254740993,"s":"b\\"c\\u00e9"}', ' {"s":null, "id":2} ', '{"id":3}\n']) {
      const fresh = converter().toConnectData('t', headers, Buffer.from(envelope(payload)));
      const again = c.toConnectData('t', headers, Buffer.from(`${envelope(payload)} `));
      expect(again.schema).toBe(first.schema);
      expect(again.value).toEqual(fresh.value);
    }
  });

  it('reads or refuses a malformed or unusual envelope as a full parse does', () => {
    const outcome = (c: JsonConverter, text: string) => {
      try {
        return { value: c.toConnectData('t', headers, Buffer.from(text)).value };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    const c = converter();
    c.toConnectData('t', headers, Buffer.from(envelope('{"id":1}')));
    const texts = [envelope('{"id":1'), `${envelope('{"id":1}')}}`, envelope('{"id":1},"extra":2'), `${envelope('{"id":1}').slice(0, -1)},"schema":null}`, envelope('{"id":1.5}'), envelope('')];
    for (const text of texts) expect(outcome(c, text)).toEqual(outcome(converter(), text));
    expect(readError(envelope('{"id":1'))).toMatch(/malformed JSON/);
  });

  it('reads another schema in full and remembers it', () => {
    const c = converter();
    c.toConnectData('t', headers, Buffer.from(envelope('{"id":1}')));
    const other = '{"schema":{"type":"int32","optional":false},"payload":7}';
    expect(c.toConnectData('t', headers, Buffer.from(other)).value).toBe(7);
    expect(c.toConnectData('t', headers, Buffer.from(other)).value).toBe(7);
    expect(c.toConnectData('t', headers, Buffer.from(envelope('{"id":4}'))).value).toEqual(converter().toConnectData('t', headers, Buffer.from(envelope('{"id":4}'))).value);
  });
});
