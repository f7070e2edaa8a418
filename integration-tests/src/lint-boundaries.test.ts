import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaries } from '../../eslint.config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Lints one line as if it stood in `path`, with the repository's import-boundary rules only. */
async function boundaryErrors(path: string, line: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries],
  });
  const [result] = await eslint.lintText(`${line}\n`, { filePath: `${root}/${path}` });
  return result!.messages.map((m) => m.message);
}

describe('import boundaries (ARCHITECTURE.md §2)', () => {
  it('core imports nothing of the repository', async () => {
    expect(await boundaryErrors('packages/core/src/x.ts', "import { kafkaClient } from '@sluice/worker';")).toEqual([
      expect.stringContaining('@sluice/core is the plugin API and imports nothing of the repository'),
    ]);
    expect(await boundaryErrors('packages/core/src/x.ts', "import { readFile } from 'node:fs/promises';")).toEqual([]);
  });

  it('a connector imports only @sluice/core', async () => {
    expect(await boundaryErrors('packages/connector-jdbc/src/x.ts', "import { run } from '@sluice/worker/kafka';")).toEqual([
      expect.stringContaining('A connector may import only @sluice/core'),
    ]);
    expect(await boundaryErrors('packages/connector-jdbc/src/x.ts', "import { definePlugin } from '@sluice/core';")).toEqual([]);
  });

  it('the worker never imports a connector', async () => {
    expect(await boundaryErrors('packages/worker/src/x.ts', "import plugin from '@sluice/connector-file';")).toEqual([
      expect.stringContaining('The runtime never imports a connector'),
    ]);
    expect(await boundaryErrors('packages/worker/src/x.ts', "import { definePlugin } from '@sluice/core';")).toEqual([]);
  });

  it('tests may import anything', async () => {
    expect(await boundaryErrors('packages/core/src/x.test.ts', "import { kafkaClient } from '@sluice/worker';")).toEqual([]);
  });
});
