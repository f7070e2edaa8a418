import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/**
 * A folder for one test file's plugin packages, removed after its tests. It lies inside the
 * repository, so a plugin's `import '@sluice/core'` resolves as an installed plugin's would.
 * `add` writes a package (`main.js` holding `source`) and returns the folder to give as
 * `plugin.path`.
 */
export function testPlugins(): { add(name: string, source: string): string } {
  const root = mkdtempSync(fileURLToPath(new URL('../../.plugins-', import.meta.url)));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return {
    add(name, source) {
      const dir = join(root, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: { '.': { default: './main.js' } } }));
      writeFileSync(join(dir, 'main.js'), source);
      return root;
    },
  };
}
