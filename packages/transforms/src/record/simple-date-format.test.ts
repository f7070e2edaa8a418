import { describe, expect, it } from 'vitest';
import { SimpleDateFormat, datePatternProblem } from './simple-date-format.ts';

const at = (iso: string): Date => new Date(iso);

describe('SimpleDateFormat.format', () => {
  it('writes the default TimestampRouter pattern in UTC', () => {
    expect(new SimpleDateFormat('yyyyMMdd').format(new Date(1483425001864))).toBe('20170103');
  });

  it('writes ISO-like patterns with quoted literals and an RFC 822 zone', () => {
    expect(new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZ").format(at('2024-02-29T07:05:09.042Z'))).toBe('2024-02-29T07:05:09.042+0000');
    expect(new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ssXXX").format(at('2024-02-29T07:05:09Z'))).toBe('2024-02-29T07:05:09Z');
  });

  it('writes the zone name, as Kafka tests expect', () => {
    expect(new SimpleDateFormat('yyyy MM dd HH mm ss SSS z').format(new Date(86_401_234))).toBe('1970 01 02 00 00 01 234 UTC');
    expect(new SimpleDateFormat('zzzz').format(new Date(0))).toBe('Coordinated Universal Time');
  });

  it('writes names, 12-hour clocks and unpadded numbers', () => {
    const d = at('2023-07-04T13:02:03.007Z');
    expect(new SimpleDateFormat('EEE, d MMM yyyy h:mm a').format(d)).toBe('Tue, 4 Jul 2023 1:02 PM');
    expect(new SimpleDateFormat('EEEE MMMM').format(d)).toBe('Tuesday July');
    expect(new SimpleDateFormat('yy-M-d H:m:s.S').format(d)).toBe('23-7-4 13:2:3.7');
    expect(new SimpleDateFormat('hh KK kk').format(at('2023-07-04T00:30:00Z'))).toBe('12 00 24');
    expect(new SimpleDateFormat('D u F G').format(d)).toBe('185 2 1 AD');
    expect(new SimpleDateFormat('SSSSSS').format(d)).toBe('000007');
  });

  it("writes '' as a quote, inside and outside quoted text", () => {
    expect(new SimpleDateFormat("hh 'o''clock' ''yy").format(at('2023-01-01T11:00:00Z'))).toBe("11 o'clock '23");
  });

  it('writes dates before the epoch', () => {
    expect(new SimpleDateFormat('yyyy-MM-dd HH:mm:ss.SSS').format(new Date(-1))).toBe('1969-12-31 23:59:59.999');
  });
});

describe('SimpleDateFormat.parse', () => {
  it('reads abutting numeric fields at the widths the pattern shows', () => {
    expect(new SimpleDateFormat('yyyyMMdd').parse('20170103')).toEqual(at('2017-01-03T00:00:00Z'));
    expect(new SimpleDateFormat('yyyyMMddHHmmssSSS').parse('20170103010203004')).toEqual(at('2017-01-03T01:02:03.004Z'));
  });

  it('reads what it writes', () => {
    for (const pattern of ['yyyy MM dd HH mm ss SSS z', "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "EEE, d MMM yyyy hh:mm:ss.SSS a XXX"]) {
      const format = new SimpleDateFormat(pattern);
      const d = at('2021-11-30T18:45:12.345Z');
      expect(format.parse(format.format(d)), pattern).toEqual(d);
    }
  });

  it('applies the zone offset in the text', () => {
    const format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ssZ");
    expect(format.parse('2020-05-01T10:00:00+0230')).toEqual(at('2020-05-01T07:30:00Z'));
    expect(new SimpleDateFormat('yyyy-MM-dd HH:mm z').parse('2020-05-01 10:00 GMT-05:00')).toEqual(at('2020-05-01T15:00:00Z'));
    expect(new SimpleDateFormat("yyyy-MM-dd'T'HH:mmXXX").parse('2020-05-01T10:00Z')).toEqual(at('2020-05-01T10:00:00Z'));
  });

  it('is lenient like Java: rolls over out-of-range fields and ignores trailing text', () => {
    expect(new SimpleDateFormat('yyyy-MM-dd').parse('2021-13-01')).toEqual(at('2022-01-01T00:00:00Z'));
    expect(new SimpleDateFormat('yyyy-MM-dd').parse('2021-02-30 and more')).toEqual(at('2021-03-02T00:00:00Z'));
  });

  it('reads month names in any case, and 12-hour clocks with AM/PM', () => {
    expect(new SimpleDateFormat('d MMM yyyy hh:mm a').parse('4 jul 2023 01:02 PM')).toEqual(at('2023-07-04T13:02:00Z'));
    expect(new SimpleDateFormat('d MMMM yyyy hh:mm a').parse('4 September 2023 12:02 AM')).toEqual(at('2023-09-04T00:02:00Z'));
  });

  it('reads a two-digit year into the century around now', () => {
    const year = new SimpleDateFormat('yy').parse('05')?.getUTCFullYear() ?? 0;
    expect(year % 100).toBe(5);
    expect(Math.abs(year - new Date().getUTCFullYear())).toBeLessThan(81);
    expect(new SimpleDateFormat('yyyy').parse('0005')?.getUTCFullYear()).toBe(5);
  });

  it('returns undefined for text that does not fit', () => {
    expect(new SimpleDateFormat('yyyy-MM-dd').parse('2021/01/01')).toBeUndefined();
    expect(new SimpleDateFormat('yyyy-MM-dd').parse('hello')).toBeUndefined();
    expect(new SimpleDateFormat('MMM').parse('Foo')).toBeUndefined();
  });
});

describe('date pattern checks', () => {
  it('rejects letters Java rejects, and unterminated quotes', () => {
    expect(datePatternProblem('bad-format')).toMatch(/illegal date pattern character `b`/);
    expect(datePatternProblem("yyyy-'T")).toMatch(/unterminated quote/);
    expect(() => new SimpleDateFormat('yyyy q')).toThrow(SyntaxError);
  });

  it('names the week-based letters it does not support', () => {
    expect(datePatternProblem('YYYY-ww')).toMatch(/not supported/);
  });

  it('accepts the usual patterns', () => {
    expect(datePatternProblem("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")).toBeUndefined();
    expect(datePatternProblem('EEE, d MMM yyyy HH:mm:ss Z')).toBeUndefined();
  });
});
