// What the benchmarks that run Apache Kafka Connect beside Sluice share: where the repository and
// the broker are, Kafka Connect 4.1.1's jars from Maven Central, and Java 17 to run them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092';
export const connectLib = join(root, '.stack/connect/lib');
/** The Sluice command, from the built worker package. */
export const sluiceBin = join(root, 'packages/worker/bin/sluice.js');

/** Fetches connect-runtime, connect-file and their dependencies into `.stack/connect/lib` once (`stack/stack jars connect`). */
export function fetchConnectJars(): void {
  if (existsSync(join(connectLib, 'connect-runtime-4.1.1.jar'))) return;
  execFileSync(join(root, 'stack/stack'), ['jars', 'connect'], { stdio: 'inherit' });
}

/** The Java 17 binary (Kafka Connect 4.1 needs 17+), or `java` when none is found where Debian puts it. */
export function java17(): string {
  const out = execFileSync('bash', ['-c', 'ls -d /usr/lib/jvm/java-17-openjdk-*/bin/java 2>/dev/null | head -1']).toString().trim();
  return out || 'java';
}

/** The command line of a Kafka Connect worker: `main` is ConnectStandalone or ConnectDistributed, with connect-*.sh's heap. */
export function connectCommand(main: 'ConnectStandalone' | 'ConnectDistributed', args: readonly string[]): [string, string[]] {
  return [java17(), ['-Xms256M', '-Xmx2G', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', `${connectLib}/*`, `org.apache.kafka.connect.cli.${main}`, ...args]];
}

/** Kafka Connect's `plugin.path` holding Debezium's JDBC sink (`stack/stack jars debezium`). */
export const debeziumPluginPath = join(root, '.stack/debezium');

/** Fetches Debezium's JDBC sink connector and its dependencies into `.stack/debezium` once. */
export function fetchDebeziumJars(): void {
  if (existsSync(join(debeziumPluginPath, 'debezium-connector-jdbc/.complete'))) return;
  execFileSync(join(root, 'stack/stack'), ['jars', 'debezium'], { stdio: 'inherit' });
}
