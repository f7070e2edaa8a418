import { defineTransform, newRecord } from '@sluice/core';
import type { ConfigOf, ConfigSpec, ConnectRecord, Schema, TransformDefinition, Transformation } from '@sluice/core';

/** The package of Apache Kafka's transforms, whose class names Sluice also answers to. */
export const JAVA_PACKAGE = 'org.apache.kafka.connect.transforms';

/** Which part of a record a `$Key`/`$Value` transform works on. */
export type Side = 'key' | 'value';

/** Reads and replaces one side of a record, so a transform is written once for both. */
export interface SideAccess {
  readonly side: Side;
  schema(record: ConnectRecord): Schema | undefined;
  value(record: ConnectRecord): unknown;
  /** A copy of `record` with this side's schema and value replaced. */
  update<R extends ConnectRecord>(record: R, schema: Schema | undefined, value: unknown): R;
}

export const SIDES: Readonly<Record<Side, SideAccess>> = Object.freeze({
  key: {
    side: 'key',
    schema: (record) => record.keySchema,
    value: (record) => record.key,
    update: (record, schema, value) => newRecord(record, { keySchema: schema, key: value }),
  },
  value: {
    side: 'value',
    schema: (record) => record.valueSchema,
    value: (record) => record.value,
    update: (record, schema, value) => newRecord(record, { valueSchema: schema, value }),
  },
});

/** A family of transforms and the Java class names that map to them. */
export interface TransformFamily {
  readonly transforms: readonly TransformDefinition[];
  readonly aliases: Readonly<Record<string, string>>;
}

interface VariantInit<S extends ConfigSpec> {
  /** The simple name of the Java class, e.g. `Cast`. */
  readonly name: string;
  readonly doc: string;
  readonly config: S;
  create(side: SideAccess): Transformation<ConfigOf<S>>;
}

/**
 * Defines the `$Key` and `$Value` variants of a transform (`Cast$Key`, `Cast$Value`), each also
 * answering to its Java class name (`org.apache.kafka.connect.transforms.Cast$Key`).
 */
export function keyValueTransform<S extends ConfigSpec>(init: VariantInit<S>): TransformFamily {
  const transforms = (['key', 'value'] as const).map((side) =>
    defineTransform({
      name: `${init.name}$${side === 'key' ? 'Key' : 'Value'}`,
      doc: `${init.doc} (on the record ${side})`,
      config: init.config,
      create: () => init.create(SIDES[side]),
    }),
  );
  return { transforms, aliases: javaAliases(transforms) };
}

/** Defines a transform without variants, also answering to its Java class name. */
export function singleTransform<S extends ConfigSpec>(init: { readonly name: string; readonly doc: string; readonly config: S; create(): Transformation<ConfigOf<S>> }): TransformFamily {
  const transform = defineTransform(init);
  return { transforms: [transform], aliases: javaAliases([transform]) };
}

/** `org.apache.kafka.connect.transforms.<name>` → `<name>`, for each definition. */
export function javaAliases(definitions: readonly { readonly name: string }[], javaPackage = JAVA_PACKAGE): Record<string, string> {
  return Object.fromEntries(definitions.map((d) => [`${javaPackage}.${d.name}`, d.name]));
}

/** Joins families into the lists a plugin takes. */
export function combine(families: readonly TransformFamily[]): TransformFamily {
  return {
    transforms: families.flatMap((f) => f.transforms),
    aliases: Object.assign({}, ...families.map((f) => f.aliases)) as Record<string, string>,
  };
}
