import { describe, expect, it } from 'vitest';
import { DateLogical, Decimal, SchemaBuilder, Schemas, Struct, TimeLogical, TimestampLogical, assertErrorCode, sourceRecord } from '@sluice/core';
import type { Schema } from '@sluice/core';
import { cast } from './cast.ts';
import { configured, structEquality } from './testing.ts';

expect.addEqualityTesters([structEquality]);

const DAY = 86_400_000;

function valueRecord(valueSchema: Schema | undefined, value: unknown) {
  return sourceRecord({ topic: 't', kafkaPartition: 0, sourcePartition: null, sourceOffset: null, keySchema: Schemas.STRING, key: 'k', valueSchema, value });
}

function castValue(spec: string, valueSchema: Schema | undefined, value: unknown, extra: Record<string, string> = {}) {
  const result = configured(cast, 'Cast$Value', { spec, ...extra }).apply(valueRecord(valueSchema, value));
  if (result === null) throw new Error('dropped');
  return result;
}

describe('Cast config', () => {
  it.each([
    ['', /at least one field/],
    ['foo:faketype', /`faketype` is not a type/],
    ['foo:array', /cannot cast to ARRAY/],
    ['array', /cannot cast to ARRAY/],
    ['foo:bytes', /cannot cast to BYTES/],
    ['foo:int8:extra', /`foo:int8:extra` is not `field:type`/],
    ['foo:int8,int32', /whole value must be the only entry/],
  ])('rejects spec %j naming the key', (spec, reason) => {
    const error = assertErrorCode(() => cast.transforms[0]?.config.parse({ spec }), 'CONFIG');
    expect(error.message).toContain('`spec`');
    expect(error.message).toMatch(reason);
  });

  it('requires spec', () => {
    expect(assertErrorCode(() => cast.transforms[1]?.config.parse({}), 'CONFIG').message).toContain('`spec`');
  });

  it('answers to the Java class names of both variants', () => {
    expect(cast.aliases).toEqual({
      'org.apache.kafka.connect.transforms.Cast$Key': 'Cast$Key',
      'org.apache.kafka.connect.transforms.Cast$Value': 'Cast$Value',
    });
  });
});

describe('Cast of the whole value', () => {
  it.each([
    ['int8', 'INT8', 42],
    ['int16', 'INT16', 42],
    ['int32', 'INT32', 42],
    ['int64', 'INT64', 42n],
    ['float32', 'FLOAT32', 42],
    ['float64', 'FLOAT64', 42],
    ['boolean', 'BOOLEAN', true],
    ['string', 'STRING', '42'],
  ])('casts an INT32 to %s, schema and value', (spec, type, expected) => {
    const out = castValue(spec, Schemas.INT32, 42);
    expect(out.valueSchema?.type).toBe(type);
    expect(out.value).toBe(expected);
  });

  it('casts 0 to false, with and without a schema', () => {
    expect(castValue('boolean', Schemas.INT32, 0).value).toBe(false);
    expect(castValue('boolean', undefined, 0).value).toBe(false);
  });

  it('casts schemaless values by their JS type and keeps them schemaless', () => {
    const out = castValue('int64', undefined, 42);
    expect(out.valueSchema).toBeUndefined();
    expect(out.value).toBe(42n);
    expect(castValue('int8', undefined, 42n).value).toBe(42);
    expect(castValue('string', undefined, 42).value).toBe('42');
    expect(castValue('string', undefined, 2.5).value).toBe('2.5');
    expect(castValue('float32', undefined, '1.5').value).toBe(1.5);
  });

  it('casts the key with Cast$Key and leaves the value alone', () => {
    const record = sourceRecord({ topic: 't', sourcePartition: null, sourceOffset: null, keySchema: Schemas.INT32, key: 42, valueSchema: Schemas.STRING, value: 'bogus' });
    const out = configured(cast, 'Cast$Key', { spec: 'int8' }).apply(record);
    expect(out?.keySchema?.type).toBe('INT8');
    expect(out?.key).toBe(42);
    expect(out?.value).toBe('bogus');
  });

  it('casts the schema default as well', () => {
    const out = castValue('int32', SchemaBuilder.float32().defaultValue(-42.125).build(), 42.125);
    expect(out.value).toBe(42);
    expect(out.valueSchema?.defaultValue).toBe(-42);
  });

  it('renders a Decimal and a Timestamp as Kafka does', () => {
    expect(castValue('string', Decimal.schema(0), Decimal.of(42)).value).toBe('42');
    expect(castValue('string', TimestampLogical.schema(), new Date(DAY + 1)).value).toBe('1970-01-02T00:00:00.001Z');
    expect(castValue('string', TimestampLogical.schema(), new Date(DAY + 1)).valueSchema).toEqual(Schemas.STRING);
  });

  it('rejects a value Cast cannot read', () => {
    expect(assertErrorCode(() => castValue('int8', undefined, ['foo']), 'DATA').message).toMatch(/casting from ARRAY/);
    expect(assertErrorCode(() => castValue('int32', undefined, 'abc'), 'DATA').message).toMatch(/`abc`/);
    expect(assertErrorCode(() => castValue('int8', undefined, '300'), 'DATA').message).toMatch(/out of range/);
  });

  it('narrows like Java: integers keep their low bits, floats truncate and saturate', () => {
    expect(castValue('int8', Schemas.INT64, 300n).value).toBe(44);
    expect(castValue('int32', Schemas.FLOAT64, 3e10).value).toBe(2147483647);
    expect(castValue('int16', Schemas.FLOAT64, -1.9).value).toBe(-1);
    expect(castValue('boolean', Schemas.FLOAT64, 0.5).value).toBe(false);
  });

  it('writes floats with Java text', () => {
    expect(castValue('string', Schemas.FLOAT64, 42).value).toBe('42.0');
    expect(castValue('string', Schemas.FLOAT64, 1e7).value).toBe('1.0E7');
    expect(castValue('string', Schemas.FLOAT32, Math.fround(0.1)).value).toBe('0.1');
  });
});

describe('Cast of fields', () => {
  const schema = SchemaBuilder.struct()
    .field('int8', Schemas.INT8)
    .field('int16', Schemas.OPTIONAL_INT16)
    .field('int32', SchemaBuilder.int32().defaultValue(2))
    .field('int64', Schemas.INT64)
    .field('float32', Schemas.FLOAT32)
    .field('float64', SchemaBuilder.float64().defaultValue(-1.125))
    .field('boolean', Schemas.BOOLEAN)
    .field('string', Schemas.STRING)
    .field('bigdecimal', Decimal.schema(0))
    .field('date', DateLogical.schema())
    .field('optional', Schemas.OPTIONAL_FLOAT32)
    .field('timestamp', TimestampLogical.schema())
    .field('bytes', Schemas.BYTES)
    .build();
  const spec = 'int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,string:int32,bigdecimal:string,date:string,optional:int32,bytes:string';

  it('casts the named fields of a Struct, keeping optionality and casting defaults', () => {
    const value = new Struct(schema)
      .put('int8', 8)
      .put('int16', 16)
      .put('int32', 32)
      .put('int64', 64n)
      .put('float32', 32)
      .put('float64', -64)
      .put('boolean', true)
      .put('string', '42')
      .put('bigdecimal', Decimal.of(42))
      .put('date', new Date(DAY))
      .put('timestamp', new Date(0))
      .put('bytes', new Uint8Array([0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10]));
    const out = castValue(spec, schema, value);
    const struct = out.value as Struct;
    const types = Object.fromEntries((out.valueSchema?.fields ?? []).map((f) => [f.name, f.schema.type]));
    expect(types).toEqual({
      int8: 'INT16', int16: 'INT32', int32: 'INT64', int64: 'BOOLEAN', float32: 'FLOAT64', float64: 'BOOLEAN', boolean: 'INT8',
      string: 'INT32', bigdecimal: 'STRING', date: 'STRING', optional: 'INT32', timestamp: 'INT64', bytes: 'STRING',
    });
    expect(struct.get('int8')).toBe(8);
    expect(struct.get('int16')).toBe(16);
    expect(struct.get('int32')).toBe(32n);
    expect(struct.get('int64')).toBe(true);
    expect(struct.get('float64')).toBe(true);
    expect(struct.get('boolean')).toBe(1);
    expect(struct.get('string')).toBe(42);
    expect(struct.get('bigdecimal')).toBe('42');
    expect(struct.get('date')).toBe('1970-01-02');
    expect(struct.get('timestamp')).toEqual(new Date(0));
    expect(struct.get('bytes')).toBe('/ty6mHZUMhA=');
    expect(struct.get('optional')).toBeNull();
    expect(out.valueSchema?.fields?.find((f) => f.name === 'int16')?.schema.optional).toBe(true);
    expect(out.valueSchema?.fields?.find((f) => f.name === 'int32')?.schema.defaultValue).toBe(2n);
    expect(out.valueSchema?.fields?.find((f) => f.name === 'float64')?.schema.defaultValue).toBe(true);
  });

  it('casts logical types through their wire form', () => {
    const logical = SchemaBuilder.struct()
      .field('date', DateLogical.schema())
      .field('time', TimeLogical.schema())
      .field('decimal', Decimal.schema(0))
      .field('none', TimestampLogical.builder().optional())
      .build();
    const value = new Struct(logical).put('date', new Date(DAY)).put('time', new Date(1)).put('decimal', Decimal.of(2n ** 31n));
    const struct = castValue('date:int32,time:int64,decimal:int32,none:int32', logical, value).value as Struct;
    expect(struct.get('date')).toBe(1);
    expect(struct.get('time')).toBe(1n);
    expect(struct.get('decimal')).toBe(-(2 ** 31));
    expect(struct.get('none')).toBeNull();
  });

  it('casts the fields of a schemaless map and adds null for a named field that is missing', () => {
    const value = new Map<string, unknown>([['int', 32], ['float', -64.5], ['string', '42'], ['bool', true]]);
    const out = castValue('int:int64,float:boolean,string:int32,bool:int8,missing:int8', undefined, value);
    expect(out.valueSchema).toBeUndefined();
    expect(out.value).toEqual(new Map<string, unknown>([['int', 32n], ['float', true], ['string', 42], ['bool', 1], ['missing', null]]));
  });

  it('keeps a plain object a plain object', () => {
    expect(castValue('a:string', undefined, { a: 1, b: 2 }).value).toEqual({ a: '1', b: 2 });
  });

  it('uses or skips the default of a null field per replace.null.with.default', () => {
    const withDefault = SchemaBuilder.struct().field('magic', SchemaBuilder.int32().optional().defaultValue(10)).build();
    const value = new Struct(withDefault).put('magic', null);
    const replaced = castValue('magic:string', withDefault, value).value as Struct;
    expect(replaced.getWithoutDefault('magic')).toBe('10');
    const kept = castValue('magic:string', withDefault, value, { 'replace.null.with.default': 'false' }).value as Struct;
    expect(kept.getWithoutDefault('magic')).toBeNull();
  });

  it('names the field a cast failed on, with or without a schema', () => {
    const schema = SchemaBuilder.struct().field('ok', Schemas.STRING).field('amount', Schemas.STRING).build();
    const struct = new Struct(schema).put('ok', '1').put('amount', 'abc');
    const withSchema = assertErrorCode(() => castValue('ok:int32,amount:int32', schema, struct), 'DATA');
    expect(withSchema.message).toMatch(/^Cast: field `amount`: .*`abc`/);
    expect(withSchema.context['field']).toBe('amount');
    const schemaless = assertErrorCode(() => castValue('amount:int8', undefined, new Map([['amount', '300']])), 'DATA');
    expect(schemaless.message).toMatch(/^Cast: field `amount`: .*out of range/);
    expect(schemaless.context['field']).toBe('amount');
    const badDefault = SchemaBuilder.struct().field('amount', SchemaBuilder.string().defaultValue('abc')).build();
    const error = assertErrorCode(() => castValue('amount:int32', badDefault, new Struct(badDefault).put('amount', '1')), 'DATA');
    expect(error.context['field']).toBe('amount');
  });

  it('needs a Struct when the record has a schema', () => {
    expect(assertErrorCode(() => castValue('a:int8', Schemas.STRING, 'x'), 'DATA').message).toMatch(/Only Struct objects supported for \[cast types\]/);
  });

  it('gives records of one schema the same output schema', () => {
    const transform = configured(cast, 'Cast$Value', { spec: 'a:int64' });
    const s = SchemaBuilder.struct().field('a', Schemas.INT32).build();
    const first = transform.apply(valueRecord(s, new Struct(s).put('a', 1)));
    const second = transform.apply(valueRecord(s, new Struct(s).put('a', 2)));
    expect(second?.valueSchema).toBe(first?.valueSchema);
  });
});

describe('Cast of tombstones', () => {
  it.each([
    ['value with schema', 'Cast$Value', Schemas.STRING],
    ['value without schema', 'Cast$Value', undefined],
    ['key with schema', 'Cast$Key', Schemas.STRING],
    ['key without schema', 'Cast$Key', undefined],
  ])('passes a null %s through', (_what, name, schema) => {
    const record = sourceRecord({ topic: 't', sourcePartition: null, sourceOffset: null, keySchema: schema, key: null, valueSchema: schema, value: null });
    expect(configured(cast, name, { spec: 'foo:int64' }).apply(record)).toBe(record);
  });
});
