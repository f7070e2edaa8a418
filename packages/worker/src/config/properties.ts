/**
 * Java `.properties` files as `java.util.Properties#load` reads them, so Kafka Connect's worker
 * and connector files work unchanged: `#`/`!` comments, `=`, `:` or whitespace between key and
 * value, backslash line continuations, and the escapes `\t \n \r \f \uXXXX` (any other escaped
 * character stands for itself). One difference: the file is read as UTF-8, where Java's
 * `load(InputStream)` reads ISO-8859-1 — UTF-8 is what people write today, and `\u` escapes
 * mean the same in both.
 */
export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const line of logicalLines(text)) {
    const { key, value } = splitEntry(line);
    result.set(key, value);
  }
  return result;
}

const WHITESPACE = new Set([' ', '\t', '\f']);

/** Joins continued lines and drops blank and comment lines; each result starts at its first non-blank character. */
function* logicalLines(text: string): Generator<string> {
  const natural = text.split(/\r\n|\r|\n/);
  let pending: string | null = null;
  for (const raw of natural) {
    const line = stripLeadingWhitespace(raw);
    if (pending === null && (line === '' || line.startsWith('#') || line.startsWith('!'))) continue;
    const continued = endsWithOddBackslashes(line);
    const content = continued ? line.slice(0, -1) : line;
    pending = pending === null ? content : pending + content;
    if (!continued) {
      yield pending;
      pending = null;
    }
  }
  if (pending !== null) yield pending;
}

function stripLeadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length && WHITESPACE.has(line[i]!)) i++;
  return line.slice(i);
}

function endsWithOddBackslashes(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

function splitEntry(line: string): { key: string; value: string } {
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || WHITESPACE.has(c)) break;
    i++;
  }
  const key = unescape(line.slice(0, i));
  while (i < line.length && WHITESPACE.has(line[i]!)) i++;
  if (line[i] === '=' || line[i] === ':') i++;
  while (i < line.length && WHITESPACE.has(line[i]!)) i++;
  return { key, value: unescape(line.slice(i)) };
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`malformed \\uxxxx escape \`\\u${hex}\``);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += ESCAPES[next] ?? next;
    }
  }
  return out;
}
