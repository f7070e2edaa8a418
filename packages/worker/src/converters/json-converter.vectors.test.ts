// JsonConverter against Apache Kafka's own bytes.
//
// json-vectors.json is printed by stack/connect-json/Vectors.java with Apache Kafka 4.1.1's
// JsonConverter and SimpleHeaderConverter. To regenerate it (Java ≥ 19 and Maven; from the
// repository root):
//   mvn -B -q -f stack/connect-json/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
//     -DincludeScope=runtime -DoutputDirectory="$PWD/.stack/connect-json/lib"
//   TZ=UTC java -Duser.timezone=UTC -cp '.stack/connect-json/lib/*' stack/connect-json/Vectors.java \
//     > packages/worker/src/converters/json-vectors.json
// The cases of Vectors.java are built again in vectors.test.fixtures.ts (same names). These tests
// need no Java: they read the committed file.
import { Headers, isStruct, schemaEquals, valueEquals } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { JsonConverter, jsonConverterConfig } from './json-converter.ts';
import { vectorCases, vectors, type JsonVector, type VectorCase } from './vectors.test.fixtures.ts';

const jsonVectors = vectors.filter((v): v is JsonVector => v.kind === 'json');

function converter(config: Readonly<Record<string, string>>): JsonConverter {
  const c = new JsonConverter();
  c.configure(jsonConverterConfig.parse(config), false);
  return c;
}

function hex(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('hex');
}

function caseOf(name: string): VectorCase {
  const c = vectorCases.get(name);
  if (c === undefined) throw new Error(`vectors.test.fixtures.ts has no case ${name}`);
  return c;
}

function label(v: JsonVector): string {
  return `${v.name} ${JSON.stringify(v.config)}`;
}

/** What reading the bytes back gives when a schema travels with them. */
function expectedRead(c: VectorCase, config: Readonly<Record<string, string>>): unknown {
  if (c.value !== null || c.schema?.defaultValue === undefined) return c.value;
  return config['replace.null.with.default'] === 'false' ? null : c.schema.defaultValue;
}

const headers = new Headers();

describe('JsonConverter writes the bytes Apache Kafka writes', () => {
  it('covers every case of Vectors.java, and every case is in the vectors', () => {
    expect(new Set(jsonVectors.map((v) => v.name))).toEqual(new Set(vectorCases.keys()));
    expect(jsonVectors.length).toBeGreaterThan(150);
  });

  it.each(jsonVectors.map((v) => [label(v), v] as const))('%s', (_label, v) => {
    const c = caseOf(v.name);
    expect(v.error).toBeUndefined();
    const written = converter(v.config).fromConnectData('topic', headers, c.schema, c.value);
    expect(hex(written)).toBe(v.hex);
  });
});

describe("JsonConverter reads Apache Kafka's bytes back", () => {
  const withEnvelope = jsonVectors.filter((v) => v.config['schemas.enable'] === 'true' && typeof v.hex === 'string');

  it.each(withEnvelope.map((v) => [label(v), v] as const))('%s', (_label, v) => {
    const c = caseOf(v.name);
    const conv = converter(v.config);
    const bytes = Buffer.from(v.hex ?? '', 'hex');
    const read = conv.toConnectData('topic', headers, bytes);
    if (c.schema === undefined) {
      expect(read.schema).toBeUndefined();
    } else {
      expect(schemaEquals(read.schema, c.schema)).toBe(true);
      // a struct read back holds the defaults that were written for its null fields
      if (!isStruct(c.value)) expect(valueEquals(read.value, expectedRead(c, v.config))).toBe(true);
    }
    expect(hex(conv.fromConnectData('topic', headers, read.schema, read.value))).toBe(v.hex);
  });

  it('reads schemaless JSON as INT64 integers, FLOAT64 decimals, maps and arrays', () => {
    for (const name of ['schemaless-int64', 'schemaless-string', 'schemaless-double', 'schemaless-boolean', 'schemaless-map', 'schemaless-array', 'schemaless-bytes']) {
      for (const enabled of ['true', 'false']) {
        const v = jsonVectors.find((x) => x.name === name && x.config['schemas.enable'] === enabled);
        const read = converter({ 'schemas.enable': enabled }).toConnectData('t', headers, Buffer.from(v?.hex ?? '', 'hex'));
        const expected = name === 'schemaless-bytes' ? 'AQI=' : caseOf(name).value;
        expect(read.schema).toBeUndefined();
        expect(valueEquals(read.value, expected), `${name} ${enabled}`).toBe(true);
      }
    }
  });

  it('reads bare payloads of typed values with the types JSON gives them', () => {
    const read = (name: string): unknown => {
      const v = jsonVectors.find((x) => x.name === name && x.config['schemas.enable'] === 'false' && x.config['decimal.format'] === undefined);
      return converter({ 'schemas.enable': 'false' }).toConnectData('t', headers, Buffer.from(v?.hex ?? '', 'hex')).value;
    };
    expect(read('int64-max')).toBe(9223372036854775807n);
    expect(read('int8')).toBe(-128n);
    expect(read('float64-1e10')).toBe(1e10);
    expect(read('float32-0.1')).toBe(0.1);
    expect(read('tombstone')).toBeNull();
    expect(read('map-int32-string')).toEqual([[2n, 'two'], [-1n, 'minus one']]);
    expect(read('struct-empty')).toEqual(new Map());
  });
});

