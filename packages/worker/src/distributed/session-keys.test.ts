import type { Logger } from '@sluice/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestSigner, SIGNATURE_HEADER, interWorkerKeyConfig } from '../rest/request-signing.ts';
import type { SessionKey } from '../rest/request-signing.ts';
import { SessionKeys } from './session-keys.ts';
import type { SessionKeysOptions } from './session-keys.ts';

const TTL = 60_000;
const signer = new RequestSigner(interWorkerKeyConfig.parse({ 'inter.worker.key.ttl.ms': String(TTL) }));

/** A config topic that keeps the keys written, read back at once as KafkaConfigStore's writes are. */
class FakeTopic {
  readonly written: SessionKey[] = [];
  current: SessionKey | null = null;
  failures = 0;

  snapshot() {
    return { sessionKey: this.current };
  }

  putSessionKey(key: SessionKey): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error('broker unavailable'));
    }
    this.written.push(key);
    this.current = key;
    return Promise.resolve();
  }
}

function keys(topic: FakeTopic, options: Partial<SessionKeysOptions> = {}): SessionKeys {
  return new SessionKeys({ signer, topic, ttlMs: TTL, now: Date.now, ...options });
}

describe('SessionKeys', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('has a new leader write a key when the topic has none, and a follower write nothing', async () => {
    const topic = new FakeTopic();
    const follower = keys(topic);
    await follower.lead(false);
    expect(topic.written).toHaveLength(0);
    expect(follower.sign(Buffer.from('[]'))).toEqual({});

    const leader = keys(topic);
    await leader.lead(true);
    expect(topic.written).toHaveLength(1);
    expect(topic.written[0]).toMatchObject({ algorithm: 'HmacSHA256', creationTimestamp: Date.now() });
    // Every worker holds the topic's key: what one signs, another verifies.
    const headers = follower.sign(Buffer.from('[{"a":"b"}]'));
    expect(headers[SIGNATURE_HEADER]).toBeDefined();
    expect(leader.verify({ body: Buffer.from('[{"a":"b"}]'), headers })).toEqual({ ok: true });
    expect(leader.verify({ body: Buffer.from('[{"a":"c"}]'), headers })).toMatchObject({ ok: false, status: 403 });
    leader.stop();
  });

  it('keeps a live key at the start of leadership and replaces it when it has lived inter.worker.key.ttl.ms', async () => {
    const topic = new FakeTopic();
    topic.current = signer.generateKey(Date.now() - 20_000);
    const leader = keys(topic);
    await leader.lead(true);
    expect(topic.written).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(39_999);
    expect(topic.written).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(topic.written).toHaveLength(1);
    expect(topic.written[0]!.creationTimestamp).toBe(Date.now());
    // And again a TTL later, from the new key's creation.
    await vi.advanceTimersByTimeAsync(TTL);
    expect(topic.written).toHaveLength(2);
    leader.stop();
  });

  it('replaces an expired key at once when it starts leading', async () => {
    const topic = new FakeTopic();
    const old = signer.generateKey(Date.now() - TTL);
    topic.current = old;
    await keys(topic).lead(true);
    expect(topic.written).toHaveLength(1);
    expect(topic.current).not.toBe(old);
  });

  it('stops rotating when it stops leading, or when leadership ended between rebalances', async () => {
    const topic = new FakeTopic();
    const leader = keys(topic);
    await leader.lead(true);
    await leader.lead(false);
    await vi.advanceTimersByTimeAsync(3 * TTL);
    expect(topic.written).toHaveLength(1);

    const fresh = new FakeTopic();
    let leading = true;
    const other = keys(fresh, { stillLeading: () => leading });
    await other.lead(true);
    leading = false;
    await vi.advanceTimersByTimeAsync(3 * TTL);
    expect(fresh.written).toHaveLength(1);
  });

  it('follows a key another leader wrote: the next rotation is due when that key expires', async () => {
    const topic = new FakeTopic();
    const leader = keys(topic);
    await leader.lead(true);
    await vi.advanceTimersByTimeAsync(TTL / 2);
    topic.current = signer.generateKey(Date.now());
    leader.onKeyUpdate();
    await vi.advanceTimersByTimeAsync(TTL / 2);
    expect(topic.written).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(TTL / 2);
    expect(topic.written).toHaveLength(2);
    leader.stop();
  });

  it('tries again after a failed write', async () => {
    const topic = new FakeTopic();
    topic.failures = 1;
    const warnings: string[] = [];
    const logger = { warn: (_: unknown, message: string) => warnings.push(message), info: () => undefined } as unknown as Logger;
    const leader = keys(topic, { retryMs: 2_000, logger });
    await leader.lead(true);
    expect(topic.written).toHaveLength(0);
    expect(warnings[0]).toContain('writing a new session key to the config topic failed');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(topic.written).toHaveLength(1);
    leader.stop();
  });

  it('answers 503 while it holds no key, as Kafka Connect answers a worker still starting', () => {
    const topic = new FakeTopic();
    const headers = signer.sign(signer.generateKey(), '[]');
    expect(keys(topic).verify({ body: '[]', headers })).toMatchObject({ ok: false, status: 503 });
  });
});
