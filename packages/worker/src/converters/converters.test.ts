import { Decimal, Headers, SchemaBuilder, Schemas, Struct, assertErrorCode, definePlugin } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { builtinConverterAliases, builtinConverters } from './builtins.ts';
import { bigDecimalString, javaDoubleString, javaFloatString } from './java-text.ts';
import { base64 } from './json-text.ts';
import { numberConverters, type NumberConverter } from './number-converters.ts';
import { ByteArrayConverter, StringConverter, stringConverterConfig } from './string-converter.ts';

const headers = new Headers();

function numberConverter(name: string): NumberConverter {
  const def = numberConverters.find((d) => d.name === name);
  if (def === undefined) throw new Error(name);
  return def.create() as NumberConverter;
}

function hex(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('hex');
}

describe('number converters use the big-endian layouts of Kafka serializers', () => {
  const cases: [string, unknown, string, string][] = [
    ['ShortConverter', -2, 'fffe', 'INT16'],
    ['IntegerConverter', 258, '00000102', 'INT32'],
    ['LongConverter', -9223372036854775808n, '8000000000000000', 'INT64'],
    ['FloatConverter', 1.5, '3fc00000', 'FLOAT32'],
    ['DoubleConverter', 0.1, '3fb999999999999a', 'FLOAT64'],
    ['BooleanConverter', true, '01', 'BOOLEAN'],
    ['BooleanConverter', false, '00', 'BOOLEAN'],
  ];
  it.each(cases)('%s %s', (name, value, bytes, type) => {
    const c = numberConverter(name);
    expect(hex(c.fromConnectData('t', headers, undefined, value))).toBe(bytes);
    const back = c.toConnectData('t', headers, Buffer.from(bytes, 'hex'));
    expect(back.schema).toEqual({ type, optional: true });
    expect(back.value).toBe(value);
    expect(hex(c.fromConnectHeader('t', 'h', undefined, value))).toBe(bytes);
  });

  it('keeps null a null both ways, with the optional schema', () => {
    const c = numberConverter('IntegerConverter');
    expect(c.fromConnectData('t', headers, Schemas.INT32, null)).toBeNull();
    expect(c.toConnectData('t', headers, null)).toEqual({ schema: Schemas.OPTIONAL_INT32, value: null });
  });

  it('names the reason for a wrong size, value or byte', () => {
    expect(assertErrorCode(() => numberConverter('IntegerConverter').toConnectData('t', headers, new Uint8Array(3)), 'DATA').message).toBe(
      'IntegerConverter expects 4 bytes for a Integer, got 3',
    );
    expect(assertErrorCode(() => numberConverter('ShortConverter').fromConnectData('t', headers, undefined, 40000), 'DATA').message).toMatch(/not a Short/);
    expect(assertErrorCode(() => numberConverter('LongConverter').fromConnectData('t', headers, undefined, 'x'), 'DATA').message).toMatch(/not a Long/);
    expect(assertErrorCode(() => numberConverter('BooleanConverter').toConnectData('t', headers, new Uint8Array([2])), 'DATA').message).toMatch(/unexpected byte 2/);
  });
});

describe('StringConverter', () => {
  function make(config: Record<string, string> = {}): StringConverter {
    const c = new StringConverter();
    c.configure(stringConverterConfig.parse(config));
    return c;
  }

  it('writes toString() in UTF-8 and reads an optional STRING', () => {
    const c = make();
    expect(Buffer.from(c.fromConnectData('t', headers, Schemas.STRING, 'héllo') ?? []).toString()).toBe('héllo');
    expect(Buffer.from(c.fromConnectData('t', headers, Schemas.FLOAT64, 1) ?? []).toString()).toBe('1.0');
    expect(Buffer.from(c.fromConnectData('t', headers, Schemas.INT64, 5n) ?? []).toString()).toBe('5');
    expect(Buffer.from(c.fromConnectData('t', headers, Decimal.schema(2), Decimal.of(5, 2)) ?? []).toString()).toBe('0.05');
    const s = SchemaBuilder.struct().field('a', Schemas.INT8).build();
    expect(Buffer.from(c.fromConnectData('t', headers, s, new Struct(s).put('a', 1)) ?? []).toString()).toBe('Struct{a=1}');
    expect(c.toConnectData('t', headers, Buffer.from('héllo'))).toEqual({ schema: Schemas.OPTIONAL_STRING, value: 'héllo' });
    expect(c.fromConnectData('t', headers, Schemas.OPTIONAL_STRING, null)).toBeNull();
    expect(c.toConnectData('t', headers, null)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: null });
  });

  it('honours converter.encoding and refuses unknown charsets', () => {
    const c = make({ 'converter.encoding': 'ISO-8859-1' });
    expect(hex(c.fromConnectData('t', headers, Schemas.STRING, 'é'))).toBe('e9');
    expect(c.toConnectData('t', headers, new Uint8Array([0xe9])).value).toBe('é');
    assertErrorCode(() => stringConverterConfig.parse({ 'converter.encoding': 'EBCDIC' }), 'CONFIG');
  });

  it('refuses bytes, which Java would print as an object id', () => {
    expect(assertErrorCode(() => make().fromConnectData('t', headers, Schemas.BYTES, new Uint8Array([1])), 'DATA').message).toMatch(/ByteArrayConverter/);
  });
});

describe('ByteArrayConverter', () => {
  const c = new ByteArrayConverter();
  it('passes bytes through and reads an optional BYTES', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(c.fromConnectData('t', headers, Schemas.BYTES, bytes)).toBe(bytes);
    expect(c.toConnectData('t', headers, bytes)).toEqual({ schema: Schemas.OPTIONAL_BYTES, value: bytes });
    expect(c.fromConnectData('t', headers, undefined, null)).toBeNull();
  });
  it('refuses other schemas and values', () => {
    expect(assertErrorCode(() => c.fromConnectData('t', headers, Schemas.STRING, 'x'), 'DATA').message).toBe('invalid schema type for ByteArrayConverter: STRING (only BYTES)');
    expect(assertErrorCode(() => c.fromConnectData('t', headers, undefined, 'x'), 'DATA').message).toMatch(/needs a Uint8Array/);
  });
});

describe('base64', () => {
  it('writes 0 to 40 bytes, also of a view into a larger buffer, as standard padded base64', () => {
    const all = Uint8Array.from({ length: 64 }, (_, i) => (i * 67 + 13) & 0xff);
    for (let n = 0; n <= 40; n++) {
      const view = all.subarray(3, 3 + n);
      expect(base64(view)).toBe(Buffer.from(view).toString('base64'));
    }
  });
});

describe('Java number text', () => {
  it('prints doubles, floats and BigDecimals as Java does', () => {
    expect([1.5, 100, 1e10, -0, 1e-7, 0.001, 9999999, 1e7, Number.MIN_VALUE, 2e23, 123.456].map(javaDoubleString)).toEqual([
      '1.5', '100.0', '1.0E10', '-0.0', '1.0E-7', '0.001', '9999999.0', '1.0E7', '4.9E-324', '2.0E23', '123.456',
    ]);
    // integral values and 16–17-digit fractions, as a double column of a table holds
    expect([1 / 7, 100 / 7, -5, 2 / 3, 0.1 + 0.2, 1e21, -9999999, 1234567.5, 2 ** -1074 * 3].map(javaDoubleString)).toEqual([
      '0.14285714285714285', '14.285714285714286', '-5.0', '0.6666666666666666', '0.30000000000000004', '1.0E21', '-9999999.0', '1234567.5', '1.5E-323',
    ]);
    expect([0.1, 1 / 3, 1e10, 1.401298464324817e-45, 16777216].map(javaFloatString)).toEqual(['0.1', '0.33333334', '1.0E10', '1.4E-45', '1.6777216E7']);
    expect(['12.30', '-0.05', '0', '1.2345E+6', '1.234E-7', '0E+2', '0.000001'].map((t) => bigDecimalString(Decimal.parse(t)))).toEqual([
      '12.30', '-0.05', '0', '1.2345E+6', '1.234E-7', '0E+2', '0.000001',
    ]);
  });
});

describe('builtinConverters', () => {
  it('define every converter of Kafka Connect under its simple name, with its Java class name as an alias', () => {
    const plugin = definePlugin({ name: '@sluice/worker', version: '0.1.0', converters: builtinConverters, aliases: builtinConverterAliases });
    const names = (kind: string): string[] => plugin.converters.filter((c) => c.kind === kind).map((c) => c.name);
    expect(names('converter')).toEqual(['JsonConverter', 'StringConverter', 'ByteArrayConverter', 'ShortConverter', 'IntegerConverter', 'LongConverter', 'FloatConverter', 'DoubleConverter', 'BooleanConverter']);
    expect(names('header-converter')).toEqual([...names('converter'), 'SimpleHeaderConverter']);
    expect(Object.keys(plugin.aliases)).toHaveLength(10);
    expect(plugin.aliases['org.apache.kafka.connect.converters.BooleanConverter']).toBe('BooleanConverter');
  });

  it('instantiate from key.converter.* style properties', () => {
    const def = builtinConverters.find((d) => d.kind === 'converter' && d.name === 'JsonConverter');
    if (def?.kind !== 'converter') throw new Error('JsonConverter missing');
    const conv = def.create();
    conv.configure(def.config.parse({ 'schemas.enable': 'false' }), true);
    expect(Buffer.from(conv.fromConnectData('t', headers, Schemas.INT64, 42n) ?? []).toString()).toBe('42');
  });
});
