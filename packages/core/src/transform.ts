import type { ConfigOf, ConfigSpec } from './config/spec.ts';
import { checkComponent } from './define-checks.ts';
import type { ConnectRecord } from './records.ts';

/**
 * A single message transform (SMT). The runtime calls `configure` once, then `apply` for each
 * record, one record at a time (never concurrently), then `close`. `apply` is synchronous: it
 * runs on the hot path.
 *
 * @since 0.1.0
 */
export interface Transformation<C = unknown, R extends ConnectRecord = ConnectRecord> {
  configure(config: C): void;
  /** The transformed record (build it with `newRecord`), or `null` to drop it. */
  apply(record: R): R | null;
  close?(): void;
}

/**
 * A predicate that decides whether a transform applies to a record (`predicate`/`negate`).
 * Same lifecycle as {@link Transformation}.
 *
 * @since 0.1.0
 */
export interface Predicate<C = unknown, R extends ConnectRecord = ConnectRecord> {
  configure(config: C): void;
  test(record: R): boolean;
  close?(): void;
}

interface ComponentInit<S extends ConfigSpec, T> {
  /** The name used in configs (`transforms.x.type`), e.g. `InsertField$Value`. */
  readonly name: string;
  readonly version?: string;
  readonly doc?: string;
  readonly config: S;
  create(): T;
}

/** What {@link defineTransform} takes. @since 0.1.0 */
export type TransformInit<S extends ConfigSpec = ConfigSpec> = ComponentInit<S, Transformation<ConfigOf<S>>>;
/** A transform definition. @since 0.1.0 */
export type TransformDefinition<S extends ConfigSpec = ConfigSpec> = TransformInit<S> & { readonly kind: 'transform' };

/** What {@link definePredicate} takes. @since 0.1.0 */
export type PredicateInit<S extends ConfigSpec = ConfigSpec> = ComponentInit<S, Predicate<ConfigOf<S>>>;
/** A predicate definition. @since 0.1.0 */
export type PredicateDefinition<S extends ConfigSpec = ConfigSpec> = PredicateInit<S> & { readonly kind: 'predicate' };


/**
 * Defines a transform; returns the checked definition, frozen, with `kind: 'transform'`.
 *
 * @since 0.1.0
 */
export function defineTransform<S extends ConfigSpec>(init: TransformInit<S>): TransformDefinition<S> {
  checkComponent('defineTransform', init);
  return Object.freeze({ ...init, kind: 'transform' });
}

/**
 * Defines a predicate; returns the checked definition, frozen, with `kind: 'predicate'`.
 *
 * @since 0.1.0
 */
export function definePredicate<S extends ConfigSpec>(init: PredicateInit<S>): PredicateDefinition<S> {
  checkComponent('definePredicate', init);
  return Object.freeze({ ...init, kind: 'predicate' });
}
