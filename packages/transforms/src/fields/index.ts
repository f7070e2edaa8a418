import { combine } from '../variant.ts';
import { cast } from './cast.ts';
import { extractField } from './extract-field.ts';
import { flatten } from './flatten.ts';
import { hoistField } from './hoist-field.ts';
import { insertField } from './insert-field.ts';
import { maskField } from './mask-field.ts';
import { replaceField } from './replace-field.ts';
import { setSchemaMetadata } from './set-schema-metadata.ts';
import { valueToKey } from './value-to-key.ts';

/** Cast, ExtractField, Flatten, HoistField, InsertField, MaskField, ReplaceField, SetSchemaMetadata, ValueToKey. */
export const fieldTransforms = combine([cast, extractField, flatten, hoistField, insertField, maskField, replaceField, setSchemaMetadata, valueToKey]);
