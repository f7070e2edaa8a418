import { describe, expect, it } from 'vitest';
import { assertErrorCode } from './testing.ts';
import { Decimal, DateLogical, TimestampLogical } from './logical.ts';
import { SchemaBuilder, Schemas } from './schema-builder.ts';
import type { Schema } from './schema.ts';
import { Struct } from './struct.ts';
import { validateValue } from './validate-value.ts';

function reason(schema: Schema, value: unknown, path?: string): string {
  return assertErrorCode(() => validateValue(schema, value, path), 'DATA').message;
}

describe('validateValue', () => {
  it('accepts the JS representation of every type', () => {
    const struct = SchemaBuilder.struct().field('a', Schemas.INT8).build();
    const ok: [Schema, unknown][] = [
      [Schemas.INT8, -128],
      [Schemas.INT16, 32767],
      [Schemas.INT32, -2147483648],
      [Schemas.INT64, 9223372036854775807n],
      [Schemas.FLOAT32, 1.5],
      [Schemas.FLOAT64, Number.NaN],
      [Schemas.BOOLEAN, false],
      [Schemas.STRING, ''],
      [Schemas.BYTES, new Uint8Array([1])],
      [Schemas.BYTES, Buffer.from('x')],
      [SchemaBuilder.array(Schemas.STRING).build(), ['a', 'b']],
      [SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(), new Map([['k', 1]])],
      [struct, new Struct(struct).put('a', 1)],
      [Schemas.OPTIONAL_STRING, null],
      [Decimal.schema(2), Decimal.parse('1.25')],
      [DateLogical.schema(), new Date(0)],
      [TimestampLogical.schema(), new Date()],
    ];
    for (const [schema, value] of ok) expect(() => validateValue(schema, value)).not.toThrow();
  });

  it('checks integer ranges per width', () => {
    expect(reason(Schemas.INT8, 128, 'tiny')).toBe('field `tiny`: INT8 out of range [-128, 127], got `128`');
    expect(reason(Schemas.INT8, -129)).toMatch(/INT8 out of range/);
    expect(reason(Schemas.INT16, 32768)).toMatch(/INT16 out of range \[-32768, 32767\]/);
    expect(reason(Schemas.INT32, 2147483648)).toMatch(/INT32 out of range/);
    expect(reason(Schemas.INT32, 1.5)).toBe('value: expected INT32, got number `1.5`');
    expect(reason(Schemas.INT64, 2n ** 63n)).toMatch(/INT64 out of range/);
  });

  it('names the field and the wrong value', () => {
    expect(reason(Schemas.INT64, 'abc', 'amount')).toBe('field `amount`: expected INT64 (bigint), got string `abc`');
    expect(reason(Schemas.INT64, 5, 'amount')).toBe('field `amount`: expected INT64 (bigint), got number `5`');
    expect(reason(Schemas.BOOLEAN, 'true')).toMatch(/expected BOOLEAN, got string `true`/);
    expect(reason(Schemas.BYTES, [1, 2])).toMatch(/expected BYTES \(Uint8Array\), got array/);
    expect(reason(Schemas.STRING, null, 'name')).toBe('field `name`: null used for required STRING');
  });

  it('reports the failing path inside nested structs, arrays and maps', () => {
    const line = SchemaBuilder.struct().name('Line').field('qty', Schemas.INT32).field('tags', SchemaBuilder.array(Schemas.STRING).build()).build();
    const order = SchemaBuilder.struct()
      .name('Order')
      .field('lines', SchemaBuilder.array(line).build())
      .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.INT64).build())
      .build();
    const good = new Struct(line).put('qty', 1).put('tags', ['a']);
    const o = new Struct(order).put('lines', [good]).put('attrs', new Map([['x', 1n]]));
    expect(() => validateValue(order, o)).not.toThrow();
    expect(reason(SchemaBuilder.array(line).build(), [good, { qty: 1 }], 'lines')).toBe(
      'field `lines[1]`: expected STRUCT (Struct), got object',
    );
    expect(reason(SchemaBuilder.map(Schemas.STRING, Schemas.INT64).build(), new Map<string, unknown>([['x', 'nope']]), 'attrs')).toBe(
      'field `attrs[x]`: expected INT64 (bigint), got string `nope`',
    );
    expect(reason(line, new Struct(line).put('tags', ['a']), 'order.lines[0]')).toBe('field `order.lines[0].qty`: required field is missing');
    expect(reason(SchemaBuilder.array(Schemas.STRING).build(), ['a', 3], 'order.tags')).toBe(
      'field `order.tags[1]`: expected STRING, got number `3`',
    );
  });

  it('requires the logical representation for logical types', () => {
    expect(reason(Decimal.schema(2), new Uint8Array([1]), 'price')).toMatch(/field `price`: expected Decimal/);
    expect(reason(Decimal.schema(2), Decimal.parse('1.5'), 'price')).toMatch(/scale 1 does not match the schema scale 2/);
    expect(reason(DateLogical.schema(), 19000, 'day')).toMatch(/expected Date \(a valid Date\), got number/);
  });

  it('rejects a struct of another schema', () => {
    const a = SchemaBuilder.struct().name('A').field('x', Schemas.INT8).build();
    const b = SchemaBuilder.struct().name('B').field('x', Schemas.INT8).build();
    expect(reason(a, new Struct(b).put('x', 1), 'v')).toMatch(/struct schema B does not match the expected A/);
  });
});
