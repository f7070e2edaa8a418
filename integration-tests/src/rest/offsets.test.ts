import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTopic, produceRecords, readTopic, uniqueTopic } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { waitForLines } from '../standalone/worker-process.ts';
import { inState, restWorkerPerFile } from './rest-worker.ts';

const MUST_STOP = (name: string) =>
  `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`;

/** KIP-875 offsets over REST, with a real file source, file sink, broker and offset file. */
describe('REST /connectors/{c}/offsets on a standalone worker', () => {
  const bootstrap = inject('kafkaBootstrap');
  const worker = restWorkerPerFile(bootstrap);

  it('shows a source’s offsets, refuses changes while it runs, and after a reset of the stopped connector it reads its file again from the start', async () => {
    const name = worker().name('src-offsets');
    const topic = uniqueTopic('rest-src-offsets');
    const file = join(worker().dir, `${name}.txt`);
    writeFileSync(file, 'alpha\nbeta\ngamma\n');
    expect((await worker().call('POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSource', file, topic } })).status).toBe(201);
    await readTopic(bootstrap, topic, 3);
    const committed = { offsets: [{ partition: { filename: file }, offset: { position: 17 } }] };
    await worker().waitFor(`/connectors/${name}/offsets`, (body) => JSON.stringify(body) === JSON.stringify(committed));

    const running = await worker().call('DELETE', `/connectors/${name}/offsets`);
    expect(running).toEqual({ status: 400, body: { error_code: 400, message: MUST_STOP(name) }, headers: expect.anything() as unknown });
    expect((await worker().call('PATCH', `/connectors/${name}/offsets`, committed)).status).toBe(400);

    expect((await worker().call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    expect((await worker().call('PATCH', `/connectors/${name}/offsets`, { offsets: [] })).body).toEqual({
      error_code: 400,
      message: 'Partitions / offsets need to be provided for an alter offsets request',
    });
    // The connector's alterOffsets refuses an offset without a position.
    const refused = await worker().call('PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { filename: file }, offset: { line: 2 } }] });
    expect(refused.status).toBe(400);
    expect((refused.body as { message: string }).message).toContain("contain the key 'position'");

    const altered = await worker().call('PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { filename: file }, offset: { position: 6 } }] });
    expect(altered).toMatchObject({ status: 200, body: { message: 'The offsets for this connector have been altered successfully' } });
    expect((await worker().call('GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [{ partition: { filename: file }, offset: { position: 6 } }] });

    const reset = await worker().call('DELETE', `/connectors/${name}/offsets`);
    expect(reset).toMatchObject({ status: 200, body: { message: 'The offsets for this connector have been reset successfully' } });
    expect((await worker().call('GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });

    expect((await worker().call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    const all = await readTopic(bootstrap, topic, 6);
    expect(all.map((r) => r.value?.toString())).toEqual(['alpha', 'beta', 'gamma', 'alpha', 'beta', 'gamma']);
    await worker().call('DELETE', `/connectors/${name}`);
  });

  it('shows a sink’s consumer group offsets in Kafka Connect’s shape, pauses its consumer, and rewinds it when stopped', async () => {
    const name = worker().name('sink-offsets');
    const topic = uniqueTopic('rest-sink-offsets');
    const out = join(worker().dir, `${name}.out`);
    await createTopic(bootstrap, topic);
    await produceRecords(bootstrap, topic, ['r0', 'r1', 'r2'].map((value) => ({ value })));
    expect((await worker().call('POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSink', file: out, topics: topic } })).status).toBe(201);
    await waitForLines(out, 3);
    const at3 = { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 3 } }] };
    await worker().waitFor(`/connectors/${name}/offsets`, (body) => JSON.stringify(body) === JSON.stringify(at3));

    // Paused, the sink's partitions deliver nothing; resumed, what arrived meanwhile is written.
    expect((await worker().call('PUT', `/connectors/${name}/pause`)).status).toBe(202);
    await worker().waitFor(`/connectors/${name}/status`, inState('PAUSED'));
    await produceRecords(bootstrap, topic, [{ value: 'r3' }]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await expect(waitForLines(out, 4, 500)).rejects.toThrow('has 3 of 4 lines');
    expect((await worker().call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await waitForLines(out, 4);

    expect((await worker().call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    const at4 = { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 4 } }] };
    expect((await worker().call('GET', `/connectors/${name}/offsets`)).body).toEqual(at4);
    const bad = await worker().call('PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic }, offset: { kafka_offset: 1 } }] });
    expect(bad.body).toEqual({ error_code: 400, message: "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'" });

    const altered = await worker().call('PATCH', `/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 2 } }] });
    expect(altered.status).toBe(200);
    // FileStreamSink's alterOffsets answers true, as Apache's does: its only offsets are the group's.
    expect(altered.body).toEqual({ message: 'The offsets for this connector have been altered successfully' });
    expect((await worker().call('GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 2 } }] });

    expect((await worker().call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    expect((await waitForLines(out, 6)).split('\n').slice(0, 6)).toEqual(['r0', 'r1', 'r2', 'r3', 'r2', 'r3']);

    expect((await worker().call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    const reset = await worker().call('DELETE', `/connectors/${name}/offsets`);
    expect(reset.body).toEqual({ message: 'The offsets for this connector have been reset successfully' });
    expect((await worker().call('GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
    await worker().call('DELETE', `/connectors/${name}`);
  });
});
