import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noopLogger } from '@sluice/core';
import { afterAll, describe, expect, it } from 'vitest';
import { installPlugin, listPlugins, removePlugin } from './install.ts';
import { loadPlugins } from './loader.ts';
import type { PluginCommandContext } from './install.ts';
import { workerCore } from './layout.ts';
import { systemNpm } from './npm.ts';
import type { NpmRunner } from './npm.ts';

// Real npm installing real tarballs; a registry address nothing answers on proves a plugin
// given as a tarball needs no network.
const root = mkdtempSync(join(tmpdir(), 'sluice-install-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const offlineNpm: NpmRunner = (args, cwd) => systemNpm([...args, '--registry=http://127.0.0.1:9/'], cwd);
const core = workerCore();
const TIMEOUT = 30_000;

const connectorSource = (connector: string, plugin: string, version: string) => `
import { defineConfig, definePlugin, defineSourceConnector } from '@sluice/core';
const source = defineSourceConnector({
  name: '${connector}',
  config: defineConfig({}),
  create: () => ({ start() {}, taskConfigs: () => [{}], stop() {} }),
  task: { create: () => ({ start() {}, poll: async () => null, stop() {} }) },
});
export default definePlugin({ name: '${plugin}', version: '${version}', connectors: [source], aliases: { 'com.acme.${connector}.Connector': '${connector}' } });
`;

/** Packs a plugin package with `npm pack`, returning the tarball. */
function tarball(name: string, version: string, options: { manifest?: Record<string, unknown>; deps?: Record<string, string>; body?: string; connector?: string } = {}): string {
  const dir = join(root, 'src', `${name.replace('/', '+')}-${version}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version, type: 'module', exports: { '.': { default: './main.js' } }, peerDependencies: { '@sluice/core': '^0.1.0' }, ...options.manifest, dependencies: options.deps ?? {} }),
  );
  writeFileSync(join(dir, 'main.js'), options.body ?? connectorSource(options.connector ?? 'counter-source', name, version));
  const out = execFileSync('npm', ['pack', '--pack-destination', root, '--json', '--loglevel=error'], { cwd: dir, encoding: 'utf8' });
  return join(root, (JSON.parse(out) as { filename: string }[])[0]!.filename);
}

function context(pluginPath: string, npm: NpmRunner = offlineNpm): PluginCommandContext {
  return { pluginPath, npm, logger: noopLogger, core };
}

/** What is in the plugin path, dot folders (installs under way) included. */
const contents = (path: string) => (existsSync(path) ? readdirSync(path).sort() : []);

describe('installPlugin from a tarball', () => {
  it(
    'installs into <plugin path>/<name> with the worker’s @sluice/core linked, lists it, replaces it with a new version and removes it',
    async () => {
      const path = join(root, 'plugins');
      const installed = await installPlugin(tarball('@acme/counter', '1.0.0'), context(path));
      const folder = join(path, '@acme', 'counter');
      expect(installed).toMatchObject({ name: '@acme/counter', version: '1.0.0', folder });
      expect(installed.plugin.connectors.map((c) => c.name)).toEqual(['counter-source']);
      expect(realpathSync(join(folder, 'node_modules', '@sluice', 'core'))).toBe(core.dir);
      expect(JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))).toMatchObject({ sluice: { installed: '@acme/counter' }, dependencies: { '@acme/counter': 'file:acme-counter-1.0.0.tgz' } });
      expect(contents(path)).toEqual(['@acme']);

      const listed = await listPlugins(context(path));
      expect(listed.map((p) => [p.name, p.version, p.folder, p.installed, p.coreRange, p.plugin?.connectors[0]?.name])).toEqual([
        ['@acme/counter', '1.0.0', folder, true, '^0.1.0', 'counter-source'],
      ]);

      const upgraded = await installPlugin(tarball('@acme/counter', '1.1.0'), context(path));
      expect(upgraded).toMatchObject({ version: '1.1.0', replaced: '1.0.0', folder });
      expect(contents(path)).toEqual(['@acme']);
      expect((await listPlugins(context(path))).map((p) => p.version)).toEqual(['1.1.0']);

      expect(removePlugin('@acme/counter', context(path))).toEqual({ name: '@acme/counter', version: '1.1.0', folder });
      expect(contents(path)).toEqual([]);
      expect(() => removePlugin('@acme/counter', context(path))).toThrow(`@acme/counter is not installed in ${path} (installed: none)`);
    },
    TIMEOUT,
  );

  it('refuses a plugin whose @sluice/core peer range leaves the worker’s core out, naming the range that fits', async () => {
    const path = join(root, 'mismatch');
    await expect(installPlugin(tarball('old-plugin', '3.0.0', { manifest: { peerDependencies: { '@sluice/core': '^7.0.0' } } }), context(path))).rejects.toThrow(
      `old-plugin@3.0.0 needs @sluice/core ^7.0.0, but this worker has @sluice/core ${core.version}; a version of old-plugin built for @sluice/core ^${core.version} fits this worker`,
    );
    await expect(installPlugin(tarball('own-core', '1.0.0', { manifest: { peerDependencies: {} }, deps: { '@sluice/core': '^0.1.0' } }), context(path))).rejects.toThrow(
      'own-core@1.0.0 lists @sluice/core in dependencies; a plugin takes it as a peer dependency',
    );
    expect(contents(path)).toEqual([]);
  });

  it(
    'refuses a package that is not a plugin, and one whose component names clash with an installed plugin’s, leaving the plugin path as it was',
    async () => {
      const path = join(root, 'refusals');
      await expect(installPlugin(tarball('not-a-plugin', '1.0.0', { body: 'export default { hello: 1 };' }), context(path))).rejects.toThrow(
        'not-a-plugin@1.0.0 is not a Sluice plugin: its default export is not a definePlugin(…) value',
      );
      await expect(installPlugin(tarball('broken', '1.0.0', { body: "import 'left-pad';" }), context(path))).rejects.toThrow(/^broken@1\.0\.0 does not load: .*left-pad/);
      expect(contents(path)).toEqual([]);

      await installPlugin(tarball('first', '1.0.0', { connector: 'shared-source' }), context(path));
      await expect(installPlugin(tarball('second', '1.0.0', { connector: 'shared-source' }), context(path))).rejects.toThrow(
        'second@1.0.0: config key `plugin.path`: connector name `shared-source` is claimed by both first and second; remove one of them',
      );
      await expect(installPlugin(tarball('copycat', '1.0.0', { connector: 'file-source' }), context(path))).rejects.toThrow('connector name `file-source` is claimed by both @sluice/connector-file and copycat');
      expect(contents(path)).toEqual(['first']);
    },
    TIMEOUT,
  );

  it('does not replace a folder it did not make', async () => {
    const path = join(root, 'by-hand');
    mkdirSync(join(path, 'counter'), { recursive: true });
    writeFileSync(join(path, 'counter', 'package.json'), JSON.stringify({ name: 'counter', version: '0.0.1' }));
    await expect(installPlugin(tarball('counter', '1.0.0'), context(path))).rejects.toThrow(`counter: ${join(path, 'counter')} exists and was not made by sluice plugins install; move it away first`);
    expect(contents(path)).toEqual(['counter']);
  });
});

describe('a worker loading installed plugins', () => {
  it(
    're-links @sluice/core when the link is gone, and skips a plugin whose peer range no longer fits with a warning',
    async () => {
      const path = join(root, 'loading');
      await installPlugin(tarball('@acme/counter', '1.0.0'), context(path));
      const folder = join(path, '@acme', 'counter');
      rmSync(join(folder, 'node_modules', '@sluice', 'core'));
      const warnings: string[] = [];
      const logger = { ...noopLogger, warn: (m: object | string) => void warnings.push(typeof m === 'string' ? m : JSON.stringify(m)) };
      expect((await loadPlugins([path], logger)).map((p) => p.name)).toContain('@acme/counter');
      expect(realpathSync(join(folder, 'node_modules', '@sluice', 'core'))).toBe(core.dir);

      // As after a worker upgrade past the plugin's range.
      const manifest = join(folder, 'node_modules', '@acme', 'counter', 'package.json');
      writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"^0.1.0"', '"^9.0.0"'));
      expect((await loadPlugins([path], logger)).map((p) => p.name)).not.toContain('@acme/counter');
      expect(warnings).toEqual([`@acme/counter@1.0.0 needs @sluice/core ^9.0.0, but this worker has @sluice/core ${core.version}; skipped (sluice plugins install a version that fits)`]);
    },
    TIMEOUT,
  );
});

describe('installPlugin from the registry', () => {
  // The registry as `npm view` reports it; installs get the packed tarball of the chosen version.
  const published = [
    { name: 'registry-plugin', version: '1.0.0', peerDependencies: { '@sluice/core': `^${core.version}` } },
    { name: 'registry-plugin', version: '1.1.0', peerDependencies: { '@sluice/core': `^${core.version}` } },
    { name: 'registry-plugin', version: '2.0.0', peerDependencies: { '@sluice/core': '^9.0.0' } },
  ];
  const calls: string[][] = [];
  const registryNpm: NpmRunner = (args, cwd) => {
    calls.push([...args]);
    if (args[0] === 'view') {
      const spec = args[1]!;
      const matching = spec === 'registry-plugin' ? [published[2]!] : spec === 'registry-plugin@*' ? published : published.filter((p) => `registry-plugin@${p.version}` === spec);
      return Promise.resolve(JSON.stringify(matching.length === 1 ? matching[0] : matching));
    }
    const spec = args.at(-1)!;
    if (args[0] === 'install' && spec.startsWith('registry-plugin@')) return offlineNpm([...args.slice(0, -1), tarball('registry-plugin', spec.slice('registry-plugin@'.length))], cwd);
    return offlineNpm(args, cwd);
  };

  it(
    'installs the newest version that fits when the latest does not, saying so',
    async () => {
      const installed = await installPlugin('registry-plugin', context(join(root, 'registry'), registryNpm));
      expect(installed).toMatchObject({ name: 'registry-plugin', version: '1.1.0' });
      expect(installed.note).toBe(`registry-plugin@2.0.0 needs @sluice/core ^9.0.0, but this worker has @sluice/core ${core.version}; installing registry-plugin@1.1.0, the newest version that fits`);
      expect(calls.find((c) => c[0] === 'install')).toContain('--legacy-peer-deps');
    },
    TIMEOUT,
  );

  it('refuses a version asked for by number that does not fit, naming those that do', async () => {
    await expect(installPlugin('registry-plugin@2.0.0', context(join(root, 'registry-2'), registryNpm))).rejects.toThrow(
      `registry-plugin@2.0.0 needs @sluice/core ^9.0.0, but this worker has @sluice/core ${core.version}; versions of registry-plugin that fit: 1.1.0, 1.0.0 (sluice plugins install registry-plugin@1.1.0)`,
    );
  });

  it('refuses what is neither a file nor a package name', async () => {
    await expect(installPlugin('no/such/thing', context(join(root, 'registry-3'), registryNpm))).rejects.toThrow('`no/such/thing` is neither a tarball or folder that exists nor an npm package name');
    await expect(installPlugin('./missing.tgz', context(join(root, 'registry-3'), registryNpm))).rejects.toThrow('./missing.tgz: no such file');
  });
});
