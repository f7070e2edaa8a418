import type { ConfigOf, ConfigSpec } from './config/spec.ts';
import type { Headers } from './headers.ts';
import type { Schema } from './schema.ts';
import { checkComponent } from './define-checks.ts';

/** A value with its schema (`undefined` for schemaless data). @since 0.1.0 */
export interface SchemaAndValue {
  readonly schema?: Schema | undefined;
  readonly value: unknown;
}

/**
 * Converts record keys or values between Connect data and bytes (e.g. JsonConverter). The
 * runtime calls `configure` once, then the conversions, synchronously and one at a time per
 * instance. Throw a `DATA` error for input that cannot be converted; the runtime routes the
 * record by `errors.tolerance`.
 *
 * @since 0.1.0
 */
export interface Converter<C = unknown> {
  configure(config: C, isKey: boolean): void;
  /** Connect data → bytes; `null` for a null value (a tombstone). */
  fromConnectData(topic: string, headers: Headers, schema: Schema | undefined, value: unknown): Uint8Array | null;
  /** Bytes → Connect data; `bytes` is `null` for a tombstone. */
  toConnectData(topic: string, headers: Headers, bytes: Uint8Array | null): SchemaAndValue;
  close?(): void;
}

/**
 * Converts header values between Connect data and bytes (e.g. SimpleHeaderConverter).
 *
 * @since 0.1.0
 */
export interface HeaderConverter<C = unknown> {
  configure(config: C): void;
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | undefined, value: unknown): Uint8Array | null;
  toConnectHeader(topic: string, headerKey: string, bytes: Uint8Array | null): SchemaAndValue;
  close?(): void;
}

interface ConverterInitBase<S extends ConfigSpec, T> {
  /** The name used in `key.converter` / `value.converter` / `header.converter`. */
  readonly name: string;
  readonly version?: string;
  readonly doc?: string;
  readonly config: S;
  create(): T;
}

/** What {@link defineConverter} takes. @since 0.1.0 */
export type ConverterInit<S extends ConfigSpec = ConfigSpec> = ConverterInitBase<S, Converter<ConfigOf<S>>>;
/** A converter definition. @since 0.1.0 */
export type ConverterDefinition<S extends ConfigSpec = ConfigSpec> = ConverterInit<S> & { readonly kind: 'converter' };

/** What {@link defineHeaderConverter} takes. @since 0.1.0 */
export type HeaderConverterInit<S extends ConfigSpec = ConfigSpec> = ConverterInitBase<S, HeaderConverter<ConfigOf<S>>>;
/** A header converter definition. @since 0.1.0 */
export type HeaderConverterDefinition<S extends ConfigSpec = ConfigSpec> = HeaderConverterInit<S> & {
  readonly kind: 'header-converter';
};

/**
 * Defines a converter; returns the checked definition, frozen, with `kind: 'converter'`.
 *
 * @since 0.1.0
 */
export function defineConverter<S extends ConfigSpec>(init: ConverterInit<S>): ConverterDefinition<S> {
  checkComponent('defineConverter', init);
  return Object.freeze({ ...init, kind: 'converter' });
}

/**
 * Defines a header converter; returns it frozen with `kind: 'header-converter'`. A class that is
 * both (like JsonConverter) is defined twice under the same name.
 *
 * @since 0.1.0
 */
export function defineHeaderConverter<S extends ConfigSpec>(init: HeaderConverterInit<S>): HeaderConverterDefinition<S> {
  checkComponent('defineHeaderConverter', init);
  return Object.freeze({ ...init, kind: 'header-converter' });
}
