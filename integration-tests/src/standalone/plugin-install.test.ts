import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTopic, uniqueTopic } from '@sluice/testkit';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { WorkerProcess, allRunning, freePort, propertiesText } from './worker-process.ts';

const CLI = fileURLToPath(new URL('../../../packages/worker/src/cli.ts', import.meta.url));
const CORE_DIR = realpathSync(fileURLToPath(new URL('../../../packages/core', import.meta.url)));
const CORE_VERSION = (JSON.parse(readFileSync(join(CORE_DIR, 'package.json'), 'utf8')) as { version: string }).version;

// The plugin's source package lies inside the repository, as a plugin author's would lie in
// theirs; the plugin path lies outside it, so the installed plugin finds @sluice/core only
// through the link the install makes.
const sources = mkdtempSync(fileURLToPath(new URL('../../.plugins-', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'sluice-plugin-install-'));
afterAll(() => {
  rmSync(sources, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** A source connector writing `count` records `tick-0` … to `topic`, resuming after the last one committed. */
const TICKER = (version: string) => `
import { defineConfig, definePlugin, defineSourceConnector, sourceRecord } from '@sluice/core';

const config = defineConfig({
  topic: { type: 'string', importance: 'high', doc: 'where the ticks go' },
  count: { type: 'int', default: 3, importance: 'medium', doc: 'how many ticks' },
});

const ticker = defineSourceConnector({
  name: 'ticker-source',
  config,
  create: () => {
    let settings;
    return {
      start(_parsed, ctx) {
        settings = ctx.configs();
      },
      taskConfigs: () => [settings],
      stop() {},
    };
  },
  task: {
    config,
    create: () => {
      let next = 0;
      let settings;
      return {
        async start(parsed, ctx) {
          settings = parsed;
          const offset = await ctx.offsetReader.offset({ ticker: 'ticks' });
          next = offset ? offset.next : 0;
        },
        async poll() {
          if (next >= settings.count) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            return null;
          }
          const n = next++;
          return [sourceRecord({ topic: settings.topic, value: 'tick-' + n, sourcePartition: { ticker: 'ticks' }, sourceOffset: { next } })];
        },
        stop() {},
      };
    },
  },
});

export default definePlugin({ name: '@sluice-test/ticker', version: '${version}', connectors: [ticker], aliases: { 'com.example.TickerSourceConnector': 'ticker-source' } });
`;

/** Packs the ticker plugin with `npm pack`, declaring `coreRange` as its @sluice/core peer range. */
function packTicker(version: string, coreRange: string): string {
  const dir = join(sources, `ticker-${version}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: '@sluice-test/ticker', version, type: 'module', exports: { '.': { default: './main.js' } }, peerDependencies: { '@sluice/core': coreRange } }),
  );
  writeFileSync(join(dir, 'main.js'), TICKER(version));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--pack-destination', work, '--json', '--loglevel=error'], { cwd: dir, encoding: 'utf8' })) as { filename: string }[];
  return join(work, packed[0]!.filename);
}

/** `sluice …` as a user runs it; the npm registry is an address nothing answers on, so nothing is fetched. */
function sluice(args: readonly string[], cwd = work): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=@sluice/source', CLI, ...args], {
      cwd,
      env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh plugin path with ticker 1.0.0 installed. */
async function withTicker(): Promise<string> {
  const pluginPath = join(mkdtempSync(join(work, 'run-')), 'plugins');
  const install = await sluice(['plugins', 'install', packTicker('1.0.0', `^${CORE_VERSION}`), '--plugin-path', pluginPath]);
  expect(install).toMatchObject({ code: 0, stderr: '' });
  return pluginPath;
}

describe('sluice plugins', () => {
  const bootstrap = inject('kafkaBootstrap');
  let worker: WorkerProcess | undefined;
  afterEach(async () => {
    await worker?.stop('SIGKILL');
    worker = undefined;
  });

  it('installs a packed plugin with no network, and a standalone worker lists it and runs its connector', async () => {
    const pluginPath = join(work, 'plugins');
    const install = await sluice(['plugins', 'install', packTicker('1.0.0', `^${CORE_VERSION}`), '--plugin-path', pluginPath]);
    expect(install).toMatchObject({ code: 0, stderr: '' });
    // One @sluice/core: the worker's, linked in, never a copy of its own.
    expect(realpathSync(join(pluginPath, '@sluice-test', 'ticker', 'node_modules', '@sluice', 'core'))).toBe(CORE_DIR);
    expect(install.stdout).toContain(`installed @sluice-test/ticker 1.0.0 into ${join(pluginPath, '@sluice-test', 'ticker')}`);
    expect(install.stdout).toContain('source connector  ticker-source  (also: com.example.TickerSourceConnector, TickerSourceConnector, TickerSource)');

    const dir = mkdtempSync(join(work, 'worker-'));
    const port = await freePort();
    const rest = `http://127.0.0.1:${port}`;
    const topic = uniqueTopic('plugin-install');
    const name = `ticker-${randomUUID()}`;
    writeFileSync(
      join(dir, 'worker.properties'),
      propertiesText({
        'bootstrap.servers': bootstrap,
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'offset.storage.file.filename': join(dir, 'connect.offsets'),
        'offset.flush.interval.ms': '1000',
        'plugin.path': pluginPath,
        listeners: rest,
      }),
    );
    writeFileSync(join(dir, 'ticker.properties'), propertiesText({ name, 'connector.class': 'com.example.TickerSourceConnector', 'tasks.max': '1', topic, count: '5' }));
    worker = new WorkerProcess(dir, ['standalone', 'worker.properties', 'ticker.properties']);
    await worker.waitFor(`${rest}/connectors/${name}/status`, allRunning);

    expect(await (await fetch(`${rest}/connector-plugins`)).json()).toEqual(expect.arrayContaining([{ class: 'com.example.TickerSourceConnector', type: 'source', version: '1.0.0' }]));
    const records = await readTopic(bootstrap, topic, 5);
    expect(records.map((r) => r.value?.toString())).toEqual(['tick-0', 'tick-1', 'tick-2', 'tick-3', 'tick-4']);
    expect(await worker.stop('SIGTERM')).toBe(0);

    // The worker file names the plugin path for `list`.
    const listed = await sluice(['plugins', 'list', '--worker-config', join(dir, 'worker.properties')]);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toContain(`plugins in ${pluginPath}:\n  @sluice-test/ticker 1.0.0  (@sluice/core ^${CORE_VERSION})\n    source connector  ticker-source  (also: com.example.TickerSourceConnector`);
    expect(listed.stdout).toMatch(/bundled with the worker: .*@sluice\/connector-file/);
  });

  it('refuses a plugin built for another @sluice/core, naming the range that fits, and keeps the installed version', async () => {
    const pluginPath = await withTicker();
    const refused = await sluice(['plugins', 'install', packTicker('2.0.0', '^9.0.0'), '--plugin-path', pluginPath]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `sluice plugins install: @sluice-test/ticker@2.0.0 needs @sluice/core ^9.0.0, but this worker has @sluice/core ${CORE_VERSION}; ` +
        `a version of @sluice-test/ticker built for @sluice/core ^${CORE_VERSION} fits this worker\n`,
    );
    const listed = await sluice(['plugins', 'list', '--plugin-path', pluginPath]);
    expect(listed.stdout).toContain('@sluice-test/ticker 1.0.0');
    expect(readdirSync(pluginPath)).toEqual(['@sluice-test']);
  });

  it('removes a plugin, says what is installed when asked for one that is not, and answers usage errors with 2', async () => {
    const pluginPath = await withTicker();
    const removed = await sluice(['plugins', 'remove', '@sluice-test/ticker', '--plugin-path', pluginPath]);
    expect(removed).toMatchObject({ code: 0, stderr: '' });
    expect(removed.stdout).toContain(`removed @sluice-test/ticker 1.0.0 (deleted ${join(pluginPath, '@sluice-test', 'ticker')})`);
    expect(readdirSync(pluginPath)).toEqual([]);
    expect((await sluice(['plugins', 'list', '--plugin-path', pluginPath])).stdout).toContain(`no plugins in ${pluginPath}`);

    const again = await sluice(['plugins', 'remove', '@sluice-test/ticker', '--plugin-path', pluginPath]);
    expect(again).toMatchObject({ code: 1, stderr: `sluice plugins remove: @sluice-test/ticker is not installed in ${pluginPath} (installed: none)\n` });

    const usage = await sluice(['plugins', 'install']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: sluice plugins install <package>');
    expect((await sluice(['plugins', 'list', '--plugin-dir', pluginPath])).code).toBe(2);
  });
});
