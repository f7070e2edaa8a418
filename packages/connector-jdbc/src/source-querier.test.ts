import { describe, expect, it } from 'vitest';
import { mapNumeric } from './source-querier.ts';

const numeric = (precision: number, scale: number) => ({ kind: 'decimal', precision, scale }) as const;

describe('numeric.mapping (Confluent’s rules for JDBC NUMERIC)', () => {
  it('keeps Decimal with none, and for precisions above 18 unless eager', () => {
    expect(mapNumeric(numeric(5, 0), 'none')).toEqual(numeric(5, 0));
    expect(mapNumeric(numeric(19, 0), 'best_fit')).toEqual(numeric(19, 0));
    expect(mapNumeric(numeric(30, 4), 'best_fit')).toEqual(numeric(30, 4));
    expect(mapNumeric(numeric(30, 4), 'best_fit_eager_double')).toEqual({ kind: 'float64' });
  });

  it('picks the smallest integer for scale 0 by precision', () => {
    expect([2, 3, 4, 5, 9, 10, 18].map((p) => mapNumeric(numeric(p, 0), 'precision_only').kind)).toEqual(['int8', 'int16', 'int16', 'int32', 'int32', 'int64', 'int64']);
    expect(mapNumeric(numeric(10, 2), 'precision_only')).toEqual(numeric(10, 2));
    expect(mapNumeric(numeric(10, 2), 'best_fit')).toEqual({ kind: 'float64' });
    expect(mapNumeric(numeric(10, 0), 'BEST_FIT')).toEqual({ kind: 'int64' });
  });
});
