import { describe, expect, it } from 'vitest';
import { MIN_SCRUBBED_LENGTH, SecretScrubber } from './secret-scrubber.ts';

describe('SecretScrubber', () => {
  it('hides every occurrence of a known secret, the longer of two overlapping ones whole', () => {
    const secrets = new SecretScrubber();
    secrets.add('hunter22');
    secrets.add('hunter22-extended');
    expect(secrets.scrub('login hunter22 failed; retried hunter22-extended')).toBe('login [hidden] failed; retried [hidden]');
  });

  it(`leaves values shorter than ${MIN_SCRUBBED_LENGTH} characters alone in text, but knows them as secrets`, () => {
    const secrets = new SecretScrubber();
    secrets.add('1');
    secrets.add('8083');
    expect(secrets.scrub('task 1 listening on 8083')).toBe('task 1 listening on 8083');
    expect(secrets.isSecret('8083')).toBe(true);
    expect(secrets.exposes('8083')).toBe(true);
    expect(secrets.exposes('18083')).toBe(false);
  });

  it('finds the trimmed value, each line of a multi-line value and the JSON-escaped form', () => {
    const secrets = new SecretScrubber();
    secrets.add('s3cr3t-from-file\n');
    secrets.add('-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----\n');
    secrets.add('quo"ted\\pass');
    expect(secrets.scrub('auth with s3cr3t-from-file refused')).toBe('auth with [hidden] refused');
    expect(secrets.scrub('bad key line AAAABBBBCCCC')).toBe('bad key line [hidden]');
    expect(secrets.scrub(JSON.stringify({ message: 'password quo"ted\\pass rejected' }))).toBe('{"message":"password [hidden] rejected"}');
  });

  it('escapes regular-expression characters in secrets', () => {
    const secrets = new SecretScrubber();
    secrets.add('a.b*c+d?');
    expect(secrets.scrub('axbbbcd a.b*c+d?')).toBe('axbbbcd [hidden]');
  });
});
