import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installFolderManifest, installFolderOf, linkWorkerCore, pluginPackages, workerCore } from './layout.ts';

const root = mkdtempSync(join(tmpdir(), 'sluice-layout-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(dir: string, manifest: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
}

/** An install folder as `sluice plugins install` leaves it. */
function installFolder(pluginPath: string, name: string, version: string): string {
  const folder = installFolderOf(pluginPath, name);
  write(folder, { ...installFolderManifest(name), dependencies: { [name]: version } });
  write(join(folder, 'node_modules', ...name.split('/')), { name, version });
  write(join(folder, 'node_modules', 'lib'), { name: 'lib', version: version === '1.0.0' ? '1.0.0' : '2.0.0' });
  return folder;
}

describe('plugin path layout', () => {
  const path = join(root, 'plugins');
  installFolder(path, 'alpha', '1.0.0');
  installFolder(path, '@acme/beta', '2.0.0');
  write(join(path, 'by-hand'), { name: 'by-hand', version: '0.0.1' });
  write(join(path, '.installing-x1y2'), { ...installFolderManifest('gamma') });
  write(join(path, '@acme', '.cache'), { name: 'cache' });
  writeFileSync(join(path, 'README.txt'), 'not a folder');

  it('gives each installed plugin its own folder, scoped names nested as in node_modules', () => {
    expect(installFolderOf(path, 'alpha')).toBe(join(path, 'alpha'));
    expect(installFolderOf(path, '@acme/beta')).toBe(join(path, '@acme', 'beta'));
    expect(() => installFolderOf(path, '../etc')).toThrow('`../etc` is not an npm package name');
    expect(() => installFolderOf(path, '@acme/../../x')).toThrow('is not an npm package name');
  });

  it('finds installed plugins inside their folders, packages placed by hand, and skips dot folders', () => {
    expect(pluginPackages(path).map((p) => [p.manifest.name, p.manifest.version, p.dir, p.installFolder])).toEqual([
      ['@acme/beta', '2.0.0', join(path, '@acme', 'beta', 'node_modules', '@acme', 'beta'), join(path, '@acme', 'beta')],
      ['alpha', '1.0.0', join(path, 'alpha', 'node_modules', 'alpha'), join(path, 'alpha')],
      ['by-hand', '0.0.1', join(path, 'by-hand'), undefined],
    ]);
  });

  it('takes an install folder given as a plugin.path entry itself', () => {
    expect(pluginPackages(join(path, 'alpha')).map((p) => p.dir)).toEqual([join(path, 'alpha', 'node_modules', 'alpha')]);
  });

  it('keeps each plugin’s dependencies in its own folder', () => {
    const version = (folder: string) => (JSON.parse(readFileSync(join(folder, 'node_modules', 'lib', 'package.json'), 'utf8')) as { version: string }).version;
    expect([version(join(path, 'alpha')), version(join(path, '@acme', 'beta'))]).toEqual(['1.0.0', '2.0.0']);
  });
});

describe('linking the worker’s @sluice/core', () => {
  const core = workerCore();

  it('finds the core the worker runs with', () => {
    expect(core.dir).toBe(realpathSync(join(import.meta.dirname, '..', '..', '..', 'core')));
    expect(core.version).toBe((JSON.parse(readFileSync(join(core.dir, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('links an install folder to it, and re-points a link left by a worker that moved', () => {
    const folder = installFolder(join(root, 'link'), 'alpha', '1.0.0');
    const link = join(folder, 'node_modules', '@sluice', 'core');
    expect(linkWorkerCore(folder, core.dir)).toBe(true);
    expect(realpathSync(link)).toBe(core.dir);
    expect(linkWorkerCore(folder, core.dir)).toBe(false);

    rmSync(link);
    symlinkSync(join(root, 'gone'), link, 'junction');
    expect(linkWorkerCore(folder, core.dir)).toBe(true);
    expect(realpathSync(link)).toBe(core.dir);
  });

  it('replaces a second copy of @sluice/core that npm put there', () => {
    const folder = installFolder(join(root, 'copy'), 'alpha', '1.0.0');
    write(join(folder, 'node_modules', '@sluice', 'core'), { name: '@sluice/core', version: '9.9.9' });
    expect(linkWorkerCore(folder, core.dir)).toBe(true);
    expect(realpathSync(join(folder, 'node_modules', '@sluice', 'core'))).toBe(core.dir);
  });
});
