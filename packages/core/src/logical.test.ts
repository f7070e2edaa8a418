import { describe, expect, it } from 'vitest';
import { assertErrorCode } from './testing.ts';
import { DateLogical, Decimal, TimeLogical, TimestampLogical, isDecimal } from './logical.ts';
import { Schemas } from './schema-builder.ts';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('Decimal', () => {
  it('encodes the unscaled value like BigInteger.toByteArray (minimal two\'s complement)', () => {
    expect(Decimal.parse('1.00').toBytes()).toEqual(bytes(0x64));
    expect(Decimal.of(0).toBytes()).toEqual(bytes(0x00));
    expect(Decimal.of(-1).toBytes()).toEqual(bytes(0xff));
    expect(Decimal.of(127).toBytes()).toEqual(bytes(0x7f));
    expect(Decimal.of(128).toBytes()).toEqual(bytes(0x00, 0x80));
    expect(Decimal.of(-128).toBytes()).toEqual(bytes(0x80));
    expect(Decimal.of(-129).toBytes()).toEqual(bytes(0xff, 0x7f));
    expect(Decimal.of(255).toBytes()).toEqual(bytes(0x00, 0xff));
    expect(Decimal.of(-32768).toBytes()).toEqual(bytes(0x80, 0x00));
    // around 2^47, where the number path hands over to the bigint one
    expect(Decimal.of(2n ** 47n - 1n).toBytes()).toEqual(bytes(0x7f, 0xff, 0xff, 0xff, 0xff, 0xff));
    expect(Decimal.of(2n ** 47n).toBytes()).toEqual(bytes(0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00));
    expect(Decimal.of(-(2n ** 47n)).toBytes()).toEqual(bytes(0x80, 0x00, 0x00, 0x00, 0x00, 0x00));
    expect(Decimal.of(-(2n ** 47n) - 1n).toBytes()).toEqual(bytes(0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff));
    expect(Decimal.of(-(2n ** 40n) + 1n).toBytes()).toEqual(bytes(0xff, 0x00, 0x00, 0x00, 0x00, 0x01));
  });

  it('decodes base64 "AfQ=" at scale 2 as 5.00', () => {
    const d = Decimal.toLogical(Decimal.schema(2), Buffer.from('AfQ=', 'base64'));
    expect(d.unscaled).toBe(500n);
    expect(d.toString()).toBe('5.00');
    expect(Buffer.from(Decimal.fromLogical(Decimal.schema(2), d)).toString('base64')).toBe('AfQ=');
  });

  it('round-trips huge values exactly', () => {
    const big = `1${'0'.repeat(40)}`;
    const d = Decimal.parse(`${big}.5`);
    expect(d.unscaled).toBe(10n ** 41n + 5n);
    const back = Decimal.fromBytes(d.toBytes(), d.scale);
    expect(back.toString()).toBe(`${big}.5`);
    expect(back.equals(d)).toBe(true);
    const negative = Decimal.parse(`-${big}`);
    expect(Decimal.fromBytes(negative.toBytes(), 0).unscaled).toBe(-(10n ** 40n));
  });

  it('parses and formats decimal strings', () => {
    expect(Decimal.parse('-0.05')).toMatchObject({ unscaled: -5n, scale: 2 });
    expect(Decimal.parse('-0.05').toString()).toBe('-0.05');
    expect(Decimal.parse('.5').toString()).toBe('0.5');
    expect(Decimal.parse('12e2')).toMatchObject({ unscaled: 12n, scale: -2 });
    expect(Decimal.parse('12e2').toString()).toBe('1200');
    expect(Decimal.parse('5', 2).toString()).toBe('5.00');
    expect(Decimal.parse('1.50', 1).toString()).toBe('1.5');
    expect(assertErrorCode(() => Decimal.parse('1.55', 1), 'DATA').message).toMatch(/without losing digits/);
    expect(assertErrorCode(() => Decimal.parse('abc'), 'DATA').message).toBe('not a decimal number: string `abc`');
    expect(JSON.stringify({ price: Decimal.parse('9.99') })).toBe('{"price":"9.99"}');
  });

  it('builds the logical schema with version 1 and the scale parameter', () => {
    expect(Decimal.schema(2)).toEqual({
      type: 'BYTES',
      optional: false,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: '2' },
    });
    expect(Decimal.builder(3).optional().build().optional).toBe(true);
  });

  it('refuses a scale that does not match the schema, and foreign schemas', () => {
    expect(assertErrorCode(() => Decimal.fromLogical(Decimal.schema(2), Decimal.parse('1.5')), 'DATA').message).toMatch(/scale 1/);
    expect(assertErrorCode(() => Decimal.toLogical(Schemas.BYTES, bytes(1)), 'DATA').message).toMatch(/expected schema org.apache.kafka.connect.data.Decimal/);
    expect(assertErrorCode(() => Decimal.fromBytes(bytes(), 0), 'DATA').message).toMatch(/must not be empty/);
  });

  it('is recognised across package copies by brand', () => {
    expect(isDecimal(Decimal.of(1))).toBe(true);
    expect(isDecimal({ unscaled: 1n, scale: 0 })).toBe(false);
  });
});

describe('Date, Time, Timestamp', () => {
  it('Date is INT32 days since epoch at UTC midnight', () => {
    const schema = DateLogical.schema();
    expect(schema).toMatchObject({ type: 'INT32', name: 'org.apache.kafka.connect.data.Date', version: 1 });
    expect(DateLogical.fromLogical(schema, new Date('2024-03-01T00:00:00Z'))).toBe(19783);
    expect(DateLogical.toLogical(schema, 19783).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(DateLogical.toLogical(schema, -1).toISOString()).toBe('1969-12-31T00:00:00.000Z');
    expect(assertErrorCode(() => DateLogical.fromLogical(schema, new Date('2024-03-01T10:00:00Z')), 'DATA').message).toMatch(/UTC midnight/);
  });

  it('Time is INT32 ms since midnight on 1970-01-01', () => {
    const schema = TimeLogical.schema();
    expect(schema).toMatchObject({ type: 'INT32', name: 'org.apache.kafka.connect.data.Time', version: 1 });
    expect(TimeLogical.fromLogical(schema, new Date('1970-01-01T13:45:30.250Z'))).toBe(49530250);
    expect(TimeLogical.toLogical(schema, 49530250).toISOString()).toBe('1970-01-01T13:45:30.250Z');
    expect(assertErrorCode(() => TimeLogical.fromLogical(schema, new Date('2020-01-01T00:00:00Z')), 'DATA').message).toMatch(/1970-01-01/);
    expect(assertErrorCode(() => TimeLogical.toLogical(schema, 86_400_000), 'DATA').code).toBe('DATA');
  });

  it('Timestamp is INT64 ms since epoch, as bigint on the wire', () => {
    const schema = TimestampLogical.schema();
    expect(schema).toMatchObject({ type: 'INT64', name: 'org.apache.kafka.connect.data.Timestamp', version: 1 });
    expect(TimestampLogical.fromLogical(schema, new Date('2024-03-01T12:00:00.123Z'))).toBe(1709294400123n);
    expect(TimestampLogical.toLogical(schema, 1709294400123n).toISOString()).toBe('2024-03-01T12:00:00.123Z');
    expect(assertErrorCode(() => TimestampLogical.fromLogical(DateLogical.schema(), new Date()), 'DATA').code).toBe('DATA');
  });
});
