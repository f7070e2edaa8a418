// Java regular expressions (java.util.regex.Pattern) as JavaScript RegExps, for the transforms
// and predicates whose configs take one. Kafka applies them with `Matcher.matches()`, so the
// whole topic must match; the translation anchors the pattern at both ends.
import { custom } from '@sluice/core';
import type { Validator } from '@sluice/core';

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

/** Java escapes whose meaning differs in JavaScript, as the class members they stand for. */
const JAVA_ESCAPES: Readonly<Record<string, string>> = {
  h: ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000',
  v: '\\n\\x0B\\f\\r\\x85\\u2028\\u2029',
};

const INLINE_FLAGS: Readonly<Record<string, string>> = { i: 'i', s: 's', m: 'm', u: '', d: '' };

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

class Unsupported extends Error {}

/** A UTF-16 code unit as a JavaScript `\uXXXX` escape (the translation has no `u` flag). */
function unitEscape(unit: number): string {
  return `\\u${unit.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Java's `\xhh` and `\x{h…h}` at `at` (the backslash). A code point beyond U+FFFF becomes its
 * surrogate pair, which only works outside brackets.
 */
function hexEscape(pattern: string, at: number, inClass: boolean): { source: string; length: number } {
  const braced = /^\{([0-9a-fA-F]+)\}/.exec(pattern.slice(at + 2));
  if (braced === null) {
    const short = /^[0-9a-fA-F]{2}/.exec(pattern.slice(at + 2));
    if (short === null) throw new Unsupported('illegal hexadecimal escape sequence: `\\x` needs two hex digits or `{…}`');
    return { source: `\\x${short[0]}`, length: 4 };
  }
  const hex = braced[1] ?? '';
  const codePoint = hex.length > 8 ? Infinity : parseInt(hex, 16);
  if (codePoint > 0x10ffff) throw new Unsupported(`hexadecimal code point \`\\x{${hex}}\` is beyond U+10FFFF`);
  const length = 2 + braced[0].length;
  if (codePoint <= 0xffff) return { source: unitEscape(codePoint), length };
  if (inClass) throw new Unsupported(`\`\\x{${hex}}\` (beyond U+FFFF) inside a character class is not supported by Sluice`);
  const text = String.fromCodePoint(codePoint);
  return { source: `(?:${unitEscape(text.charCodeAt(0))}${unitEscape(text.charCodeAt(1))})`, length };
}

/** Java's octal escape `\0n`, `\0nn` or `\0mnn` (m at most 3) at `at` (the backslash), as `\xhh`. */
function octalEscape(pattern: string, at: number): { source: string; length: number } {
  const digits = /^([0-3][0-7]{2}|[0-7]{1,2})/.exec(pattern.slice(at + 2))?.[0];
  if (digits === undefined) throw new Unsupported('illegal octal escape sequence: `\\0` needs one to three octal digits');
  return { source: `\\x${parseInt(digits, 8).toString(16).toUpperCase().padStart(2, '0')}`, length: 2 + digits.length };
}

/**
 * Rewrites a Java pattern into JavaScript source and flags. Constructs JavaScript lacks
 * (possessive quantifiers, atomic groups, class intersection, inline flags after the start)
 * throw, rather than silently meaning something else.
 */
function translate(pattern: string): { source: string; flags: string } {
  let flags = '';
  let i = 0;
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  if (leading !== null) {
    for (const f of leading[1] ?? '') {
      const js = INLINE_FLAGS[f];
      if (js === undefined) throw new Unsupported(`inline flag \`${f}\` is not supported by Sluice`);
      if (!flags.includes(js)) flags += js;
    }
    i = leading[0].length;
  }
  let out = '';
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      const next = pattern.charAt(i + 1);
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const quoted = pattern.slice(i + 2, end === -1 ? pattern.length : end);
        out += escapeLiteral(quoted);
        i = end === -1 ? pattern.length : end + 2;
        continue;
      }
      if (next === 'p' || next === 'P') {
        const m = /^\{(?:Is)?(\w+)\}/.exec(pattern.slice(i + 2));
        const members = m === null ? undefined : POSIX_CLASSES[m[1] ?? ''];
        if (m === null || members === undefined) throw new Unsupported(`character class \`${pattern.slice(i, i + 2 + (m?.[0].length ?? 0))}\` is not supported by Sluice`);
        if (next === 'P' && inClass) throw new Unsupported('a negated \\P{…} class inside brackets is not supported by Sluice');
        out += inClass ? members : `[${next === 'P' ? '^' : ''}${members}]`;
        i += 2 + m[0].length;
        continue;
      }
      if (next === 'x' || next === '0') {
        const escape = next === 'x' ? hexEscape(pattern, i, inClass) : octalEscape(pattern, i);
        out += escape.source;
        i += escape.length;
        continue;
      }
      const members = JAVA_ESCAPES[next];
      if (members !== undefined) {
        out += inClass ? members : `[${members}]`;
      } else if (next === 'A' && !inClass) {
        out += '^';
      } else if (next === 'z' && !inClass) {
        out += '$';
      } else if (next === 'Z' && !inClass) {
        out += '(?=(?:\\r\\n|[\\n\\r\\x85\\u2028\\u2029])?$)';
      } else if (next === 'e') {
        out += '\\x1B';
      } else if (next === 'a') {
        out += '\\x07';
      } else if (next === 'G' || next === 'R' || next === 'X') {
        throw new Unsupported(`\`\\${next}\` is not supported by Sluice`);
      } else {
        out += c + next;
      }
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[') throw new Unsupported('nested character classes (union) are not supported by Sluice');
      if (c === '&' && pattern.charAt(i + 1) === '&') throw new Unsupported('character class intersection `&&` is not supported by Sluice');
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` (after an optional `^`) right after the opening bracket is a member in Java.
      if (pattern.charAt(i + 1) === '^') {
        out += '^';
        i++;
      }
      if (pattern.charAt(i + 1) === ']') {
        out += '\\]';
        i++;
      }
      i++;
      continue;
    }
    if (c === '(' && pattern.charAt(i + 1) === '?') {
      const kind = pattern.charAt(i + 2);
      if (kind === '>') throw new Unsupported('atomic groups `(?>…)` are not supported by Sluice');
      if (/[a-zA-Z-]/.test(kind)) {
        throw new Unsupported('inline flags after the start of the pattern are not supported by Sluice');
      }
    }
    if (c === '+' && /[*+?}]/.test(out.charAt(out.length - 1)) && out.charAt(out.length - 2) !== '\\') {
      throw new Unsupported('possessive quantifiers (`*+`, `++`, `?+`, `{n}+`) are not supported by Sluice');
    }
    out += c;
    i++;
  }
  return { source: out, flags };
}

/**
 * A compiled Java pattern, matched against whole strings like Java's `Matcher.matches()`.
 * The constructor throws a `SyntaxError` naming the problem for an invalid pattern.
 */
export class JavaPattern {
  readonly pattern: string;
  readonly #regex: RegExp;
  readonly #unanchored: RegExp;
  /** The number of capturing groups. */
  readonly groupCount: number;
  readonly groupNames: ReadonlySet<string>;

  constructor(pattern: string) {
    this.pattern = pattern;
    let translated: { source: string; flags: string };
    try {
      translated = translate(pattern);
    } catch (error) {
      throw new SyntaxError((error as Error).message);
    }
    const whole = `^(?:${translated.source})$`;
    try {
      this.#regex = new RegExp(whole, translated.flags);
      this.#unanchored = new RegExp(translated.source, translated.flags);
      // Matching the empty alternative reports every group, named or not.
      const empty = new RegExp(`${translated.source}|`, translated.flags).exec('');
      this.groupCount = (empty?.length ?? 1) - 1;
      this.groupNames = new Set(Object.keys(empty?.groups ?? {}));
    } catch (error) {
      throw new SyntaxError((error as Error).message.replace(/^Invalid regular expression: /, ''));
    }
  }

  /** The groups of a whole-string match (index 0 is the whole string), or null. */
  matches(text: string): RegExpExecArray | null {
    return this.#regex.exec(text);
  }

  /**
   * The first match anywhere in `text`, like Java's `Matcher.find()` from the start, or null.
   * `match.index` is where it starts.
   */
  find(text: string): RegExpExecArray | null {
    return this.#unanchored.exec(text);
  }

  /**
   * Java's `Matcher.replaceFirst(replacement)`: the first unanchored match, replaced, with the
   * text before and after it kept; `text` unchanged when nothing matches.
   */
  replaceFirst(text: string, replacement: JavaReplacement): string {
    const match = this.find(text);
    if (match === null) return text;
    return text.slice(0, match.index) + replacement.expand(match) + text.slice(match.index + match[0].length);
  }
}

/** A config validator: the value must compile as a Java regular expression. */
export function javaRegexValidator(): Validator {
  return custom('valid regex', (value) => {
    if (typeof value !== 'string') return undefined;
    try {
      new JavaPattern(value);
      return undefined;
    } catch (error) {
      return `invalid regex: ${(error as Error).message}`;
    }
  });
}

type ReplacementPart = string | number | { readonly name: string };

/**
 * A Java `Matcher` replacement string: `$n` and `${name}` insert groups, a backslash makes the
 * next character literal. Parsed once against a pattern, so a reference to a group the pattern
 * lacks is found at configure time; throws a `SyntaxError`.
 */
export class JavaReplacement {
  readonly #parts: readonly ReplacementPart[];

  constructor(replacement: string, pattern: JavaPattern) {
    const parts: ReplacementPart[] = [];
    let literal = '';
    let i = 0;
    while (i < replacement.length) {
      const c = replacement.charAt(i);
      if (c === '\\') {
        if (i + 1 >= replacement.length) throw new SyntaxError('character to be escaped is missing');
        literal += replacement.charAt(i + 1);
        i += 2;
        continue;
      }
      if (c !== '$') {
        literal += c;
        i++;
        continue;
      }
      if (i + 1 >= replacement.length) throw new SyntaxError('illegal group reference: group index is missing');
      if (literal !== '') parts.push(literal);
      literal = '';
      if (replacement.charAt(i + 1) === '{') {
        const end = replacement.indexOf('}', i + 2);
        const name = replacement.slice(i + 2, end);
        if (end === -1 || !/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) throw new SyntaxError('illegal group name in `${…}`');
        if (!pattern.groupNames.has(name)) throw new SyntaxError(`no group named \`${name}\` in the regex`);
        parts.push({ name });
        i = end + 1;
        continue;
      }
      const first = replacement.charAt(i + 1);
      if (!/\d/.test(first)) throw new SyntaxError(`illegal group reference \`$${first}\``);
      let group = Number(first);
      if (group > pattern.groupCount) throw new SyntaxError(`no group ${group} in the regex, which has ${pattern.groupCount}`);
      i += 2;
      // Java takes further digits while they still name an existing group: $12 is group 1 then
      // "2" when there are fewer than 12 groups.
      while (i < replacement.length && /\d/.test(replacement.charAt(i))) {
        const longer = group * 10 + Number(replacement.charAt(i));
        if (longer > pattern.groupCount) break;
        group = longer;
        i++;
      }
      parts.push(group);
    }
    if (literal !== '') parts.push(literal);
    this.#parts = parts;
  }

  /** The replacement with the groups of `match` filled in; a group that took no part is empty. */
  expand(match: RegExpExecArray): string {
    return this.#parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if (typeof part === 'number') return match[part] ?? '';
        return match.groups?.[part.name] ?? '';
      })
      .join('');
  }
}
