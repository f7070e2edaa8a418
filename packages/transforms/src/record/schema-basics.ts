// Schema and record helpers shared by the record transforms.
import { SchemaBuilder, newRecord } from '@sluice/core';
import type { ConnectRecord, Headers, Schema } from '@sluice/core';
import type { SideAccess } from '../variant.ts';

/**
 * A STRUCT builder carrying the name, version, doc and parameters of `schema` (Kafka's
 * `SchemaUtil.copySchemaBasics`); optionality and default are left to the caller.
 */
export function structLike(schema: Schema): SchemaBuilder {
  const builder = SchemaBuilder.struct();
  if (schema.name !== undefined) builder.name(schema.name);
  if (schema.version !== undefined) builder.version(schema.version);
  if (schema.doc !== undefined) builder.doc(schema.doc);
  if (schema.parameters !== undefined) builder.parameters(schema.parameters);
  return builder;
}

/** A copy of `record` with one side's schema and value and the headers replaced. */
export function updateWithHeaders<R extends ConnectRecord>(record: R, side: SideAccess, headers: Headers, schema: Schema | undefined, value: unknown): R {
  return newRecord(
    record,
    side.side === 'key' ? { headers, keySchema: schema, key: value } : { headers, valueSchema: schema, value },
  );
}
