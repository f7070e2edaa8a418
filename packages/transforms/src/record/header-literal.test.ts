import { DateLogical, Decimal, Schemas, TimeLogical } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { parseHeaderLiteral } from './header-literal.ts';

describe('parseHeaderLiteral', () => {
  it('gives whole numbers the smallest integer type that holds them', () => {
    expect(parseHeaderLiteral('127')).toEqual({ schema: Schemas.INT8, value: 127 });
    expect(parseHeaderLiteral('-129')).toEqual({ schema: Schemas.INT16, value: -129 });
    expect(parseHeaderLiteral('40000')).toEqual({ schema: Schemas.INT32, value: 40000 });
    expect(parseHeaderLiteral('9223372036854775807')).toEqual({ schema: Schemas.INT64, value: 9223372036854775807n });
    expect(parseHeaderLiteral('1.0')).toEqual({ schema: Schemas.INT8, value: 1 });
    expect(parseHeaderLiteral('1e3')).toEqual({ schema: Schemas.INT16, value: 1000 });
  });

  it('gives an integer beyond INT64 a Decimal', () => {
    expect(parseHeaderLiteral('9223372036854775808')).toEqual({ schema: Decimal.schema(0), value: Decimal.parse('9223372036854775808') });
  });

  it('gives other numbers FLOAT32, or FLOAT64 beyond its range', () => {
    expect(parseHeaderLiteral('0.5')).toEqual({ schema: Schemas.FLOAT32, value: 0.5 });
    expect(parseHeaderLiteral('1e300')).toEqual({ schema: Schemas.FLOAT64, value: 1e300 });
  });

  it('reads booleans, null and ISO dates and times', () => {
    expect(parseHeaderLiteral(' false ')).toEqual({ schema: Schemas.BOOLEAN, value: false });
    expect(parseHeaderLiteral('null')).toEqual({ schema: undefined, value: null });
    expect(parseHeaderLiteral('2020-02-03')).toEqual({ schema: DateLogical.schema(), value: new Date('2020-02-03T00:00:00Z') });
    expect(parseHeaderLiteral('01:02:03.004Z')).toEqual({ schema: TimeLogical.schema(), value: new Date(3_723_004) });
  });

  it('keeps anything else as the text, including the empty string', () => {
    expect(parseHeaderLiteral('hello world')).toEqual({ schema: Schemas.STRING, value: 'hello world' });
    expect(parseHeaderLiteral('')).toEqual({ schema: Schemas.STRING, value: '' });
    expect(parseHeaderLiteral('12abc')).toEqual({ schema: Schemas.STRING, value: '12abc' });
    expect(parseHeaderLiteral('[1,2]')).toEqual({ schema: Schemas.STRING, value: '[1,2]' });
  });

  it('reads a number only when it starts with a digit or a sign, as Kafka does: `.5` is a string', () => {
    expect(parseHeaderLiteral('.5')).toEqual({ schema: Schemas.STRING, value: '.5' });
    expect(parseHeaderLiteral('.5e1')).toEqual({ schema: Schemas.STRING, value: '.5e1' });
    expect(parseHeaderLiteral('-.5')).toEqual({ schema: Schemas.FLOAT32, value: -0.5 });
    expect(parseHeaderLiteral('+.25')).toEqual({ schema: Schemas.FLOAT32, value: 0.25 });
    expect(parseHeaderLiteral('5.')).toEqual({ schema: Schemas.INT8, value: 5 });
  });

  it('keeps text of several tokens whole, where Kafka would type its first token', () => {
    expect(parseHeaderLiteral('1,2')).toEqual({ schema: Schemas.STRING, value: '1,2' });
    expect(parseHeaderLiteral('12:30')).toEqual({ schema: Schemas.STRING, value: '12:30' });
  });
});
