// org.apache.kafka.connect.converters.{Short,Integer,Long,Float,Double,Boolean}Converter: the
// fixed-width big-endian layouts of Kafka's serializers (Boolean: one byte, 0 or 1).
import {
  Schemas,
  dataError,
  defineConfig,
  defineConverter,
  defineHeaderConverter,
  type Converter,
  type ConverterDefinition,
  type HeaderConverter,
  type HeaderConverterDefinition,
  type Headers,
  type Schema,
  type SchemaAndValue,
} from '@sluice/core';

interface Layout {
  readonly name: string;
  readonly typeName: string;
  readonly size: number;
  readonly schema: Schema;
  write(view: DataView, value: unknown): void;
  read(view: DataView): unknown;
}

function intLayout(name: string, typeName: string, size: 2 | 4, schema: Schema): Layout {
  const [min, max] = size === 2 ? [-32768, 32767] : [-2147483648, 2147483647];
  return {
    name,
    typeName,
    size,
    schema,
    write(view, value) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new TypeError(`not a ${typeName}`);
      if (size === 2) view.setInt16(0, value);
      else view.setInt32(0, value);
    },
    read: (view) => (size === 2 ? view.getInt16(0) : view.getInt32(0)),
  };
}

const LAYOUTS: readonly Layout[] = [
  intLayout('ShortConverter', 'Short', 2, Schemas.OPTIONAL_INT16),
  intLayout('IntegerConverter', 'Integer', 4, Schemas.OPTIONAL_INT32),
  {
    name: 'LongConverter',
    typeName: 'Long',
    size: 8,
    schema: Schemas.OPTIONAL_INT64,
    write(view, value) {
      const n = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
      if (typeof n !== 'bigint' || BigInt.asIntN(64, n) !== n) throw new TypeError('not a Long');
      view.setBigInt64(0, n);
    },
    read: (view) => view.getBigInt64(0),
  },
  {
    name: 'FloatConverter',
    typeName: 'Float',
    size: 4,
    schema: Schemas.OPTIONAL_FLOAT32,
    write(view, value) {
      if (typeof value !== 'number') throw new TypeError('not a Float');
      view.setFloat32(0, value);
    },
    read: (view) => view.getFloat32(0),
  },
  {
    name: 'DoubleConverter',
    typeName: 'Double',
    size: 8,
    schema: Schemas.OPTIONAL_FLOAT64,
    write(view, value) {
      if (typeof value !== 'number') throw new TypeError('not a Double');
      view.setFloat64(0, value);
    },
    read: (view) => view.getFloat64(0),
  },
  {
    name: 'BooleanConverter',
    typeName: 'Boolean',
    size: 1,
    schema: Schemas.OPTIONAL_BOOLEAN,
    write(view, value) {
      if (typeof value !== 'boolean') throw new TypeError('not a Boolean');
      view.setUint8(0, value ? 1 : 0);
    },
    read(view) {
      const b = view.getUint8(0);
      if (b > 1) throw new TypeError(`unexpected byte ${b} (a Boolean is 0 or 1)`);
      return b === 1;
    },
  },
];

/** One fixed-width number (or boolean) converter; also a header converter. */
export class NumberConverter implements Converter, HeaderConverter {
  readonly #layout: Layout;

  constructor(layout: Layout) {
    this.#layout = layout;
  }

  configure(): void {}

  fromConnectData(_topic: string, _headers: Headers | undefined, _schema: Schema | undefined, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null;
    const out = new Uint8Array(this.#layout.size);
    try {
      this.#layout.write(new DataView(out.buffer), value);
    } catch (error) {
      throw dataError(`${this.#layout.name} cannot write a ${typeof value}: ${(error as Error).message}`, { cause: error });
    }
    return out;
  }

  toConnectData(_topic: string, _headers: Headers | undefined, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return { schema: this.#layout.schema, value: null };
    if (bytes.length !== this.#layout.size) {
      throw dataError(`${this.#layout.name} expects ${this.#layout.size} byte${this.#layout.size === 1 ? '' : 's'} for a ${this.#layout.typeName}, got ${bytes.length}`);
    }
    try {
      return { schema: this.#layout.schema, value: this.#layout.read(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)) };
    } catch (error) {
      throw dataError(`${this.#layout.name} cannot read the bytes: ${(error as Error).message}`, { cause: error });
    }
  }

  fromConnectHeader(topic: string, _key: string, schema: Schema | undefined, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, undefined, schema, value);
  }

  toConnectHeader(topic: string, _key: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, undefined, bytes);
  }
}

const noConfig = defineConfig({});

/** The converter definitions, one per layout, by name. */
export const numberConverters: readonly ConverterDefinition[] = LAYOUTS.map((layout) =>
  defineConverter({ name: layout.name, config: noConfig, create: () => new NumberConverter(layout) }),
);
export const numberHeaderConverters: readonly HeaderConverterDefinition[] = LAYOUTS.map((layout) =>
  defineHeaderConverter({ name: layout.name, config: noConfig, create: () => new NumberConverter(layout) }),
);
export const NUMBER_CONVERTER_NAMES: readonly string[] = LAYOUTS.map((l) => l.name);
