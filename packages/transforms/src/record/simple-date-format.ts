// Java's `SimpleDateFormat` as Kafka's TimestampConverter and TimestampRouter use it: English
// names, always UTC, lenient parsing (out-of-range fields roll over, trailing text is ignored).

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MS_PER_DAY = 86_400_000;

/** Pattern letters this port formats and parses. */
const SUPPORTED = new Set('GyMLdHkKhmsSEuDFazZX');
/** Letters Java accepts that this port does not: week-based fields depend on a locale's week rules. */
const UNSUPPORTED = new Set('wWY');
/** Fields written as numbers; a run of them without literals in between parses at fixed widths. */
const NUMERIC = new Set('yHkKhmsSdDFu');

type Token = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'field'; readonly letter: string; readonly count: number };

function isNumeric(token: Token | undefined): boolean {
  if (token?.kind !== 'field') return false;
  return NUMERIC.has(token.letter) || ((token.letter === 'M' || token.letter === 'L') && token.count <= 2);
}

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/** Splits a pattern into fields and literals; a pattern Java would reject throws a `SyntaxError`. */
function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') tokens.push({ kind: 'literal', text: literal });
    literal = '';
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === "'") {
      if (pattern.charAt(i + 1) === "'") {
        literal += "'";
        i += 2;
        continue;
      }
      // A quoted section runs to the next lone quote; '' inside it is one quote.
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) throw new SyntaxError(`unterminated quote in date pattern \`${pattern}\``);
        if (pattern.charAt(j) === "'") {
          if (pattern.charAt(j + 1) !== "'") break;
          literal += "'";
          j += 2;
          continue;
        }
        literal += pattern.charAt(j);
        j++;
      }
      i = j + 1;
      continue;
    }
    if (!isLetter(c)) {
      literal += c;
      i++;
      continue;
    }
    if (UNSUPPORTED.has(c)) throw new SyntaxError(`date pattern letter \`${c}\` (week-based fields) is not supported by Sluice`);
    if (!SUPPORTED.has(c)) throw new SyntaxError(`illegal date pattern character \`${c}\` in \`${pattern}\``);
    let count = 1;
    while (pattern.charAt(i + count) === c) count++;
    flush();
    tokens.push({ kind: 'field', letter: c, count });
    i += count;
  }
  flush();
  return tokens;
}

/**
 * Why `pattern` is not a usable date pattern, or `undefined` when it is.
 */
export function datePatternProblem(pattern: string): string | undefined {
  try {
    tokenize(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function pad(value: number, width: number): string {
  const digits = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${digits}` : digits;
}

function nameOf(names: readonly string[], index: number, count: number): string {
  const name = names[index] ?? '';
  return count >= 4 ? name : name.slice(0, 3);
}

function formatField(letter: string, count: number, d: Date): string {
  const year = d.getUTCFullYear();
  const hour = d.getUTCHours();
  switch (letter) {
    case 'G':
      return year > 0 ? 'AD' : 'BC';
    case 'y': {
      // Years are shown within their era, as Java's Gregorian calendar does.
      const ofEra = year > 0 ? year : 1 - year;
      return count === 2 ? pad(ofEra % 100, 2) : pad(ofEra, count);
    }
    case 'M':
    case 'L':
      return count >= 3 ? nameOf(MONTHS, d.getUTCMonth(), count) : pad(d.getUTCMonth() + 1, count);
    case 'd':
      return pad(d.getUTCDate(), count);
    case 'H':
      return pad(hour, count);
    case 'k':
      return pad(hour === 0 ? 24 : hour, count);
    case 'K':
      return pad(hour % 12, count);
    case 'h':
      return pad(hour % 12 === 0 ? 12 : hour % 12, count);
    case 'm':
      return pad(d.getUTCMinutes(), count);
    case 's':
      return pad(d.getUTCSeconds(), count);
    case 'S':
      return pad(d.getUTCMilliseconds(), count);
    case 'E':
      return nameOf(DAYS, d.getUTCDay(), count);
    case 'u':
      return pad(d.getUTCDay() === 0 ? 7 : d.getUTCDay(), count);
    case 'D':
      return pad(Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / MS_PER_DAY) + 1, count);
    case 'F':
      return pad(Math.floor((d.getUTCDate() - 1) / 7) + 1, count);
    case 'a':
      return hour < 12 ? 'AM' : 'PM';
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    default: // 'X': ISO 8601 writes a zero offset as Z
      return 'Z';
  }
}

/** What a parse has read so far; unset fields default to 1970-01-01T00:00:00.000. */
interface Fields {
  year?: number;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hourOfDay?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  millis?: number;
  offsetMinutes?: number;
  bc?: boolean;
}

const ZONE_NAMES: Readonly<Record<string, number>> = {
  'coordinated universal time': 0,
  'greenwich mean time': 0,
  utc: 0,
  gmt: 0,
  ut: 0,
  z: 0,
};

class Cursor {
  pos = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos++;
  }
  /** Reads up to `max` digits (at least one); `undefined` when there is none. */
  digits(max = Number.POSITIVE_INFINITY): string | undefined {
    let end = this.pos;
    while (end < this.text.length && end - this.pos < max && /\d/.test(this.text.charAt(end))) end++;
    if (end === this.pos) return undefined;
    const read = this.text.slice(this.pos, end);
    this.pos = end;
    return read;
  }
  /** Consumes the longest of `names` found here, case-insensitively; returns its index. */
  oneOf(names: readonly string[]): number | undefined {
    let best: number | undefined;
    let bestLength = 0;
    names.forEach((name, i) => {
      if (name.length > bestLength && this.text.slice(this.pos, this.pos + name.length).toLowerCase() === name.toLowerCase()) {
        best = i;
        bestLength = name.length;
      }
    });
    this.pos += bestLength;
    return best;
  }
}

/** `+hh`, `+hhmm` or `+hh:mm` (also after `GMT`), in minutes east of UTC. */
function readOffset(cursor: Cursor): number | undefined {
  const sign = cursor.text.charAt(cursor.pos);
  if (sign !== '+' && sign !== '-') return undefined;
  const start = cursor.pos;
  cursor.pos++;
  const first = cursor.digits(4);
  if (first === undefined) {
    cursor.pos = start;
    return undefined;
  }
  let hours: number;
  let minutes = 0;
  if (first.length > 2) {
    hours = Number(first.slice(0, first.length - 2));
    minutes = Number(first.slice(-2));
  } else {
    hours = Number(first);
    if (cursor.text.charAt(cursor.pos) === ':') {
      cursor.pos++;
      const mm = cursor.digits(2);
      if (mm === undefined) return undefined;
      minutes = Number(mm);
    }
  }
  if (hours > 23 || minutes > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function readZone(cursor: Cursor): number | undefined {
  const offset = readOffset(cursor);
  if (offset !== undefined) return offset;
  const names = Object.keys(ZONE_NAMES);
  const index = cursor.oneOf(names);
  if (index === undefined) return undefined;
  const base = ZONE_NAMES[names[index] ?? ''] ?? 0;
  // GMT+05:30, UTC-8
  return base + (readOffset(cursor) ?? 0);
}

/** Reads one field into `fields`; false when the text does not fit it. */
function parseField(token: { letter: string; count: number }, cursor: Cursor, fields: Fields, width: number | undefined): boolean {
  cursor.skipSpaces();
  const { letter, count } = token;
  if (isNumeric({ kind: 'field', letter, count })) {
    const start = cursor.pos;
    const text = cursor.digits(width);
    if (text === undefined) return false;
    const n = Number(text);
    switch (letter) {
      case 'y':
        // Two digits for a short year pattern: the century that puts the year within 80 years
        // before and 20 years after now, as Java resolves it.
        if (count <= 2 && cursor.pos - start === 2) {
          const now = new Date().getUTCFullYear();
          const lowest = now - 80;
          let year = Math.floor(lowest / 100) * 100 + n;
          if (year < lowest) year += 100;
          fields.year = year;
        } else {
          fields.year = n;
        }
        return true;
      case 'M':
      case 'L':
        fields.month = n - 1;
        return true;
      case 'd':
        fields.day = n;
        return true;
      case 'D':
        fields.dayOfYear = n;
        return true;
      case 'H':
        fields.hourOfDay = n;
        return true;
      case 'k':
        fields.hourOfDay = n === 24 ? 0 : n;
        return true;
      case 'K':
      case 'h':
        fields.hour12 = n % 12;
        return true;
      case 'm':
        fields.minute = n;
        return true;
      case 's':
        fields.second = n;
        return true;
      case 'S':
        fields.millis = n;
        return true;
      default: // u, F: read but not used to place the date
        return true;
    }
  }
  switch (letter) {
    case 'M':
    case 'L': {
      const index = cursor.oneOf([...MONTHS, ...MONTHS.map((m) => m.slice(0, 3))]);
      if (index === undefined) return false;
      fields.month = index % 12;
      return true;
    }
    case 'E':
      return cursor.oneOf([...DAYS, ...DAYS.map((m) => m.slice(0, 3))]) !== undefined;
    case 'a': {
      const index = cursor.oneOf(['AM', 'PM']);
      if (index === undefined) return false;
      fields.pm = index === 1;
      return true;
    }
    case 'G': {
      const index = cursor.oneOf(['AD', 'BC']);
      if (index === undefined) return false;
      fields.bc = index === 1;
      return true;
    }
    default: {
      // z, Z, X
      const offset = readZone(cursor);
      if (offset === undefined) return false;
      fields.offsetMinutes = offset;
      return true;
    }
  }
}

function toDate(fields: Fields): Date {
  let year = fields.year ?? 1970;
  if (fields.bc === true) year = 1 - year;
  let hour = fields.hourOfDay ?? 0;
  if (fields.hourOfDay === undefined && (fields.hour12 !== undefined || fields.pm !== undefined)) {
    hour = (fields.hour12 ?? 0) + (fields.pm === true ? 12 : 0);
  }
  const date = new Date(0);
  // setUTCFullYear keeps years 0–99 as written (Date.UTC would move them to the 1900s), and
  // out-of-range months, days and hours roll over as in Java's lenient calendar.
  if (fields.dayOfYear !== undefined && fields.month === undefined && fields.day === undefined) {
    date.setUTCFullYear(year, 0, fields.dayOfYear);
  } else {
    date.setUTCFullYear(year, fields.month ?? 0, fields.day ?? 1);
  }
  date.setUTCHours(hour, fields.minute ?? 0, fields.second ?? 0, fields.millis ?? 0);
  return new Date(date.getTime() - (fields.offsetMinutes ?? 0) * 60_000);
}

/**
 * A `java.text.SimpleDateFormat` pattern such as `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, in UTC with
 * English names. Letters: G y M L d H k K h m s S E u D F a z Z X; text in single quotes is
 * literal (`''` is a quote). The week-based letters w, W and Y are not supported.
 */
export class SimpleDateFormat {
  readonly pattern: string;
  readonly #tokens: readonly Token[];

  /** Throws a `SyntaxError` for a pattern Java would reject (or one this port cannot handle). */
  constructor(pattern: string) {
    this.pattern = pattern;
    this.#tokens = tokenize(pattern);
  }

  format(date: Date): string {
    return this.#tokens.map((t) => (t.kind === 'literal' ? t.text : formatField(t.letter, t.count, date))).join('');
  }

  /**
   * The instant `text` describes, or `undefined` when it does not fit the pattern. As in Java,
   * text after the last field is ignored and out-of-range values roll over (13th month → next
   * January); fields without a time zone are read as UTC.
   */
  parse(text: string): Date | undefined {
    const cursor = new Cursor(text);
    const fields: Fields = {};
    for (let i = 0; i < this.#tokens.length; i++) {
      const token = this.#tokens[i] as Token;
      if (token.kind === 'literal') {
        for (const expected of token.text) {
          const actual = text.charAt(cursor.pos);
          const matches = actual === expected || (/\s/.test(expected) && actual !== '' && /\s/.test(actual));
          if (!matches) return undefined;
          cursor.pos++;
        }
        continue;
      }
      // Abutting numeric fields (yyyyMMdd) read exactly as many digits as the pattern shows.
      const width = isNumeric(token) && isNumeric(this.#tokens[i + 1]) ? token.count : undefined;
      if (!parseField(token, cursor, fields, width)) return undefined;
    }
    const date = toDate(fields);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
}
