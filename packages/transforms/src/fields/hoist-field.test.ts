import { describe, expect, it } from 'vitest';
import type { Struct} from '@sluice/core';
import { SchemaBuilder, Schemas, assertErrorCode, sinkRecord } from '@sluice/core';
import { hoistField } from './hoist-field.ts';
import { configured, structEquality } from './testing.ts';

expect.addEqualityTesters([structEquality]);

describe('HoistField', () => {
  it('wraps a schemaless key in a map', () => {
    const record = sinkRecord({ topic: 'test', kafkaPartition: 0, kafkaOffset: 0n, key: 42, value: null });
    const out = configured(hoistField, 'HoistField$Key', { field: 'magic' }).apply(record);
    expect(out?.keySchema).toBeUndefined();
    expect(out?.key).toEqual(new Map([['magic', 42]]));
  });

  it('wraps a key with a schema in a Struct whose one field has that schema', () => {
    const record = sinkRecord({ topic: 'test', kafkaPartition: 0, kafkaOffset: 0n, keySchema: Schemas.INT32, key: 42, value: null });
    const out = configured(hoistField, 'HoistField$Key', { field: 'magic' }).apply(record);
    expect(out?.keySchema).toEqual(SchemaBuilder.struct().field('magic', Schemas.INT32).build());
    expect((out?.key as Struct).get('magic')).toBe(42);
  });

  it('wraps the value with HoistField$Value, keeping the output schema per input schema', () => {
    const transform = configured(hoistField, 'HoistField$Value', { field: 'line' });
    const record = (value: string) => sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, key: 'k', valueSchema: Schemas.STRING, value });
    const first = transform.apply(record('a'));
    const second = transform.apply(record('b'));
    expect((second?.value as Struct).get('line')).toBe('b');
    expect(second?.valueSchema).toBe(first?.valueSchema);
    expect(second?.key).toBe('k');
  });

  it('wraps null too, as Kafka does', () => {
    const record = sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, key: null, value: null });
    expect(configured(hoistField, 'HoistField$Value', { field: 'f' }).apply(record)?.value).toEqual(new Map([['f', null]]));
    const optional = sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, key: null, valueSchema: Schemas.OPTIONAL_STRING, value: null });
    expect((configured(hoistField, 'HoistField$Value', { field: 'f' }).apply(optional)?.value as Struct).get('f')).toBeNull();
  });

  it('requires field', () => {
    expect(assertErrorCode(() => configured(hoistField, 'HoistField$Value', {}), 'CONFIG').message).toContain('`field`');
  });
});
