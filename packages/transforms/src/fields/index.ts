import { combine } from '../variant.ts';
import { cast } from './cast.ts';

/** Cast, ExtractField, Flatten, HoistField, InsertField, MaskField, ReplaceField, SetSchemaMetadata, ValueToKey. */
export const fieldTransforms = combine([cast]);
