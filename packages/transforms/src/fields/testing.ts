// Test support: a transform definition configured from raw config, as the runtime would do it.
import { isStruct } from '@sluice/core';
import type { RawConfig, TransformDefinition, Transformation } from '@sluice/core';
import type { TransformFamily } from '../variant.ts';

/** The definition called `name` in a family, e.g. `Cast$Value`. */
export function definition(family: TransformFamily, name: string): TransformDefinition {
  const found = family.transforms.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no transform ${name} in the family`);
  return found;
}

/** A new instance of the definition, configured with `raw` after the spec parsed and validated it. */
export function configured(family: TransformFamily, name: string, raw: RawConfig): Transformation {
  const def = definition(family, name);
  const transform = def.create();
  transform.configure(def.config.parse(raw));
  return transform;
}

/**
 * An equality tester for `expect.addEqualityTesters`: a Struct keeps its values in private
 * fields, which `toEqual` cannot see, so Structs are compared with `Struct.equals`.
 */
export function structEquality(a: unknown, b: unknown): boolean | undefined {
  if (!isStruct(a) && !isStruct(b)) return undefined;
  return isStruct(a) && isStruct(b) && a.equals(b);
}
