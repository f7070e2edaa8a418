/**
 * JSON for offsets and configs that may hold 64-bit integers. Source offsets are `bigint` where
 * a connector needs the full int64 range (Kafka Connect stores them as JSON numbers, and Java
 * reads them back as `Long`): they are written as plain JSON numbers, and integers beyond
 * `Number.MAX_SAFE_INTEGER` are read back as `bigint`, so nothing is rounded either way.
 */
// Node 22+ has JSON.rawJSON (TC39 JSON.parse source text access); TypeScript's lib does not declare it yet.
const { rawJSON } = JSON as unknown as { rawJSON: (text: string) => unknown };

export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? rawJSON(v.toString()) : v));
}

export function parseJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source)) {
      return BigInt(context.source);
    }
    return value;
  });
}
