import { describe, expect, it } from 'vitest';
import { assertErrorCode } from './testing.ts';
import { SCHEMA_TYPES, fieldOf, schemaEquals, type Schema } from './schema.ts';
import { SchemaBuilder, Schemas } from './schema-builder.ts';

describe('SchemaBuilder', () => {
  it('builds every primitive type, required by default', () => {
    const built = [
      SchemaBuilder.int8(),
      SchemaBuilder.int16(),
      SchemaBuilder.int32(),
      SchemaBuilder.int64(),
      SchemaBuilder.float32(),
      SchemaBuilder.float64(),
      SchemaBuilder.bool(),
      SchemaBuilder.string(),
      SchemaBuilder.bytes(),
    ].map((b) => b.build());
    expect(built.map((s) => s.type)).toEqual(SCHEMA_TYPES.slice(0, 9));
    expect(built.every((s) => !s.optional)).toBe(true);
  });

  it('sets optional, default, name, version, doc and parameters', () => {
    const s = SchemaBuilder.int32()
      .optional()
      .defaultValue(7)
      .name('my.Count')
      .version(3)
      .doc('how many')
      .parameter('a', '1')
      .parameters({ b: '2' })
      .build();
    expect(s).toEqual({
      type: 'INT32',
      optional: true,
      defaultValue: 7,
      name: 'my.Count',
      version: 3,
      doc: 'how many',
      parameters: { a: '1', b: '2' },
    });
  });

  it('builds arrays, maps and structs with fields in declaration order', () => {
    const arr = SchemaBuilder.array(Schemas.STRING).build();
    expect(arr.valueSchema).toBe(Schemas.STRING);
    const map = SchemaBuilder.map(Schemas.STRING, Schemas.INT64).optional().build();
    expect([map.type, map.keySchema?.type, map.valueSchema?.type, map.optional]).toEqual(['MAP', 'STRING', 'INT64', true]);
    const struct = SchemaBuilder.struct()
      .name('shop.Order')
      .field('zeta', Schemas.INT64)
      .field('alpha', SchemaBuilder.string().optional())
      .field('mid', arr)
      .build();
    expect(struct.fields?.map((f) => [f.name, f.index])).toEqual([
      ['zeta', 0],
      ['alpha', 1],
      ['mid', 2],
    ]);
    expect(fieldOf(struct, 'alpha')?.schema.optional).toBe(true);
    expect(fieldOf(struct, 'nope')).toBeUndefined();
  });

  it('finds fields of schemas written as plain objects, also after their field list changed', () => {
    const fields = [{ name: 'a', index: 0, schema: Schemas.INT8 }];
    const literal: Schema = { type: 'STRUCT', optional: false, fields };
    expect(fieldOf(literal, 'a')?.index).toBe(0);
    fields.push({ name: 'b', index: 1, schema: Schemas.STRING });
    expect(fieldOf(literal, 'b')?.index).toBe(1);
    expect(fieldOf(Schemas.STRING, 'a')).toBeUndefined();
  });

  it('returns frozen schemas that later builder calls do not change', () => {
    const builder = SchemaBuilder.struct().field('a', Schemas.INT8);
    const first = builder.build();
    builder.field('b', Schemas.INT8);
    expect(first.fields).toHaveLength(1);
    expect(builder.build().fields).toHaveLength(2);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.fields)).toBe(true);
    expect(() => {
      (first as { optional: boolean }).optional = true;
    }).toThrow(TypeError);
    expect(Object.isFrozen(Schemas.OPTIONAL_STRING)).toBe(true);
  });

  it('rejects misuse with SCHEMA errors', () => {
    expect(assertErrorCode(() => SchemaBuilder.int8().field('x', Schemas.INT8), 'SCHEMA').message).toMatch(/only STRUCT has fields/);
    expect(assertErrorCode(() => SchemaBuilder.struct().field('x', Schemas.INT8).field('x', Schemas.INT8), 'SCHEMA').message).toMatch(
      /duplicate field `x`/,
    );
    expect(assertErrorCode(() => SchemaBuilder.int8().name('a').name('b'), 'SCHEMA').message).toMatch(/name is already set/);
    expect(assertErrorCode(() => SchemaBuilder.int8().defaultValue(1000).build(), 'SCHEMA').message).toMatch(/INT8 out of range/);
  });

  it('has the Schemas constants', () => {
    expect(Schemas.INT8).toEqual({ type: 'INT8', optional: false });
    expect(Schemas.OPTIONAL_BYTES).toEqual({ type: 'BYTES', optional: true });
  });
});

describe('schemaEquals', () => {
  it('compares structurally, including nested schemas and parameters', () => {
    const make = (doc: string) => SchemaBuilder.struct().name('n').field('m', SchemaBuilder.map(Schemas.STRING, SchemaBuilder.int32().doc(doc).build())).build();
    expect(schemaEquals(make('x'), make('x'))).toBe(true);
    expect(schemaEquals(make('x'), make('y'))).toBe(false);
    expect(schemaEquals(Schemas.INT8, Schemas.OPTIONAL_INT8)).toBe(false);
    expect(schemaEquals(SchemaBuilder.bytes().parameter('scale', '2').build(), SchemaBuilder.bytes().parameter('scale', '3').build())).toBe(false);
    expect(schemaEquals(SchemaBuilder.int8().defaultValue(1).build(), SchemaBuilder.int8().defaultValue(1).build())).toBe(true);
  });
});
