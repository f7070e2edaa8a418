// Internal helpers that render values inside error messages. Not exported from the package.

const MAX_SHOWN = 60;

function clip(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** Renders a value for a message: its kind, then the value itself in backticks where short. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return `string \`${clip(value)}\``;
    case 'number':
      return `number \`${String(value)}\``;
    case 'bigint':
      return `bigint \`${value.toString()}\``;
    case 'boolean':
      return `boolean \`${String(value)}\``;
    case 'symbol':
      return 'symbol';
    case 'function':
      return 'function';
    default:
      break;
  }
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  if (value instanceof Map) return `Map of size ${value.size}`;
  if (value instanceof Date) return `Date \`${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()}\``;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `${name} object` : 'object';
}

/** Renders a raw value in backticks, e.g. a config value as the user typed it. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return `\`${clip(value)}\``;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return `\`${String(value)}\``;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `\`${clip(value.map(String).join(','))}\``;
  return describeValue(value);
}
