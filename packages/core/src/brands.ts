// Internal: brands shared through the global symbol registry so that values built by one copy
// of @sluice/core are recognised by another.

export const STRUCT_BRAND: unique symbol = Symbol.for('@sluice/core/Struct') as never;
export const DECIMAL_BRAND: unique symbol = Symbol.for('@sluice/core/Decimal') as never;
export const SECRET_BRAND: unique symbol = Symbol.for('@sluice/core/Secret') as never;

export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
