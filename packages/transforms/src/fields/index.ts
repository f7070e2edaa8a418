import { combine } from '../variant.ts';
import { cast } from './cast.ts';
import { extractField } from './extract-field.ts';
import { flatten } from './flatten.ts';
import { hoistField } from './hoist-field.ts';

/** Cast, ExtractField, Flatten, HoistField, InsertField, MaskField, ReplaceField, SetSchemaMetadata, ValueToKey. */
export const fieldTransforms = combine([cast, extractField, flatten, hoistField]);
