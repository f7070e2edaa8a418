// examples/jdbc as a newcomer runs it (`./dev example jdbc`), on a small table: it must end by
// finding MariaDB's copy equal to PostgreSQL's table.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const RUN = fileURLToPath(new URL('../../../examples/jdbc/run.ts', import.meta.url));

describe('examples/jdbc', () => {
  const bootstrap = inject('kafkaBootstrap');

  it('streams a PostgreSQL table through Kafka into MariaDB and finds both equal', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, ['--conditions=@sluice/source', RUN, '5000'], { env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: bootstrap }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toContain('added 1,000 rows to PostgreSQL while streaming');
    expect(output).toMatch(/done in [\d.]+ s: MariaDB's shop_orders equals PostgreSQL's, 6,000 rows/);
    expect(code).toBe(0);
  });
});
