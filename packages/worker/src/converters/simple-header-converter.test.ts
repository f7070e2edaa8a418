// SimpleHeaderConverter against the header vectors Apache Kafka printed (json-vectors.json; see
// json-converter.vectors.test.ts for how to regenerate them).
import { Decimal, Headers, Schemas, TimestampLogical, schemaEquals } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { JsonConverter, jsonConverterConfig } from './json-converter.ts';
import { vectorCases, vectors } from './vectors.test.fixtures.ts';
import { SimpleHeaderConverter } from './simple-header-converter.ts';
import { convertToString } from './values-text.ts';

const converter = new SimpleHeaderConverter();
const json = new JsonConverter();
json.configure(jsonConverterConfig.parse({}), false);

function text(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('utf8');
}

describe('SimpleHeaderConverter writes the text Apache Kafka writes', () => {
  const writes = vectors.filter((v) => v.kind === 'header-write');
  it.each(writes.map((v) => [v.name, v] as const))('%s', (name, v) => {
    const c = vectorCases.get(name);
    expect(c).toBeDefined();
    expect(v.error).toBeUndefined();
    expect(text(converter.fromConnectHeader('t', 'h', c?.schema, c?.value))).toBe(v.text);
  });
});

describe('SimpleHeaderConverter infers what Apache Kafka infers', () => {
  const reads = vectors.filter((v) => v.kind === 'header-read');
  it.each(reads.map((v) => [JSON.stringify(v.input), v] as const))('%s', (_label, v) => {
    const result = converter.toConnectHeader('t', 'h', Buffer.from(v.input));
    expect(v.error).toBeUndefined();
    if (v.result === null) {
      expect(result).toEqual({ schema: undefined, value: null });
    } else if (v.schemaType !== undefined) {
      expect(result.schema?.type).toBe(v.schemaType);
      expect(convertToString(result.schema, result.value)).toBe(v.valueText);
    } else {
      expect(json.toJsonText(result.schema, result.value)).toBe(v.envelope);
    }
  });
});

describe('SimpleHeaderConverter', () => {
  it('keeps null a null header both ways', () => {
    expect(converter.fromConnectHeader('t', 'h', Schemas.OPTIONAL_STRING, null)).toBeNull();
    expect(converter.toConnectHeader('t', 'h', null)).toEqual({ schema: undefined, value: null });
  });

  it('round-trips typed values through text', () => {
    const cases: [typeof Schemas.INT8, unknown][] = [
      [Schemas.INT8, 5],
      [Schemas.INT64, 3000000000n],
      [Schemas.BOOLEAN, true],
      [Schemas.STRING, 'hello world'],
      [TimestampLogical.schema(), new Date(1_700_000_000_123)],
      [Decimal.schema(30), Decimal.parse('1e400')],
    ];
    for (const [schema, value] of cases) {
      const back = converter.toConnectHeader('t', 'h', converter.fromConnectHeader('t', 'h', schema, value));
      if (schema.name !== Decimal.LOGICAL_NAME) expect(schemaEquals(back.schema, schema)).toBe(true);
      expect(back.value).toEqual(value);
    }
  });

  it('falls back to a string for text that is not a value, and keeps bytes that are not UTF-8 text', () => {
    expect(converter.toConnectHeader('t', 'h', Buffer.from('[1, 2'))).toEqual({ schema: Schemas.STRING, value: '[1, 2' });
    const read = converter.toConnectHeader('t', 'h', new Uint8Array([0xff]));
    expect(read.schema?.type).toBe('STRING');
  });

  it('is usable through the Headers of a record', () => {
    const headers = new Headers().add('n', 42, Schemas.INT32);
    const [h] = [...headers];
    expect(text(converter.fromConnectHeader('t', h?.key ?? '', h?.schema, h?.value))).toBe('42');
  });
});
