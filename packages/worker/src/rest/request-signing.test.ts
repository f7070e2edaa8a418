import { createHmac } from 'node:crypto';
import { assertErrorCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { RequestSigner, SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER, interWorkerKeyConfig } from './request-signing.ts';

const signer = (keys: Record<string, string> = {}, options: { keyGraceMs?: number } = {}) => new RequestSigner(interWorkerKeyConfig.parse(keys), options);
const BODY = JSON.stringify([{ 'connector.class': 'FileStreamSource', 'task.class': 'x', file: '/tmp/in' }]);
const NOW = 1_700_000_000_000;

describe('RequestSigner', () => {
  it('signs with Kafka’s headers and HmacSHA256 by default, and verifies its own signature', () => {
    const s = signer();
    const key = s.generateKey(NOW);
    expect(key).toMatchObject({ algorithm: 'HmacSHA256', creationTimestamp: NOW });
    expect(key.key).toHaveLength(32);
    const headers = s.sign(key, BODY);
    expect(headers[SIGNATURE_ALGORITHM_HEADER]).toBe('HmacSHA256');
    expect(Buffer.from(headers[SIGNATURE_HEADER]!, 'base64')).toHaveLength(32);
    expect(s.verify({ body: Buffer.from(BODY), headers }, key, NOW + 1000)).toEqual({ ok: true });
  });

  it('matches an HMAC computed independently, so Java workers and Sluice workers agree', () => {
    const s = signer();
    const key = { key: Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex'), algorithm: 'HmacSHA256', creationTimestamp: NOW };
    expect(s.sign(key, BODY)[SIGNATURE_HEADER]).toBe(createHmac('sha256', key.key).update(BODY).digest('base64'));
  });

  it('reads header names in any case, as HTTP allows', () => {
    const s = signer();
    const key = s.generateKey(NOW);
    const lower = Object.fromEntries(Object.entries(s.sign(key, BODY)).map(([k, v]) => [k.toLowerCase(), v]));
    expect(s.verify({ body: BODY, headers: lower }, key, NOW)).toEqual({ ok: true });
  });

  it('refuses a tampered body, a tampered signature and a key that has been replaced with 403', () => {
    const s = signer();
    const key = s.generateKey(NOW);
    const headers = s.sign(key, BODY);
    expect(s.verify({ body: BODY.replace('/tmp/in', '/etc/passwd'), headers }, key, NOW)).toMatchObject({ ok: false, status: 403 });
    const flipped = Buffer.from(headers[SIGNATURE_HEADER]!, 'base64');
    flipped[0]! ^= 1;
    expect(s.verify({ body: BODY, headers: { ...headers, [SIGNATURE_HEADER]: flipped.toString('base64') } }, key, NOW)).toMatchObject({ ok: false, status: 403 });
    expect(s.verify({ body: BODY, headers: { ...headers, [SIGNATURE_HEADER]: 'AAAA' } }, key, NOW)).toMatchObject({ ok: false, status: 403 });
    expect(s.verify({ body: BODY, headers }, s.generateKey(NOW + 10), NOW + 10)).toMatchObject({ ok: false, status: 403, message: 'internal request has an invalid signature' });
  });

  it('refuses a key past its TTL and grace, unless told to accept it until it is replaced as Kafka does', () => {
    const s = signer({ 'inter.worker.key.ttl.ms': '60000' }, { keyGraceMs: 1000 });
    const key = s.generateKey(NOW);
    const headers = s.sign(key, BODY);
    expect(s.keyExpired(key, NOW + 59_999)).toBe(false);
    expect(s.keyExpired(key, NOW + 60_000)).toBe(true);
    expect(s.verify({ body: BODY, headers }, key, NOW + 61_000)).toEqual({ ok: true });
    const expired = s.verify({ body: BODY, headers }, key, NOW + 61_001);
    expect(expired).toMatchObject({ ok: false, status: 403 });
    expect(!expired.ok && expired.message).toContain('expired session key');
    const lenient = signer({ 'inter.worker.key.ttl.ms': '60000' }, { keyGraceMs: Infinity });
    expect(lenient.verify({ body: BODY, headers }, key, NOW + 10 * 60_000)).toEqual({ ok: true });
  });

  it('answers 400 for an unsigned request, an unknown or unaccepted algorithm and a signature that is not base64, and 503 without a key', () => {
    const s = signer({ 'inter.worker.verification.algorithms': 'HmacSHA256' });
    const key = s.generateKey(NOW);
    const headers = s.sign(key, BODY);
    expect(s.verify({ body: BODY, headers: {} }, key, NOW)).toMatchObject({ ok: false, status: 400 });
    const unaccepted = s.verify({ body: BODY, headers: { ...headers, [SIGNATURE_ALGORITHM_HEADER]: 'HmacSHA512' } }, key, NOW);
    expect(unaccepted).toMatchObject({ ok: false, status: 400 });
    expect(!unaccepted.ok && unaccepted.message).toContain('does not accept');
    expect(s.verify({ body: BODY, headers: { ...headers, [SIGNATURE_ALGORITHM_HEADER]: 'Rot13' } }, key, NOW)).toMatchObject({ ok: false, status: 400 });
    expect(s.verify({ body: BODY, headers: { ...headers, [SIGNATURE_HEADER]: '***' } }, key, NOW)).toMatchObject({ ok: false, status: 400 });
    expect(s.verify({ body: BODY, headers }, null, NOW)).toMatchObject({ ok: false, status: 503 });
  });

  it('signs with other MACs and key sizes', () => {
    const s = signer({ 'inter.worker.key.generation.algorithm': 'HmacSHA512', 'inter.worker.key.size': '1024', 'inter.worker.signature.algorithm': 'HmacSHA512', 'inter.worker.verification.algorithms': 'HmacSHA256,HmacSHA512' });
    const key = s.generateKey(NOW);
    expect(key.key).toHaveLength(128);
    const headers = s.sign(key, '');
    expect(Buffer.from(headers[SIGNATURE_HEADER]!, 'base64')).toHaveLength(64);
    expect(s.verify({ body: new Uint8Array(), headers }, key, NOW)).toEqual({ ok: true });
  });

  it('refuses settings Kafka refuses, naming the key', () => {
    expect(assertErrorCode(() => signer({ 'inter.worker.signature.algorithm': 'HmacSHA512' }), 'CONFIG').message).toContain('config key `inter.worker.signature.algorithm`: `HmacSHA512` must be one of inter.worker.verification.algorithms');
    expect(assertErrorCode(() => signer({ 'inter.worker.verification.algorithms': 'HmacSHA256,MD5' }), 'CONFIG').message).toContain('`MD5` is not a MAC algorithm');
    expect(assertErrorCode(() => signer({ 'inter.worker.key.size': '32' }), 'CONFIG').message).toContain('must be at least 40 bits');
    expect(assertErrorCode(() => signer({ 'inter.worker.key.ttl.ms': '-1' }), 'CONFIG').message).toContain('inter.worker.key.ttl.ms');
  });
});
