import net from 'node:net';
import { hasErrorCode } from '@sluice/core';
import { createTopic, readTopic, uniqueTopic } from '@sluice/testkit';
import { kafkaErrorCode, partitionForKey } from '@sluice/worker/kafka';
import type { ConsumedRecord, KafkaClient, KafkaClientOptions, KafkaConsumer, TopicPartition } from '@sluice/worker/kafka';
import { afterAll, describe, expect, inject, it } from 'vitest';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

/** Polls until `count` records arrived or `timeoutMs` passed. */
async function pollUntil(consumer: KafkaConsumer, count: number, timeoutMs = 20_000): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (records.length < count && Date.now() < deadline) {
    records.push(...(await consumer.poll(500)));
  }
  return records;
}

/** Polls for `ms` and returns whatever arrived: for asserting that nothing does. */
async function pollFor(consumer: KafkaConsumer, ms: number): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) records.push(...(await consumer.poll(200)));
  return records;
}

/**
 * The behaviour every adapter of the Kafka port must show against a real broker. Each adapter
 * runs it from its own test file.
 */
export function describeKafkaPort(name: string, makeClient: (options: KafkaClientOptions) => KafkaClient): void {
  describe(`Kafka port: ${name}`, () => {
    const bootstrap = inject('kafkaBootstrap');
    const client = makeClient({ bootstrapServers: bootstrap.split(','), clientId: `conformance-${name}` });
    const closers: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    });
    async function consumerOf(topic: string, groupId = uniqueTopic('group')): Promise<KafkaConsumer> {
      const consumer = await client.consumer({ groupId, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500 });
      closers.push(() => consumer.close());
      await consumer.subscribe([topic]);
      return consumer;
    }

    it('produces and consumes keys, values, tombstones and ordered multi-valued headers', async () => {
      const topic = uniqueTopic('roundtrip');
      await createTopic(bootstrap, topic, 3);
      const producer = await client.producer();
      closers.push(() => producer.close());
      const sent = await producer.send([
        { topic, key: bytes('user-1'), value: bytes('{"n":1}'), headers: [{ key: 'h', value: bytes('a') }, { key: 'h', value: bytes('b') }, { key: 'other', value: bytes('c') }] },
        { topic, key: bytes('user-1'), value: bytes('{"n":2}') },
        { topic, key: bytes('user-1'), value: null },
        { topic, key: null, value: bytes('no key'), partition: 2 },
      ]);
      // Keyed records land where Java's default partitioner puts them.
      expect(sent.slice(0, 3).map((m) => m.partition)).toEqual(Array(3).fill(partitionForKey(bytes('user-1'), 3)));
      expect(sent[1]!.offset).toBe(sent[0]!.offset + 1n);
      expect(sent[3]!.partition).toBe(2);

      const consumer = await consumerOf(topic);
      const got = await pollUntil(consumer, 4);
      const keyed = got.filter((r) => text(r.key) === 'user-1');
      expect(keyed.map((r) => text(r.value))).toEqual(['{"n":1}', '{"n":2}', null]);
      expect(keyed[0]!.headers.map((h) => [h.key, text(h.value)])).toEqual([['h', 'a'], ['h', 'b'], ['other', 'c']]);
      expect(keyed.map((r) => r.offset)).toEqual(sent.slice(0, 3).map((m) => m.offset));
      const unkeyed = got.find((r) => r.key === null);
      expect(unkeyed).toMatchObject({ partition: 2 });
      expect(text(unkeyed!.value)).toBe('no key');
    });

    it('delivers one send larger than the broker’s 1 MiB batch limit — 1,000 records of 1.1 kB — in order, offsets consecutive', async () => {
      const topic = uniqueTopic('large-send');
      await createTopic(bootstrap, topic, 1);
      const producer = await client.producer();
      closers.push(() => producer.close());
      const sent = await producer.send(Array.from({ length: 1000 }, (_, i) => ({ topic, key: bytes(String(i)), value: Buffer.alloc(1100, i % 256) })));
      expect(sent.map((m) => m.offset)).toEqual(Array.from({ length: 1000 }, (_, i) => sent[0]!.offset + BigInt(i)));
      const got = await pollUntil(await consumerOf(topic), 1000);
      expect(got.map((r) => text(r.key))).toEqual(Array.from({ length: 1000 }, (_, i) => String(i)));
    });

    it('resumes a group from the offset it committed, not from what it read', async () => {
      const topic = uniqueTopic('commit');
      await createTopic(bootstrap, topic, 1);
      const producer = await client.producer();
      closers.push(() => producer.close());
      await producer.send(Array.from({ length: 10 }, (_, i) => ({ topic, key: null, value: bytes(`m${i}`), partition: 0 })));
      const groupId = uniqueTopic('group');
      const first = await consumerOf(topic, groupId);
      expect((await pollUntil(first, 10)).length).toBe(10);
      await first.commit([{ topic, partition: 0, offset: 6n }]);
      expect(await first.committed([{ topic, partition: 0 }])).toEqual([{ topic, partition: 0, offset: 6n }]);
      await first.close();

      const second = await consumerOf(topic, groupId);
      const resumed = await pollUntil(second, 4);
      expect(resumed.map((r) => text(r.value))).toEqual(['m6', 'm7', 'm8', 'm9']);
    });

    it('pauses one partition without losing its records, and seeks back', async () => {
      const topic = uniqueTopic('pause');
      await createTopic(bootstrap, topic, 2);
      const producer = await client.producer();
      closers.push(() => producer.close());
      const consumer = await consumerOf(topic);
      const p0: TopicPartition = { topic, partition: 0 };
      consumer.pause([p0]);
      expect(consumer.paused()).toEqual([p0]);
      await producer.send([0, 1, 2, 3].flatMap((i) => [0, 1].map((partition) => ({ topic, partition, key: null, value: bytes(`p${partition}-${i}`) }))));

      const whilePaused = await pollUntil(consumer, 4);
      expect(whilePaused.map((r) => text(r.value))).toEqual(['p1-0', 'p1-1', 'p1-2', 'p1-3']);
      expect(await pollFor(consumer, 1_500)).toEqual([]);

      consumer.resume([p0]);
      const afterResume = await pollUntil(consumer, 4);
      expect(afterResume.map((r) => text(r.value))).toEqual(['p0-0', 'p0-1', 'p0-2', 'p0-3']);

      consumer.seek({ topic, partition: 1 }, 2n);
      const reread = await pollUntil(consumer, 2);
      expect(reread.map((r) => text(r.value))).toEqual(['p1-2', 'p1-3']);
    });

    it('reports the partitions the group assigns', async () => {
      const topic = uniqueTopic('assign');
      await createTopic(bootstrap, topic, 2);
      const consumer = await client.consumer({ groupId: uniqueTopic('group') });
      closers.push(() => consumer.close());
      const assigned: TopicPartition[] = [];
      await consumer.subscribe([topic], { onAssigned: (tps) => void assigned.push(...tps) });
      const sorted = (tps: TopicPartition[]) => [...tps].sort((a, b) => a.partition - b.partition);
      expect(sorted(consumer.assignment())).toEqual([{ topic, partition: 0 }, { topic, partition: 1 }]);
      expect(sorted(assigned)).toEqual([{ topic, partition: 0 }, { topic, partition: 1 }]);
    });

    it('creates and describes topics with configs, lists topic and group offsets', async () => {
      const admin = await client.admin();
      closers.push(() => admin.close());
      const topic = uniqueTopic('admin');
      await admin.createTopics([{ name: topic, partitions: 3, replicationFactor: 1, configs: { 'cleanup.policy': 'compact', 'retention.ms': '3600000' } }]);
      await admin.createTopics([{ name: topic, partitions: 3 }]);
      const [description] = await admin.describeTopics([topic]);
      expect(description).toMatchObject({ name: topic, partitions: 3 });
      expect(description!.configs).toMatchObject({ 'cleanup.policy': 'compact', 'retention.ms': '3600000' });

      const producer = await client.producer();
      closers.push(() => producer.close());
      await producer.send(Array.from({ length: 5 }, (_, i) => ({ topic, partition: 1, key: bytes(`k${i}`), value: bytes('v') })));
      const latest = await admin.listOffsets(topic, 'latest');
      expect(latest.sort((a, b) => a.partition - b.partition).map((o) => o.offset)).toEqual([0n, 5n, 0n]);
      expect((await admin.listOffsets(topic, 'earliest')).map((o) => o.offset)).toEqual([0n, 0n, 0n]);

      const groupId = uniqueTopic('group');
      const consumer = await consumerOf(topic, groupId);
      await pollUntil(consumer, 5);
      await consumer.commit([{ topic, partition: 1, offset: 5n }]);
      expect(await admin.groupOffsets(groupId, topic)).toEqual([{ topic, partition: 1, offset: 5n }]);

      expect(await admin.clusterId()).toMatch(/^[\w-]{22}$/);

      await admin.deleteTopics([topic]);
    });

    it('alters and deletes the committed offsets of a group without members, over every topic', async () => {
      const admin = await client.admin();
      closers.push(() => admin.close());
      const [one, two] = [uniqueTopic('group-a'), uniqueTopic('group-b')];
      await createTopic(bootstrap, one, 2);
      await createTopic(bootstrap, two, 1);
      const groupId = uniqueTopic('group');
      const byPartition = (offsets: { topic: string; partition: number; offset: bigint }[]) =>
        [...offsets].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));

      await admin.alterGroupOffsets(groupId, [
        { topic: one, partition: 0, offset: 3n },
        { topic: one, partition: 1, offset: 0n },
        { topic: two, partition: 0, offset: 7n },
      ]);
      expect(byPartition(await admin.groupOffsets(groupId))).toEqual(byPartition([
        { topic: one, partition: 0, offset: 3n },
        { topic: one, partition: 1, offset: 0n },
        { topic: two, partition: 0, offset: 7n },
      ]));
      expect(await admin.groupOffsets(groupId, two)).toEqual([{ topic: two, partition: 0, offset: 7n }]);

      await admin.deleteGroupOffsets(groupId, [{ topic: one, partition: 0 }]);
      expect(byPartition(await admin.groupOffsets(groupId))).toEqual(byPartition([
        { topic: one, partition: 1, offset: 0n },
        { topic: two, partition: 0, offset: 7n },
      ]));
      await admin.deleteGroupOffsets(groupId, [{ topic: one, partition: 1 }, { topic: two, partition: 0 }]);
      expect(await admin.groupOffsets(groupId)).toEqual([]);
    });

    it('commits records in a transaction', async () => {
      const topic = uniqueTopic('txn');
      await createTopic(bootstrap, topic, 1);
      const producer = await client.producer({ transactionalId: uniqueTopic('txn-id') });
      closers.push(() => producer.close());
      const transaction = await producer.beginTransaction();
      const sent = await transaction.send([{ topic, key: bytes('k'), value: bytes('in-txn') }]);
      await transaction.commit();
      expect(sent[0]!.offset).toBe(0n);
      const read = await readTopic(bootstrap, topic, 1);
      expect(read.map((r) => r.value?.toString())).toEqual(['in-txn']);
    });

    it('reads committed transactions only, and its position moves past their markers and aborted records', async () => {
      const topic = uniqueTopic('txn-position');
      await createTopic(bootstrap, topic, 1);
      const producer = await client.producer({ transactionalId: uniqueTopic('txn-id') });
      closers.push(() => producer.close());
      const committed = await producer.beginTransaction();
      await committed.send([{ topic, key: null, value: bytes('a') }, { topic, key: null, value: bytes('b') }]);
      await committed.commit();
      const aborted = await producer.beginTransaction();
      await aborted.send([{ topic, key: null, value: bytes('dropped') }]);
      await aborted.abort();
      const admin = await client.admin();
      closers.push(() => admin.close());
      const [end] = await admin.listOffsets(topic, 'latest');
      // Two records, their commit marker, the aborted record and its abort marker.
      expect(end!.offset).toBe(5n);

      const consumer = await consumerOf(topic);
      expect((await pollUntil(consumer, 2)).map((r) => text(r.value))).toEqual(['a', 'b']);
      const tp = { topic, partition: 0 };
      const deadline = Date.now() + 10_000;
      while (consumer.position(tp) !== 5n && Date.now() < deadline) expect(await consumer.poll(200)).toEqual([]);
      expect(consumer.position(tp)).toBe(5n);
    });

    it('fences a transactional id: the producer using it can no longer commit, and what it sent is never read', async () => {
      const topic = uniqueTopic('fence');
      await createTopic(bootstrap, topic, 1);
      const transactionalId = uniqueTopic('fenced-id');
      const zombie = await client.producer({ transactionalId });
      closers.push(() => zombie.close());
      const open = await zombie.beginTransaction();
      await open.send([{ topic, key: null, value: bytes('zombie') }]);

      const admin = await client.admin();
      closers.push(() => admin.close());
      await admin.fenceProducers([transactionalId, uniqueTopic('never-used-id')]);
      await expect(open.commit()).rejects.toThrow();
      // Nothing a fenced producer sends afterwards may land, in a transaction or outside one.
      await expect(open.send([{ topic, key: null, value: bytes('late') }])).rejects.toThrow();

      const successor = await client.producer({ transactionalId });
      closers.push(() => successor.close());
      const next = await successor.beginTransaction();
      await next.send([{ topic, key: null, value: bytes('successor') }]);
      await next.commit();
      const consumer = await consumerOf(topic);
      expect((await pollUntil(consumer, 1)).map((r) => text(r.value))).toEqual(['successor']);
      expect(await pollFor(consumer, 1_000)).toEqual([]);
    });

    it('runs a group with a custom protocol: the leader assigns bytes, a member leaves, the other rejoins', async () => {
      const groupId = uniqueTopic('membership');
      const options = (id: string) => ({
        groupId,
        protocolType: 'sluice-conformance',
        protocols: [{ name: 'v1', metadata: bytes(`worker-${id}`) }],
        sessionTimeoutMs: 6_000,
        rebalanceTimeoutMs: 10_000,
      });
      const a = await client.groupMember(options('a'));
      const b = await client.groupMember(options('b'));
      closers.push(() => a.leave(), () => b.leave());

      const soloA = await a.join();
      expect(soloA).toMatchObject({ isLeader: true, protocol: 'v1' });
      await a.sync(new Map([[soloA.memberId, bytes('all work')]]));

      // b joining forces a rebalance: a learns it from its heartbeat and joins again.
      const joinB = b.join();
      await expect.poll(async () => kafkaErrorCode(await a.heartbeat().catch((e: unknown) => e)), { timeout: 10_000, interval: 300 }).toBe('REBALANCE');
      const [joinedA, joinedB] = await Promise.all([a.join(), joinB]);
      const leader = joinedA.isLeader ? joinedA : joinedB;
      expect([joinedA.isLeader, joinedB.isLeader].sort()).toEqual([false, true]);
      expect(joinedA.generationId).toBe(joinedB.generationId);
      expect(leader.members.map((m) => text(m.metadata)).sort()).toEqual(['worker-a', 'worker-b']);
      const plan = new Map([
        [joinedA.memberId, bytes('tasks 0,1')],
        [joinedB.memberId, bytes('tasks 2,3')],
      ]);
      const [gotA, gotB] = await Promise.all([a.sync(joinedA.isLeader ? plan : undefined), b.sync(joinedB.isLeader ? plan : undefined)]);
      expect([text(gotA), text(gotB)]).toEqual(['tasks 0,1', 'tasks 2,3']);
      await a.heartbeat();

      await b.leave();
      await expect.poll(async () => kafkaErrorCode(await a.heartbeat().catch((e: unknown) => e)), { timeout: 10_000, interval: 300 }).toBe('REBALANCE');
      // Metadata may change between joins: the coordinator hands the leader what this join offered.
      const alone = await a.join([{ name: 'v1', metadata: bytes('worker-a, rejoined') }]);
      expect(alone).toMatchObject({ isLeader: true, generationId: joinedA.generationId + 1 });
      expect(alone.members.map((m) => text(m.metadata))).toEqual(['worker-a, rejoined']);
      expect(text(await a.sync(new Map([[alone.memberId, bytes('everything')]])))).toBe('everything');
    });

    it('keeps a member that vanished without leaving until its session timed out, as a crashed one', async () => {
      const groupId = uniqueTopic('membership');
      const options = (id: string) => ({
        groupId,
        protocolType: 'sluice-conformance',
        protocols: [{ name: 'v1', metadata: bytes(`worker-${id}`) }],
        sessionTimeoutMs: 6_000,
        rebalanceTimeoutMs: 10_000,
      });
      const a = await client.groupMember(options('a'));
      const b = await client.groupMember(options('b'));
      closers.push(() => a.leave(), () => b.leave());
      const soloA = await a.join();
      await a.sync(new Map([[soloA.memberId, bytes('all')]]));
      const joinB = b.join();
      await expect.poll(async () => kafkaErrorCode(await a.heartbeat().catch((e: unknown) => e)), { timeout: 10_000, interval: 300 }).toBe('REBALANCE');
      const [joinedA, joinedB] = await Promise.all([a.join(), joinB]);
      const plan = new Map([
        [joinedA.memberId, bytes('a')],
        [joinedB.memberId, bytes('b')],
      ]);
      await Promise.all([a.sync(joinedA.isLeader ? plan : undefined), b.sync(joinedB.isLeader ? plan : undefined)]);

      await b.abandon();
      const abandonedAt = Date.now();
      await expect(b.heartbeat()).rejects.toThrow(/has left/);
      await expect.poll(async () => kafkaErrorCode(await a.heartbeat().catch((e: unknown) => e)), { timeout: 15_000, interval: 500 }).toBe('REBALANCE');
      // Not before the session timeout (less a heartbeat's rounding): the coordinator heard no LeaveGroup.
      expect(Date.now() - abandonedAt).toBeGreaterThan(5_000);
      const alone = await a.join();
      expect(alone.members.map((m) => text(m.metadata))).toEqual(['worker-a']);
    });

    describe('bad input', () => {
      it('fails naming a refused broker address within the connect timeout', async () => {
        const refused = makeClient({ bootstrapServers: ['127.0.0.1:1'], clientId: 'refused', connectTimeoutMs: 2_000 });
        const started = Date.now();
        const error = await refused.admin().catch((e: unknown) => e);
        expect(kafkaErrorCode(error)).toBe('CONNECTION');
        expect(hasErrorCode(error, 'CONNECTION')).toBe(true);
        expect((error as Error).message).toContain('127.0.0.1:1');
        expect(Date.now() - started).toBeLessThan(4_000);
      });

      it('fails naming a broker that accepts connections but never answers, within the connect timeout', async () => {
        const silent = net.createServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
        const address = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
        try {
          const mute = makeClient({ bootstrapServers: [address], clientId: 'silent', connectTimeoutMs: 1_500, requestTimeoutMs: 1_000 });
          const started = Date.now();
          const error = await mute.producer().catch((e: unknown) => e);
          expect(kafkaErrorCode(error)).toBe('CONNECTION');
          expect((error as Error).message).toContain(address);
          expect(Date.now() - started).toBeLessThan(3_500);
        } finally {
          silent.close();
        }
      });

      it('rejects invalid client options naming the key', () => {
        const attempt = (options: Partial<KafkaClientOptions>) => {
          try {
            makeClient({ bootstrapServers: ['127.0.0.1:9092'], clientId: 'x', ...options });
            return undefined;
          } catch (error) {
            return error as Error;
          }
        };
        expect(attempt({ bootstrapServers: ['kafka-without-port'] })?.message).toBe('config key `bootstrap.servers`: `kafka-without-port` is not a host:port address');
        expect(attempt({ bootstrapServers: [] })?.message).toMatch(/^config key `bootstrap\.servers`:/);
        expect(attempt({ connectTimeoutMs: -5 })?.message).toMatch(/^config key `connect\.timeout\.ms`: .*`-5`/);
        const badRequestTimeout = attempt({ requestTimeoutMs: 0 });
        expect(kafkaErrorCode(badRequestTimeout)).toBe('CONFIG');
        expect(hasErrorCode(badRequestTimeout, 'CONFIG')).toBe(true);
      });
    });
  });
}
