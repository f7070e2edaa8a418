import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueTopic } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { WORKER_ARGS, quickstartDir } from './fixtures.ts';
import { REST, allRunning, waitForLines, workersPerTest } from './worker-process.ts';

const SAMPLES = ['plain ascii line', 'café crème brûlée', '中文字符测试', 'emoji 🚀🔥 and more', 'tab\tseparated\tvalues', '"quoted" \\ backslash'];

/** Line `i` of a test file: unique, mixing one- to four-byte UTF-8 characters. */
const line = (i: number) => `${String(i).padStart(6, '0')} ${SAMPLES[i % SAMPLES.length]}`;

describe('FileStreamSource → Kafka → FileStreamSink', () => {
  const bootstrap = inject('kafkaBootstrap');
  const workers = workersPerTest(WORKER_ARGS);

  it('copies 100,000 lines with multi-byte UTF-8 byte for byte', { timeout: 180_000 }, async () => {
    const topic = uniqueTopic('pipeline');
    const dir = quickstartDir(bootstrap, { source: { topic }, sink: { topics: topic }, worker: { 'offset.flush.interval.ms': '1000' } });
    const input = Array.from({ length: 100_000 }, (_, i) => `${line(i)}\n`).join('');
    writeFileSync(join(dir, 'test.txt'), input);
    const worker = workers.start(dir);
    await worker.waitFor(`${REST}/connectors/local-file-sink/status`, allRunning);
    const output = await waitForLines(join(dir, 'test.sink.txt'), 100_000, 150_000);
    expect(Buffer.from(output).equals(Buffer.from(input))).toBe(true);
  });

  it('loses no line when the worker is killed with SIGKILL mid-stream and restarted', { timeout: 180_000 }, async () => {
    const topic = uniqueTopic('crash');
    const dir = quickstartDir(bootstrap, { source: { topic }, sink: { topics: topic }, worker: { 'offset.flush.interval.ms': '500' } });
    const total = 60_000;
    const inputFile = join(dir, 'test.txt');
    writeFileSync(inputFile, '');
    const killed = workers.start(dir);
    await killed.waitFor(`${REST}/connectors/local-file-sink/status`, allRunning);
    // Lines keep arriving while the worker dies: the kill lands mid-stream on both sides.
    for (let i = 0; i < total / 2; i += 1_000) appendFileSync(inputFile, Array.from({ length: 1_000 }, (_, j) => `${line(i + j)}\n`).join(''));
    await waitForLines(join(dir, 'test.sink.txt'), 5_000);
    expect(await killed.stop('SIGKILL')).toBeNull();
    for (let i = total / 2; i < total; i += 1_000) appendFileSync(inputFile, Array.from({ length: 1_000 }, (_, j) => `${line(i + j)}\n`).join(''));

    const restarted = workers.start(dir);
    await restarted.waitFor(`${REST}/connectors/local-file-sink/status`, allRunning);
    const expected = new Set(Array.from({ length: total }, (_, i) => line(i)));
    const deadline = Date.now() + 120_000;
    let got: string[] = [];
    while (Date.now() < deadline) {
      got = readFileSync(join(dir, 'test.sink.txt'), 'utf8').split('\n').slice(0, -1);
      if (new Set(got).size >= expected.size) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const received = new Set(got);
    const missing = [...expected].filter((l) => !received.has(l));
    const duplicates = got.length - received.size;
    console.log(`crash test: ${total} lines, ${missing.length} lost, ${duplicates} duplicates after SIGKILL and restart`);
    expect(missing).toEqual([]);
  });
});
