// JSON text as Jackson reads and writes it for Kafka Connect: a parser that keeps number text
// exact (int64 and decimals never pass through a double) and a string writer that escapes as
// Jackson's generator does.
import { dataError } from '@sluice/core';

/** A parsed JSON value. Numbers keep their text; objects keep key order and their source text. */
export type JsonNode =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'number'; readonly text: string; readonly integral: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[] }
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, JsonNode>; readonly source: string };

const NULL_NODE: JsonNode = Object.freeze({ kind: 'null' });
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  #pos = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  document(): JsonNode {
    const node = this.#value();
    this.#space();
    if (this.#pos < this.#text.length) this.#fail('unexpected content after the JSON value');
    return node;
  }

  #fail(reason: string): never {
    throw dataError(`malformed JSON at offset ${this.#pos}: ${reason}`, { context: { offset: this.#pos } });
  }

  #space(): void {
    const text = this.#text;
    let pos = this.#pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      pos++;
    }
    this.#pos = pos;
  }

  #literal(word: string): void {
    if (!this.#text.startsWith(word, this.#pos)) this.#fail('unrecognised token');
    this.#pos += word.length;
  }

  #value(): JsonNode {
    this.#space();
    const c = this.#text[this.#pos];
    switch (c) {
      case undefined:
        return this.#fail('no JSON value');
      case '{':
        return this.#object();
      case '[':
        return this.#array();
      case '"':
        return { kind: 'string', value: this.#string() };
      case 't':
        this.#literal('true');
        return { kind: 'boolean', value: true };
      case 'f':
        this.#literal('false');
        return { kind: 'boolean', value: false };
      case 'n':
        this.#literal('null');
        return NULL_NODE;
      default: {
        NUMBER.lastIndex = this.#pos;
        const m = NUMBER.exec(this.#text);
        if (m === null) return this.#fail(`unexpected character ${JSON.stringify(c)}`);
        this.#pos += m[0].length;
        return { kind: 'number', text: m[0], integral: m[1] === undefined && m[2] === undefined };
      }
    }
  }

  #object(): JsonNode {
    const start = this.#pos++;
    const fields = new Map<string, JsonNode>();
    this.#space();
    if (this.#text[this.#pos] === '}') {
      this.#pos++;
    } else {
      for (;;) {
        this.#space();
        if (this.#text[this.#pos] !== '"') this.#fail('expected a field name');
        const key = this.#string();
        this.#space();
        if (this.#text[this.#pos] !== ':') this.#fail("expected ':' after a field name");
        this.#pos++;
        fields.set(key, this.#value());
        this.#space();
        const c = this.#text[this.#pos++];
        if (c === '}') break;
        if (c !== ',') this.#fail("expected ',' or '}' in an object");
      }
    }
    return { kind: 'object', fields, source: this.#text.slice(start, this.#pos) };
  }

  #array(): JsonNode {
    this.#pos++;
    const items: JsonNode[] = [];
    this.#space();
    if (this.#text[this.#pos] === ']') {
      this.#pos++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.#value());
      this.#space();
      const c = this.#text[this.#pos++];
      if (c === ']') return { kind: 'array', items };
      if (c !== ',') this.#fail("expected ',' or ']' in an array");
    }
  }

  #string(): string {
    const text = this.#text;
    const start = ++this.#pos;
    // The common case, a string without escapes or control characters, is one slice.
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.#pos = i + 1;
        return text.slice(start, i);
      }
      if (c === 0x5c || c < 0x20) break;
    }
    let out = '';
    for (;;) {
      const c = this.#text[this.#pos++];
      if (c === undefined) this.#fail('unterminated string');
      if (c === '"') return out;
      if (c < ' ') this.#fail('unescaped control character in a string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.#text[this.#pos++] ?? '';
      if (e === 'u') {
        const hex = this.#text.slice(this.#pos, this.#pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.#fail('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.#pos += 4;
      } else {
        const mapped = ESCAPES[e];
        if (mapped === undefined) this.#fail(`bad escape \\${e}`);
        out += mapped;
      }
    }
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses UTF-8 JSON bytes (leading zeros in numbers allowed, as Kafka's JsonDeserializer does);
 * `undefined` when there is no content at all (Jackson's missing node).
 */
export function parseJson(bytes: Uint8Array): JsonNode | undefined {
  return parseJsonText(decodeJson(bytes));
}

/** The text of UTF-8 JSON bytes; a `DATA` error when they are not valid UTF-8. */
export function decodeJson(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch (error) {
    throw dataError('malformed JSON: the bytes are not valid UTF-8', { cause: error });
  }
}

/** {@link parseJson} of text already decoded. */
export function parseJsonText(text: string): JsonNode | undefined {
  return text.trim() === '' ? undefined : new Parser(text).document();
}

/** UTF-8 bytes of JSON text. */
export function utf8(text: string): Uint8Array {
  // Buffer.from encodes a record-sized string several times faster than TextEncoder (a slice of
  // Node's shared pool rather than an ArrayBuffer of its own per record).
  return Buffer.from(text, 'utf8');
}

function hex4(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

const SHORT: Readonly<Record<number, string>> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

/** Text {@link jsonString} writes as it is: no control characters, `"`, `\` or surrogates. */
const PLAIN = /^[\u0020\u0021\u0023-\u005b\u005d-\ud7ff\ue000-\uffff]*$/;

/** A JSON string literal as Jackson writes it: short escapes, `\u00XX` (upper case) for other control characters, characters beyond the BMP as escaped surrogate pairs. */
export function jsonString(value: string): string {
  if (PLAIN.test(value)) return `"${value}"`;
  let out = '"';
  let plainFrom = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const needs = code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff);
    if (!needs) continue;
    out += value.slice(plainFrom, i) + (SHORT[code] ?? hex4(code));
    plainFrom = i + 1;
  }
  return `${out}${value.slice(plainFrom)}"`;
}

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/**
 * Up to this many bytes (a Decimal's unscaled value, mostly) are encoded here: three to four
 * times faster than through a Buffer, whose set-up dominates for a few bytes.
 */
const SMALL_BASE64 = 16;

/** Standard base64 with padding (Jackson's MIME-no-linefeeds variant). */
export function base64(bytes: Uint8Array): string {
  if (bytes.length > SMALL_BASE64) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64_DIGITS[n >> 18]! + BASE64_DIGITS[(n >> 12) & 63]! + BASE64_DIGITS[(n >> 6) & 63]! + BASE64_DIGITS[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += BASE64_DIGITS[n >> 18]! + BASE64_DIGITS[(n >> 12) & 63]! + (i + 1 < bytes.length ? BASE64_DIGITS[(n >> 6) & 63]! : '=') + '=';
  }
  return out;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes standard padded base64; anything else is a `DATA` error naming `what`. */
export function fromBase64(text: string, what: string): Uint8Array {
  if (!BASE64.test(text)) throw dataError(`invalid base64 for ${what}: ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}
