import { describe, expect, it } from 'vitest';
import { assertErrorCode } from './testing.ts';
import { Decimal } from './logical.ts';
import { SchemaBuilder, Schemas } from './schema-builder.ts';
import { Struct, isStruct } from './struct.ts';

const schema = SchemaBuilder.struct()
  .name('shop.Order')
  .field('id', Schemas.INT64)
  .field('status', SchemaBuilder.string().defaultValue('NEW').build())
  .field('note', Schemas.OPTIONAL_STRING)
  .field('price', Decimal.builder(2).optional())
  .build();

describe('Struct', () => {
  it('returns the field default when unset, and null without default', () => {
    const s = new Struct(schema).put('id', 1n);
    expect(s.get('status')).toBe('NEW');
    expect(s.getWithoutDefault('status')).toBeNull();
    expect(s.get('note')).toBeNull();
    expect(s.getString('status')).toBe('NEW');
    expect(s.getInt64('id')).toBe(1n);
  });

  it('checks values on put and names the field', () => {
    const s = new Struct(schema);
    expect(assertErrorCode(() => s.put('id', 'abc'), 'DATA').message).toBe('field `id`: expected INT64 (bigint), got string `abc`');
    expect(assertErrorCode(() => s.put('nope', 1), 'DATA').message).toBe('struct shop.Order has no field `nope`');
    expect(assertErrorCode(() => s.getInt32('id'), 'DATA').message).toBe('field `id` is INT64, not INT32');
  });

  it('validate() reports a missing required field', () => {
    const s = new Struct(schema).put('note', 'hi');
    expect(assertErrorCode(() => s.validate(), 'DATA').message).toBe('field `id`: required field is missing');
    s.put('id', 7n);
    expect(() => s.validate()).not.toThrow();
  });

  it('compares by schema and values; reads decimals', () => {
    const a = new Struct(schema).put('id', 1n).put('price', Decimal.parse('3.50'));
    const b = new Struct(schema).put('id', 1n).put('price', Decimal.parse('3.50'));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(new Struct(schema).put('id', 2n))).toBe(false);
    expect(a.getDecimal('price')?.toString()).toBe('3.50');
    expect(isStruct(a)).toBe(true);
    expect(String(a)).toBe('Struct{id=1,status=null,note=null,price=3.50}');
  });

  it('takes fields by name or as Field objects, of its own schema or an equal one', () => {
    const s = new Struct(schema).put('id', 5n);
    const own = schema.fields![3]!;
    s.put(own, Decimal.parse('1.25'));
    expect(s.getWithoutDefault(own)?.toString()).toBe('1.25');
    // a field of another, equal schema object is found by its name
    const copy = SchemaBuilder.struct().field('price', Decimal.builder(2).optional()).field('id', Schemas.INT64).build();
    expect(s.get(copy.fields![0]!)?.toString()).toBe('1.25');
    expect(s.get(copy.fields![1]!)).toBe(5n);
  });

  it('needs a STRUCT schema', () => {
    expect(assertErrorCode(() => new Struct(Schemas.STRING), 'DATA').message).toMatch(/needs a STRUCT schema, got STRING/);
  });
});
