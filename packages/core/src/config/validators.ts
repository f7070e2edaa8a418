import { quote } from '../describe.ts';

/**
 * Checks one parsed, non-null config value (a secret's plain value: validators see the real
 * text, and the spec strips it from the reason before reporting). `check` returns the reason it is invalid
 * (e.g. ``must be at least 1, got `0` ``), or `undefined` when it is valid; the spec prefixes
 * the key. `description` is the "valid values" column of the generated docs.
 *
 * @since 0.1.0
 */
export interface Validator {
  readonly description: string;
  check(value: unknown): string | undefined;
}

function numeric(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/**
 * The value (a number) must be at least `min`.
 *
 * @since 0.1.0
 */
export function atLeast(min: number): Validator {
  return {
    description: `[${min},...]`,
    check(value) {
      const n = numeric(value);
      if (n === undefined) return `must be a number, got ${quote(value)}`;
      return n < min ? `must be at least ${min}, got ${quote(n)}` : undefined;
    },
  };
}

/**
 * The value (a number) must be within `[min, max]`.
 *
 * @since 0.1.0
 */
export function between(min: number, max: number): Validator {
  return {
    description: `[${min},...,${max}]`,
    check(value) {
      const n = numeric(value);
      if (n === undefined) return `must be a number, got ${quote(value)}`;
      return n < min || n > max ? `must be between ${min} and ${max}, got ${quote(n)}` : undefined;
    },
  };
}

/**
 * The value must be one of `options`, compared case-insensitively (Kafka's
 * `CaseInsensitiveValidString`). For a list, every element must be one of them.
 *
 * @since 0.1.0
 */
export function oneOf(...options: readonly string[]): Validator {
  const allowed = new Set(options.map((o) => o.toLowerCase()));
  const shown = options.map((o) => `\`${o}\``).join(', ');
  const one = (v: unknown): string | undefined =>
    typeof v === 'string' && allowed.has(v.toLowerCase()) ? undefined : `must be one of ${shown}, got ${quote(v)}`;
  return { description: `[${options.join(', ')}]`, check: eachElement(one) };
}

/**
 * The value must be a string with at least one non-whitespace character; for a list, every
 * element.
 *
 * @since 0.1.0
 */
export function nonEmptyString(): Validator {
  const one = (v: unknown): string | undefined =>
    typeof v === 'string' && v.trim() !== '' ? undefined : `must be a non-empty string, got ${quote(v)}`;
  return { description: 'non-empty string', check: eachElement(one) };
}

/**
 * A validator from a function that returns the reason the value is invalid, or nothing.
 *
 * @param description the "valid values" text of the docs
 * @since 0.1.0
 */
export function custom(description: string, check: (value: unknown) => string | undefined | void): Validator {
  return {
    description,
    check(value) {
      const reason = check(value);
      return typeof reason === 'string' ? reason : undefined;
    },
  };
}

/** Applies a check of one value to a value or, for a list, to each element; the first failure wins. */
function eachElement(one: (v: unknown) => string | undefined): (value: unknown) => string | undefined {
  return (value) => {
    if (!Array.isArray(value)) return one(value);
    for (const v of value) {
      const reason = one(v);
      if (reason !== undefined) return reason;
    }
    return undefined;
  };
}
