import { combine } from '../variant.ts';

/** Cast, ExtractField, Flatten, HoistField, InsertField, MaskField, ReplaceField, SetSchemaMetadata, ValueToKey. */
export const fieldTransforms = combine([]);
