import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pluginsCommand, resolvePluginPath } from './command.ts';
import type { NpmRunner } from './npm.ts';

const root = mkdtempSync(join(tmpdir(), 'sluice-plugins-command-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const noNpm: NpmRunner = () => Promise.reject(new Error('npm is not run by these tests'));

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await pluginsCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, noNpm);
  return { code, out, err };
}

describe('the plugin path', () => {
  it('is --plugin-path, else the worker file’s first plugin.path entry, else ./plugins', async () => {
    const worker = join(root, 'worker.properties');
    writeFileSync(worker, 'bootstrap.servers=localhost:9092\nplugin.path = /opt/sluice/plugins, /usr/share/sluice\n');
    expect(await resolvePluginPath({ 'plugin-path': 'here', 'worker-config': worker })).toBe(resolve('here'));
    expect(await resolvePluginPath({ 'worker-config': worker })).toBe('/opt/sluice/plugins');
    expect(await resolvePluginPath({})).toBe(resolve('plugins'));
  });

  it('refuses a worker file without plugin.path, saying what to do', async () => {
    const worker = join(root, 'bare.properties');
    writeFileSync(worker, 'bootstrap.servers=localhost:9092\n');
    expect(await run(['list', '--worker-config', worker])).toEqual({
      code: 1,
      out: [],
      err: [`sluice plugins list: ${worker} has no plugin.path; add one (plugin.path=/opt/sluice/plugins) or give --plugin-path`],
    });
  });
});

describe('sluice plugins', () => {
  it('answers a missing action, a missing or extra argument and an unknown option with usage and 2', async () => {
    for (const args of [[], ['install'], ['remove'], ['list', 'extra'], ['install', 'a', 'b'], ['upgrade', 'a'], ['list', '--plugin-dir', 'x']]) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.join('\n')).toContain('usage: sluice plugins install');
    }
    expect((await run(['--help'])).code).toBe(0);
  });

  it('lists an empty plugin path, and names what is installed when removing what is not', async () => {
    const path = join(root, 'empty');
    const listed = await run(['list', '--plugin-path', path]);
    expect(listed.code).toBe(0);
    expect(listed.out[0]).toBe(`no plugins in ${path}`);
    expect(await run(['remove', 'nothing', '--plugin-path', path])).toEqual({ code: 1, out: [], err: [`sluice plugins remove: nothing is not installed in ${path} (installed: none)`] });
    expect((await run(['remove', 'nothing@1.0.0', '--plugin-path', path])).err).toEqual(['sluice plugins remove: `nothing@1.0.0` is not an npm package name (give the name only, without a version)']);
  });
});
