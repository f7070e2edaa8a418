import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, assertErrorCode } from '@sluice/core';
import { FieldPath } from './field-path.ts';

const v2 = (text: string) => new FieldPath(text, 'V2').steps;

describe('FieldPath', () => {
  it.each([
    ['foo', ['foo']],
    ['foo.bar', ['foo', 'bar']],
    ['foo.', ['foo', '']],
    ['`foo.bar`.baz', ['foo.bar', 'baz']],
    ['`foo.bar`', ['foo.bar']],
    ['`a`b`.c', ['a`b', 'c']],
    ['`a\\`.b`', ['a`.b']],
  ])('splits %j into %j with V2', (text, steps) => {
    expect(v2(text)).toEqual(steps);
  });

  it('keeps the whole text as one name with V1', () => {
    expect(new FieldPath('`a.b`.c', 'V1').steps).toEqual(['`a.b`.c']);
  });

  it.each([['`foo'], ['`foo\\`'], ['foo.`bar']])('rejects the unclosed backtick in %j', (text) => {
    expect(assertErrorCode(() => v2(text), 'CONFIG').message).toMatch(/no closing backtick/);
  });

  it('finds nested fields and values, and null where a step is missing or null', () => {
    const baz = SchemaBuilder.struct().field('inner', Schemas.STRING).optional().build();
    const bar = SchemaBuilder.struct().field('bar', Schemas.INT32).field('baz', baz).build();
    const schema = SchemaBuilder.struct().field('foo', bar).build();
    const struct = new Struct(schema).put('foo', new Struct(bar).put('bar', 42).put('baz', null));
    expect(new FieldPath('foo.bar', 'V2').fieldFrom(schema)?.schema).toBe(Schemas.INT32);
    expect(new FieldPath('foo.unknown', 'V2').fieldFrom(schema)).toBeUndefined();
    expect(new FieldPath('foo.bar', 'V2').valueFromStruct(struct, true)).toBe(42);
    expect(new FieldPath('foo.baz.inner', 'V2').valueFromStruct(struct, true)).toBeNull();
    expect(new FieldPath('un.known', 'V2').valueFromStruct(struct, true)).toBeNull();
    const map = new Map<string, unknown>([['foo', new Map<string, unknown>([['bar', 42], ['baz', null]])]]);
    expect(new FieldPath('foo.bar', 'V2').valueFromMap(map)).toBe(42);
    expect(new FieldPath('foo.baz.inner', 'V2').valueFromMap(map)).toBeNull();
  });
});
