// Internal: checks shared by the define* constructors. A bad definition is a CONFIG error that
// names the constructor, the component and the field at fault.
import { SluiceError } from './errors.ts';

export function definitionError(fn: string, name: unknown, field: string, reason: string): SluiceError {
  const label = typeof name === 'string' && name !== '' ? `${fn}(\`${name}\`)` : fn;
  return new SluiceError('CONFIG', `${label}: \`${field}\` ${reason}`, {
    context: { definition: typeof name === 'string' ? name : undefined, field },
  });
}

export function requireObject(fn: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw definitionError(fn, undefined, 'definition', 'must be an object');
  return value as Record<string, unknown>;
}

export function requireName(fn: string, def: Record<string, unknown>, field = 'name'): string {
  const name = def[field];
  if (typeof name !== 'string' || name.trim() === '' || /\s/.test(name)) {
    throw definitionError(fn, undefined, field, 'is missing: give a non-empty string without whitespace');
  }
  return name;
}

export function requireFunction(fn: string, name: string, owner: Record<string, unknown>, field: string, label = field): void {
  if (typeof owner[field] !== 'function') throw definitionError(fn, name, label, 'must be a function');
}

export function optionalFunction(fn: string, name: string, owner: Record<string, unknown>, field: string): void {
  if (owner[field] !== undefined && typeof owner[field] !== 'function') {
    throw definitionError(fn, name, field, 'must be a function when given');
  }
}

export function optionalString(fn: string, name: string, owner: Record<string, unknown>, field: string): void {
  if (owner[field] !== undefined && typeof owner[field] !== 'string') throw definitionError(fn, name, field, 'must be a string when given');
}

/** A config spec from any copy of @sluice/core: checked by shape, not class identity. */
export function requireSpec(fn: string, name: string, owner: Record<string, unknown>, field: string, optional = false): void {
  const spec = owner[field];
  if (optional && spec === undefined) return;
  const ok =
    typeof spec === 'object' &&
    spec !== null &&
    typeof (spec as { parse?: unknown }).parse === 'function' &&
    typeof (spec as { configInfos?: unknown }).configInfos === 'function';
  if (!ok) throw definitionError(fn, name, field, 'must be a config spec made with defineConfig');
}

/** Checks a name + config + create definition; shared by the component constructors. */
export function checkComponent(fn: string, init: unknown): void {
  const def = requireObject(fn, init);
  const name = requireName(fn, def);
  optionalString(fn, name, def, 'version');
  optionalString(fn, name, def, 'doc');
  requireSpec(fn, name, def, 'config');
  requireFunction(fn, name, def, 'create');
}
