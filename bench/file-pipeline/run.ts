/**
 * bench/file-pipeline: Apache Kafka's file quickstart pipeline — FileStreamSource → Kafka →
 * FileStreamSink, JsonConverter with schemas — run by Sluice and by Apache Kafka Connect 4.1.1
 * (connect-runtime and connect-file from Maven Central) on the same broker, with the same
 * worker settings, one after the other in one run. For each: start-up (process start to both
 * connectors and their tasks RUNNING), time to the first line in the sink file, records/s
 * (every line, from RUNNING to the last line in the sink file), seconds from process start
 * until the last line is in the sink file, and peak RSS. Ratios last.
 *
 *   ./dev pnpm build && ./dev pnpm --filter @sluice/bench run file-pipeline [lines]   (default 1,000,000)
 *
 * Needs Java 17 and Maven (for Kafka Connect's jars) and a broker: KAFKA_BOOTSTRAP_SERVERS or
 * the local stack (`./dev stack up`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, connectCommand, fetchConnectJars, sluiceBin } from '../lib/kafka-connect.ts';

const lines = Number(process.argv[2] ?? 1_000_000);

interface Side {
  readonly name: string;
  readonly port: number;
  command(dir: string): [string, string[]];
}

interface Result {
  readonly name: string;
  readonly startupMs: number;
  readonly firstRecordMs: number;
  readonly lastRecordS: number;
  readonly recordsPerSecond: number;
  readonly peakRssMb: number;
}

const sides: Side[] = [
  {
    name: 'sluice',
    port: 28083,
    command: () => [process.execPath, [sluiceBin, 'standalone', 'worker.properties', 'source.properties', 'sink.properties']],
  },
  {
    name: 'kafka-connect',
    port: 18083,
    command: () => connectCommand('ConnectStandalone', ['worker.properties', 'source.properties', 'sink.properties']),
  },
];

function prepare(side: Side, input: string): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-${side.name}-`));
  const topic = `bench-file-${side.name}-${Date.now()}`;
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `bootstrap.servers=${bootstrap}`,
      'key.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable=true',
      'value.converter.schemas.enable=true',
      `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
      'offset.flush.interval.ms=10000',
      `listeners=http://127.0.0.1:${side.port}`,
    ].join('\n'),
  );
  // Each side's sink has its own consumer group (`connect-<name>`).
  writeFileSync(join(dir, 'source.properties'), `name=bench-source\nconnector.class=FileStreamSource\ntasks.max=1\nfile=${input}\ntopic=${topic}\n`);
  writeFileSync(join(dir, 'sink.properties'), `name=bench-sink-${side.name}\nconnector.class=FileStreamSink\ntasks.max=1\nfile=${join(dir, 'out.txt')}\ntopics=${topic}\n`);
  return dir;
}

async function running(side: Side): Promise<boolean> {
  for (const name of ['bench-source', `bench-sink-${side.name}`]) {
    try {
      const status = (await (await fetch(`http://127.0.0.1:${side.port}/connectors/${name}/status`)).json()) as { connector?: { state?: string }; tasks?: { state?: string }[] };
      if (status.connector?.state !== 'RUNNING' || status.tasks?.[0]?.state !== 'RUNNING') return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Peak resident set size of a live process, from /proc (VmHWM). */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function measure(side: Side, input: string, inputBytes: number): Promise<Result> {
  console.log(`running ${side.name} …`);
  const dir = prepare(side, input);
  const out = join(dir, 'out.txt');
  const [command, args] = side.command(dir);
  const started = performance.now();
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const since = () => performance.now() - started;
  let startupMs = NaN;
  let firstRecordMs = NaN;
  const deadline = started + 600_000;
  try {
    while (performance.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${side.name} exited with ${child.exitCode}: ${stderr}`);
      if (Number.isNaN(startupMs) && (await running(side))) startupMs = since();
      const size = existsSync(out) ? statSync(out).size : 0;
      if (Number.isNaN(firstRecordMs) && size > 0) firstRecordMs = since();
      if (size >= inputBytes) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const lastRecordMs = since();
    if (readFileSync(out).length !== inputBytes) throw new Error(`${side.name}: the sink file does not match the input within 10 minutes: ${stderr.slice(-2000)}`);
    const peak = peakRssMb(child.pid!);
    // Throughput of the running pipeline: every line, from both connectors RUNNING to the last line in the sink file.
    return { name: side.name, startupMs, firstRecordMs, lastRecordS: lastRecordMs / 1000, recordsPerSecond: Math.round((lines * 1000) / (lastRecordMs - startupMs)), peakRssMb: peak };
  } finally {
    child.kill('SIGKILL');
  }
}

fetchConnectJars();
const input = join(mkdtempSync(join(tmpdir(), 'bench-input-')), 'input.txt');
writeFileSync(input, Array.from({ length: lines }, (_, i) => `${String(i).padStart(8, '0')} ${'x'.repeat(90)}\n`).join(''));
const inputBytes = statSync(input).size;

const [sluice, connect] = [await measure(sides[0]!, input, inputBytes), await measure(sides[1]!, input, inputBytes)];
for (const r of [sluice, connect]) {
  console.log(
    `${r.name.padEnd(14)} start-up ${r.startupMs.toFixed(0)} ms   first record ${r.firstRecordMs.toFixed(0)} ms   ${r.recordsPerSecond.toLocaleString('en')} records/s   last line at ${r.lastRecordS.toFixed(1)} s   peak RSS ${r.peakRssMb.toFixed(0)} MB`,
  );
}
console.log(
  `ratios sluice/kafka-connect (${lines.toLocaleString('en')} lines of 100 bytes): throughput ${(sluice.recordsPerSecond / connect.recordsPerSecond).toFixed(2)}x, ` +
    `peak RSS ${(sluice.peakRssMb / connect.peakRssMb).toFixed(2)}x, start-up ${(sluice.startupMs / connect.startupMs).toFixed(2)}x, first record ${(sluice.firstRecordMs / connect.firstRecordMs).toFixed(2)}x`,
);
