import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * How tests find a real service (ARCHITECTURE.md §6), in order:
 * 1. the address in the service's environment variable;
 * 2. the local stack: the service already answering on its standard loopback port, or
 *    started by the repository's `stack/stack up` (Apache jars from Maven Central);
 * 3. testcontainers, where a Docker engine exists;
 * 4. otherwise an error that says how to provide the service. A test never skips.
 */
export interface ServiceDefinition {
  readonly name: string;
  readonly envVar: string;
  /** Where the local stack serves it. */
  readonly localAddress: string;
  /** The `stack/stack` service that starts it, when the stack can. */
  readonly stackService?: string;
  /** Resolves when the address answers like the real service, rejects with the reason otherwise. */
  probe(address: string): Promise<void>;
  /** Starts a container and resolves with its address; rejects when no container runtime exists. */
  container?(): Promise<string>;
  readonly howToStart: string;
}

export interface ResolvedService {
  readonly address: string;
  readonly source: 'environment' | 'local' | 'stack' | 'container';
}

export class ServiceUnavailableError extends Error {
  constructor(service: ServiceDefinition, attempts: readonly string[]) {
    super(
      [
        `${service.name} is needed by these tests and none could be found.`,
        ...attempts.map((a) => `  - ${a}`),
        `To provide it: ${service.howToStart}`,
      ].join('\n'),
    );
    this.name = 'ServiceUnavailableError';
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

export async function resolveService(service: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedService> {
  const attempts: string[] = [];
  const fromEnv = env[service.envVar];
  if (fromEnv) {
    try {
      await service.probe(fromEnv);
      return { address: fromEnv, source: 'environment' };
    } catch (error) {
      // An address the user gave that does not answer is an error, not a reason to look elsewhere.
      throw new ServiceUnavailableError(service, [`${service.envVar}=${fromEnv} does not answer: ${reason(error)}`]);
    }
  }
  try {
    await service.probe(service.localAddress);
    return { address: service.localAddress, source: 'local' };
  } catch (error) {
    attempts.push(`nothing answers on ${service.localAddress}: ${reason(error)}`);
  }
  const stack = findStackScript();
  if (service.stackService && stack) {
    try {
      await runStack(stack, service.stackService);
      await service.probe(service.localAddress);
      return { address: service.localAddress, source: 'stack' };
    } catch (error) {
      attempts.push(`\`${stack} up ${service.stackService}\` failed: ${reason(error)}`);
    }
  }
  if (service.container) {
    try {
      return { address: await service.container(), source: 'container' };
    } catch (error) {
      attempts.push(`no container could be started: ${reason(error)}`);
    }
  }
  throw new ServiceUnavailableError(service, attempts);
}

/** The repository's stack script, found from the working directory upwards. */
export function findStackScript(from: string = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'stack', 'stack');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function runStack(script: string, service: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [script, 'up', service], { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(stderr.trim().split('\n').at(-1) ?? `exit ${code}`))));
  });
}
