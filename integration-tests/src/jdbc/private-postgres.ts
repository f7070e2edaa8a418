// A PostgreSQL server of the test's own, in a temporary folder on a free port, so an outage
// test can really stop a database (`pg_ctl stop -m immediate`, as a crash or a pulled plug)
// without touching the shared server other suites use.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../standalone/worker-process.ts';

export interface PrivatePostgres {
  /** The connector's `connection.url` (database `postgres`, user `postgres`, trust auth). */
  readonly url: string;
  start(): void;
  /** Stops the server at once, as a crash would: no checkpoint, clients cut off. */
  crash(): void;
  destroy(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  if (version === undefined || !existsSync(join(root, version, 'bin', 'pg_ctl'))) {
    throw new Error(`PostgreSQL's server programs (initdb, pg_ctl) are not in ${root}/<version>/bin: install them (Debian: apt-get install postgresql) to run the outage tests`);
  }
  return join(root, version, 'bin');
}

export async function privatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sluice-pg-'));
  // PostgreSQL refuses to run as root: as root, the server runs as the `postgres` account
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (program: string, args: readonly string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), [...args]];
    execFileSync(file, argv, { stdio: 'pipe', cwd: dir });
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  const server: PrivatePostgres = {
    url: `jdbc:postgresql://127.0.0.1:${port}/postgres?user=postgres`,
    start: () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']),
    crash: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    destroy() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  server.start();
  return server;
}
