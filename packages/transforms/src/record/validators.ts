// Config validators the record transforms share.
import { custom } from '@sluice/core';
import type { Validator } from '@sluice/core';

/** Kafka's `NonEmptyListValidator`: a list key must name at least one element. */
export function nonEmptyList(): Validator {
  return custom('non-empty list', (value) => (Array.isArray(value) && value.length === 0 ? 'must list at least one element, got an empty list' : undefined));
}

/**
 * Kafka's `ValidString.in`: the value must be one of `options`, spelt exactly (case matters,
 * unlike core's `oneOf`, which is Kafka's `CaseInsensitiveValidString`).
 */
export function exactlyOneOf<const T extends string>(...options: readonly T[]): Validator {
  const shown = options.map((o) => `\`${o}\``).join(', ');
  return {
    description: `[${options.join(', ')}]`,
    check(value) {
      if (typeof value === 'string' && (options as readonly string[]).includes(value)) return undefined;
      const got = typeof value === 'string' ? `\`${value}\`` : String(value);
      const hint = typeof value === 'string' && options.some((o) => o.toLowerCase() === value.toLowerCase()) ? ' (case matters)' : '';
      return `must be one of ${shown}, got ${got}${hint}`;
    },
  };
}
