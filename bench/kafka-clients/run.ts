/**
 * bench/kafka-clients: both Kafka port adapters, same broker, same run. Each produces N records
 * of 100 bytes (acks=all, idempotent) and then consumes them all through a group, the way the
 * source and sink runners use the port. Prints records/s for each and the ratio last.
 *
 *   pnpm --filter @sluice/bench kafka-clients [records]      (default 1,000,000)
 *
 * Needs a broker: KAFKA_BOOTSTRAP_SERVERS, or the local stack (`./dev stack up`).
 */
import { randomUUID } from 'node:crypto';
import { kafkaClient, kafkaClientNames } from '@sluice/worker/kafka';
import type { KafkaClient, ProducerRecord } from '@sluice/worker/kafka';

const total = Number(process.argv[2] ?? 1_000_000);
const batch = 10_000;
const bootstrap = (process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092').split(',');

interface Result {
  readonly client: string;
  readonly produce: number;
  readonly consume: number;
}

const rate = (records: number, ms: number) => Math.round((records * 1000) / ms);

async function measure(client: KafkaClient): Promise<Result> {
  const topic = `bench-${client.name}-${randomUUID().slice(0, 8)}`;
  const admin = await client.admin();
  await admin.createTopics([{ name: topic, partitions: 3 }]);
  await admin.close();

  const value = new Uint8Array(100).fill(120);
  const records: ProducerRecord[] = Array.from({ length: batch }, (_, i) => ({ topic, key: new TextEncoder().encode(`key-${i}`), value }));
  const producer = await client.producer();
  let started = performance.now();
  for (let sent = 0; sent < total; sent += batch) {
    await producer.send(sent + batch <= total ? records : records.slice(0, total - sent));
  }
  const produce = rate(total, performance.now() - started);
  await producer.close();

  const consumer = await client.consumer({ groupId: `bench-${randomUUID()}`, maxBufferedRecords: 50_000 });
  started = performance.now();
  await consumer.subscribe([topic]);
  let received = 0;
  while (received < total) {
    const got = await consumer.poll(1_000, 5_000);
    received += got.length;
  }
  const consume = rate(total, performance.now() - started);
  await consumer.close();
  return { client: client.name, produce, consume };
}

const results: Result[] = [];
for (const name of kafkaClientNames) {
  const result = await measure(kafkaClient({ bootstrapServers: bootstrap, clientId: `bench-${name}` }, name));
  console.log(`${name.padEnd(13)} produce ${result.produce.toLocaleString('en')} records/s   consume ${result.consume.toLocaleString('en')} records/s`);
  results.push(result);
}
const [first, second] = results as [Result, Result];
console.log(
  `ratio ${first.client}/${second.client}: produce ${(first.produce / second.produce).toFixed(2)}x, consume ${(first.consume / second.consume).toFixed(2)}x (${total.toLocaleString('en')} records of 100 bytes)`,
);
