import { combine } from '../variant.ts';

/** DropHeaders, Filter, HeaderFrom, InsertHeader, RegexRouter, TimestampConverter, TimestampRouter. */
export const recordTransforms = combine([]);
