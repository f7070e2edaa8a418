/**
 * The file quickstart: Apache Kafka's Connect quickstart on Sluice. Copies a file into a Kafka
 * topic and from the topic into another file, with Kafka's own property files (only the
 * offsets path moved into the work folder), showing progress until the copy equals the input.
 *
 *   ./dev quickstart [lines]      (default 100,000; work folder .quickstart/)
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kafkaClient } from '@sluice/worker/kafka';

const lines = Number(process.argv[2] ?? 100_000);
const root = fileURLToPath(new URL('../../', import.meta.url));
const work = join(root, '.quickstart');
const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092';
const say = (text: string) => console.log(`[quickstart] ${text}`);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(fileURLToPath(new URL('.', import.meta.url)), work, { recursive: true, filter: (src) => !src.endsWith('.ts') });
const workerFile = join(work, 'connect-standalone.properties');
writeFileSync(workerFile, readFileSync(workerFile, 'utf8').replace('/tmp/connect.offsets', join(work, 'connect.offsets')));
const input = Array.from({ length: lines }, (_, i) => `line ${i + 1} of ${lines}: the quick brown fox jumps over the lazy dog — ünïcödé ✓\n`).join('');
writeFileSync(join(work, 'test.txt'), input);
say(`wrote ${lines.toLocaleString('en')} lines to .quickstart/test.txt`);

// A rerun starts from an empty topic, so the sink copies this run's lines only.
const admin = await kafkaClient({ bootstrapServers: bootstrap.split(','), clientId: 'sluice-quickstart' }).admin();
await admin.deleteTopics(['connect-test']).catch(() => undefined);
await admin.close();

say('starting: sluice standalone connect-standalone.properties connect-file-source.properties connect-file-sink.properties');
const started = Date.now();
const worker = spawn(process.execPath, [join(root, 'packages/worker/bin/sluice.js'), 'standalone', 'connect-standalone.properties', 'connect-file-source.properties', 'connect-file-sink.properties'], {
  cwd: work,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, SLUICE_LOG_LEVEL: process.env.SLUICE_LOG_LEVEL ?? 'warn' },
});
const out = join(work, 'test.sink.txt');
const total = Buffer.byteLength(input);
let copied = 0;
while (copied < total) {
  if (worker.exitCode !== null) {
    say(`the worker exited with code ${worker.exitCode}`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  copied = existsSync(out) ? statSync(out).size : 0;
  const done = Math.round((copied / total) * lines);
  const seconds = (Date.now() - started) / 1000;
  say(`${done.toLocaleString('en')} / ${lines.toLocaleString('en')} lines copied (${Math.round(done / seconds).toLocaleString('en')} lines/s)`);
}
worker.kill('SIGTERM');
await new Promise((resolve) => worker.on('exit', resolve));
const same = readFileSync(out).equals(Buffer.from(input));
say(same ? `done in ${((Date.now() - started) / 1000).toFixed(1)} s: .quickstart/test.sink.txt equals .quickstart/test.txt` : 'FAILED: the copy differs from the input');
process.exit(same ? 0 : 1);
