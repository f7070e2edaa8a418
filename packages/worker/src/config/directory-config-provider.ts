import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AllowedPaths } from './allowed-paths.ts';
import type { ConfigProvider, ConfigProviderFactory } from './config-provider.ts';

/** A key names a file directly in the folder, never one further down or up. */
function isFileName(key: string): boolean {
  return key !== '' && key !== '.' && key !== '..' && !key.includes('/') && !key.includes('\\') && !key.includes('\0');
}

/**
 * Kafka's `DirectoryConfigProvider` (KIP-632): `${dir:/var/run/secrets/db:password}` is the
 * whole content of the regular file `password` in that folder (UTF-8, trailing newline kept as
 * Kafka keeps it), the layout of Kubernetes and Docker secret mounts. Parameter: `allowed.paths`.
 */
export const directoryConfigProvider: ConfigProviderFactory = (params, paramKey) => {
  const allowed = new AllowedPaths(params['allowed.paths'], paramKey('allowed.paths'), 'dir');
  return {
    async get(path, keys) {
      if (path === '') throw new Error('the directory provider needs a path: ${dir:/path/to/folder:file}');
      const dir = allowed.check(path);
      const info = await stat(dir).catch(() => null);
      if (!info?.isDirectory()) throw new Error(`${path} is not a readable folder`);
      const found = await Promise.all(
        [...keys].filter(isFileName).map(async (key) => {
          const file = join(dir, key);
          // The file itself may be a link out of the allowed paths.
          allowed.check(file);
          const fileInfo = await stat(file).catch(() => null);
          if (!fileInfo?.isFile()) return [];
          try {
            return [[key, await readFile(file, 'utf8')] as const];
          } catch (error) {
            throw new Error(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
          }
        }),
      );
      return new Map(found.flat());
    },
    missing: (path, key) => `${path} holds no file \`${key}\``,
  } satisfies ConfigProvider;
};
