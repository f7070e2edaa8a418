import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError, findStackScript, resolveService } from './services.ts';
import type { ServiceDefinition } from './services.ts';

/** A service that answers only on the listed addresses. */
function service(answering: string[], extra: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name: 'Thing',
    envVar: 'THING_URL',
    localAddress: '127.0.0.1:1234',
    probe: (address) => (answering.includes(address) ? Promise.resolve() : Promise.reject(new Error(`connect ECONNREFUSED ${address}`))),
    howToStart: 'run `thingd`',
    ...extra,
  };
}

describe('resolveService', () => {
  it('prefers the address in the environment', async () => {
    expect(await resolveService(service(['10.0.0.1:1', '127.0.0.1:1234']), { THING_URL: '10.0.0.1:1' })).toEqual({ address: '10.0.0.1:1', source: 'environment' });
  });

  it('fails, rather than looking elsewhere, when the environment names an address that does not answer', async () => {
    const error = await resolveService(service(['127.0.0.1:1234']), { THING_URL: '10.0.0.9:1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toContain('THING_URL=10.0.0.9:1 does not answer: connect ECONNREFUSED 10.0.0.9:1');
  });

  it('uses a service already answering on its local port', async () => {
    expect(await resolveService(service(['127.0.0.1:1234']), {})).toEqual({ address: '127.0.0.1:1234', source: 'local' });
  });

  it('falls back to a container, then fails saying every place it looked and how to start the service', async () => {
    const withContainer = service([], { container: () => Promise.resolve('127.0.0.1:5555') });
    expect(await resolveService(withContainer, {})).toEqual({ address: '127.0.0.1:5555', source: 'container' });

    const nothing = service([], { container: () => Promise.reject(new Error('Could not find a working container runtime strategy')) });
    const error = await resolveService(nothing, {}).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message.split('\n')).toEqual([
      'Thing is needed by these tests and none could be found.',
      '  - nothing answers on 127.0.0.1:1234: connect ECONNREFUSED 127.0.0.1:1234',
      '  - no container could be started: Could not find a working container runtime strategy',
      'To provide it: run `thingd`',
    ]);
  });
});

describe('findStackScript', () => {
  it('finds stack/stack from a nested folder, and nothing outside a checkout', () => {
    const root = mkdtempSync(join(tmpdir(), 'sluice-stack-'));
    mkdirSync(join(root, 'stack'));
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    writeFileSync(join(root, 'stack', 'stack'), '#!/bin/sh\n');
    expect(findStackScript(join(root, 'a', 'b'))).toBe(join(root, 'stack', 'stack'));
    expect(findStackScript(tmpdir())).toBeUndefined();
  });
});
