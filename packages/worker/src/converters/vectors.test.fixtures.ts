// Test fixtures (not shipped: dist excludes *.test.*): the vectors Apache Kafka printed
// (json-vectors.json, from stack/connect-json/Vectors.java) and the schemas and values of
// Vectors.java built again in TypeScript, under the same names.
import { readFileSync } from 'node:fs';
import { DateLogical, Decimal, SchemaBuilder, Schemas, Struct, TimeLogical, TimestampLogical, type Schema } from '@sluice/core';

export interface VectorCase {
  readonly schema: Schema | undefined;
  readonly value: unknown;
}

const DAY = 86_400_000;
const cases = new Map<string, VectorCase>();

function add(name: string, schema: Schema | undefined, value: unknown): void {
  cases.set(name, { schema, value });
}

const f32 = Math.fround;

add('int8', Schemas.INT8, -128);
add('int16', Schemas.INT16, 32767);
add('int32', Schemas.INT32, -2147483648);
add('int64-max', Schemas.INT64, 9223372036854775807n);
add('int64-min', Schemas.INT64, -9223372036854775808n);
add('float32-0.1', Schemas.FLOAT32, f32(0.1));
add('float32-1e10', Schemas.FLOAT32, f32(1e10));
add('float32-neg-zero', Schemas.FLOAT32, -0);
add('float32-third', Schemas.FLOAT32, f32(f32(1) / f32(3)));
add('float32-max', Schemas.FLOAT32, f32(3.4028234663852886e38));
add('float32-min', Schemas.FLOAT32, f32(1.401298464324817e-45));
add('float32-1e-3', Schemas.FLOAT32, f32(0.001));
add('float32-1e7', Schemas.FLOAT32, f32(1e7));
add('float32-nan', Schemas.FLOAT32, NaN);
add('float64-1.5', Schemas.FLOAT64, 1.5);
add('float64-100', Schemas.FLOAT64, 100);
add('float64-1e10', Schemas.FLOAT64, 1e10);
add('float64-neg-zero', Schemas.FLOAT64, -0);
add('float64-sum', Schemas.FLOAT64, 0.1 + 0.2);
add('float64-1e-7', Schemas.FLOAT64, 1e-7);
add('float64-1e-3', Schemas.FLOAT64, 0.001);
add('float64-9999999', Schemas.FLOAT64, 9999999);
add('float64-1e7', Schemas.FLOAT64, 1e7);
add('float64-1e21', Schemas.FLOAT64, 1e21);
add('float64-123456789', Schemas.FLOAT64, 123456789);
add('float64-min', Schemas.FLOAT64, Number.MIN_VALUE);
add('float64-max', Schemas.FLOAT64, Number.MAX_VALUE);
add('float64-2e23', Schemas.FLOAT64, 2e23);
add('float64-nan', Schemas.FLOAT64, NaN);
add('float64-inf', Schemas.FLOAT64, Infinity);
add('float64-neg-inf', Schemas.FLOAT64, -Infinity);
add('boolean', Schemas.BOOLEAN, true);
add('string-unicode', Schemas.STRING, 'h\u00e9llo "w\u00f6rld" \\ / \n\t\r\b\f\u0001\u001f\u007f \u65e5\u672c \u{1f600} \u2028');
add('string-empty', Schemas.STRING, '');
add('bytes-empty', Schemas.BYTES, new Uint8Array(0));
add('bytes', Schemas.BYTES, new Uint8Array([0, 1, 2, 0xfe, 0xff, 0x7f, 0x80]));
add('optional-string-null', Schemas.OPTIONAL_STRING, null);
add('optional-int64-null', Schemas.OPTIONAL_INT64, null);
add('tombstone', undefined, null);
add(
  'int64-named',
  SchemaBuilder.int64().name('com.acme.Id').version(3).doc('An "id"').parameter('z', '1').parameter('a', '2').parameter('m', '\u00e9').build(),
  42n,
);
add('string-default-null', SchemaBuilder.string().optional().defaultValue('dflt').build(), null);
add('int32-default-set', SchemaBuilder.int32().defaultValue(7).build(), 8);
add('float32-default', SchemaBuilder.float32().optional().defaultValue(f32(0.1)).build(), null);
add('bytes-default', SchemaBuilder.bytes().optional().defaultValue(new Uint8Array([1, 2, 3])).build(), null);
add('array-default', SchemaBuilder.array(Schemas.INT32).optional().defaultValue([1, 2]).build(), null);

add('decimal-12.30', Decimal.schema(2), Decimal.of(1230, 2));
add('decimal-neg', Decimal.schema(2), Decimal.of(-105, 2));
add('decimal-zero', Decimal.schema(0), Decimal.of(0, 0));
add('decimal-neg-128', Decimal.schema(0), Decimal.of(-128, 0));
add('decimal-128', Decimal.schema(0), Decimal.of(128, 0));
add('decimal-neg-scale', Decimal.schema(-2), Decimal.of(12345, -2));
add('decimal-small', Decimal.schema(10), Decimal.of(1234, 10));
add('decimal-small-neg', Decimal.schema(9), Decimal.of(-5, 9));
add('decimal-big', Decimal.schema(4), Decimal.of(123456789012345678901234567890n, 4));
add('decimal-optional-null', Decimal.builder(2).optional().build(), null);
add('decimal-default', Decimal.builder(1).optional().defaultValue(Decimal.of(15, 1)).build(), null);
const amountStruct = SchemaBuilder.struct().field('amount', Decimal.schema(3)).build();
add('decimal-in-struct', amountStruct, new Struct(amountStruct).put('amount', Decimal.of(-1, 3)));

add('date', DateLogical.schema(), new Date(19_000 * DAY));
add('date-before-epoch', DateLogical.schema(), new Date(-3 * DAY));
add('time', TimeLogical.schema(), new Date(45_296_789));
add('timestamp', TimestampLogical.schema(), new Date(1_700_000_000_123));
add('timestamp-negative', TimestampLogical.schema(), new Date(-1));
add('date-optional', DateLogical.builder().optional().build(), null);

add('array-int32', SchemaBuilder.array(Schemas.INT32).build(), [1, -2, 3]);
add('array-empty', SchemaBuilder.array(Schemas.STRING).build(), []);
add('array-optional-strings', SchemaBuilder.array(Schemas.OPTIONAL_STRING).build(), ['a', null, 'c']);
add('array-of-arrays', SchemaBuilder.array(SchemaBuilder.array(Schemas.FLOAT64).build()).build(), [[1, 2.5], []]);
add('map-string-int64', SchemaBuilder.map(Schemas.STRING, Schemas.INT64).build(), new Map([['b', 2n], ['a', 1n], ['\u00e9', -1n]]));
add('map-int32-string', SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build(), new Map([[2, 'two'], [-1, 'minus one']]));
add('map-empty-int-keys', SchemaBuilder.map(Schemas.INT8, Schemas.STRING).build(), new Map());
add('map-empty', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build(), new Map());
const point = SchemaBuilder.struct().name('Point').field('x', Schemas.INT32).field('y', Schemas.INT32).build();
add(
  'map-struct-keys',
  SchemaBuilder.map(point, Schemas.OPTIONAL_STRING).optional().build(),
  new Map([
    [new Struct(point).put('x', 1).put('y', 2), 'p'],
    [new Struct(point).put('x', 3).put('y', 4), null],
  ]),
);
add('map-string-array', SchemaBuilder.map(Schemas.STRING, SchemaBuilder.array(Schemas.BOOLEAN).build()).build(), new Map([['flags', [true, false]]]));

const address = SchemaBuilder.struct()
  .name('com.acme.Address')
  .version(2)
  .doc('Where')
  .field('street', Schemas.STRING)
  .field('zip', SchemaBuilder.string().optional().defaultValue('00000').build())
  .optional()
  .build();
const user = SchemaBuilder.struct()
  .name('com.acme.User')
  .version(1)
  .field('id', Schemas.INT64)
  .field('name', Schemas.STRING)
  .field('score', Schemas.FLOAT32)
  .field('ratio', Schemas.OPTIONAL_FLOAT64)
  .field('active', Schemas.BOOLEAN)
  .field('small', Schemas.INT8)
  .field('medium', Schemas.INT16)
  .field('count', SchemaBuilder.int32().defaultValue(0).build())
  .field('avatar', Schemas.OPTIONAL_BYTES)
  .field('amount', Decimal.builder(2).optional().build())
  .field('born', DateLogical.builder().optional().build())
  .field('wake', TimeLogical.builder().optional().build())
  .field('created', TimestampLogical.schema())
  .field('tags', SchemaBuilder.array(Schemas.STRING).build())
  .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_STRING).build())
  .field('home', address)
  .field('work', address)
  .field('others', SchemaBuilder.array(address).optional().build())
  .build();
add(
  'struct-nested',
  user,
  new Struct(user)
    .put('id', 42n)
    .put('name', 'Ada')
    .put('score', f32(0.1))
    .put('ratio', null)
    .put('active', true)
    .put('small', 1)
    .put('medium', -300)
    .put('avatar', new Uint8Array([9, 8]))
    .put('amount', Decimal.of(500, 2))
    .put('born', new Date(DAY * 365))
    .put('wake', new Date(3_600_000))
    .put('created', new Date(1_700_000_000_000))
    .put('tags', ['x', 'y'])
    .put('attrs', new Map([['k', 'v'], ['n', null]]))
    .put('home', new Struct(address).put('street', '1 Main St'))
    .put('work', null)
    .put('others', [new Struct(address).put('street', '2 Side St').put('zip', '12345')]),
);
const empty = SchemaBuilder.struct().build();
add('struct-empty', empty, new Struct(empty));

add('schemaless-int64', undefined, 5n);
add('schemaless-string', undefined, 'plain');
add('schemaless-double', undefined, 2.5);
add('schemaless-boolean', undefined, false);
add('schemaless-map', undefined, new Map<string, unknown>([['a', 1n], ['b', [true, 'x', null]], ['c', new Map([['d', 'e']])]]));
add('schemaless-array', undefined, [1n, 'two', 3.5]);
add('schemaless-map-int-keys', undefined, new Map([[1n, 'one'], [2n, 'two']]));
add('schemaless-bytes', undefined, new Uint8Array([1, 2]));

export const vectorCases: ReadonlyMap<string, VectorCase> = cases;

export interface JsonVector {
  readonly kind: 'json';
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  readonly hex?: string | null;
  readonly error?: string;
}

export type Vector =
  | JsonVector
  | { readonly kind: 'header-write'; readonly name: string; readonly text?: string | null; readonly error?: string }
  | {
      readonly kind: 'header-read';
      readonly input: string;
      readonly envelope?: string | null;
      readonly result?: null;
      readonly schemaType?: string;
      readonly valueText?: string;
      readonly error?: string;
    };

export const vectors = JSON.parse(readFileSync(new URL('./json-vectors.json', import.meta.url), 'utf8')) as Vector[];
