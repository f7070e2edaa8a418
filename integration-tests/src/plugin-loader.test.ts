import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '@sluice/worker/plugins';

// Inside the repository, so a plugin package here resolves @sluice/core as an installed one would.
const root = mkdtempSync(fileURLToPath(new URL('../.plugins-', import.meta.url)));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pluginPackage(dir: string, name: string, body: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: { '.': { default: './main.js' } } }));
  writeFileSync(join(dir, 'main.js'), body);
}

const connectorPlugin = (name: string) => `
import { defineConfig, definePlugin, defineSourceConnector } from '@sluice/core';
const source = defineSourceConnector({
  name: '${name}',
  config: defineConfig({}),
  create: () => ({ start() {}, taskConfigs: () => [{}], stop() {} }),
  task: { create: () => ({ start() {}, poll: async () => null, stop() {} }) },
});
export default definePlugin({ name: '${name}-plugin', version: '1.0.0', connectors: [source], aliases: { 'com.example.${name}.Connector': '${name}' } });
`;

describe('loadPlugins', () => {
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (m: object | string) => void warnings.push(typeof m === 'string' ? m : JSON.stringify(m)), error() {} };

  it('loads plugin packages from plugin.path folders (plain and scoped) and the worker’s own plugin dependencies, skipping jars with a warning', async () => {
    const folder = join(root, 'plugins');
    pluginPackage(join(folder, 'alpha'), 'alpha', connectorPlugin('alpha'));
    pluginPackage(join(folder, '@acme', 'beta'), '@acme/beta', connectorPlugin('beta'));
    pluginPackage(join(folder, 'not-a-plugin'), 'not-a-plugin', 'export default { hello: 1 };');
    const single = join(root, 'gamma');
    pluginPackage(single, 'gamma', connectorPlugin('gamma'));

    const plugins = await loadPlugins([folder, single, 'libs/connect-file-4.1.1.jar'], logger);
    expect(plugins.map((p) => p.name).sort()).toEqual(['@sluice/connector-file', '@sluice/transforms', 'alpha-plugin', 'beta-plugin', 'gamma-plugin']);
    expect(warnings).toEqual([
      expect.stringContaining('not-a-plugin has no Sluice plugin as its default export; skipped'),
      'plugin.path entry libs/connect-file-4.1.1.jar is not a folder of plugin packages; skipped (a Java jar: Sluice runs npm plugin packages)',
    ]);
  });
});
