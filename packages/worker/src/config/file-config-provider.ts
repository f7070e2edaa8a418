import { readFile } from 'node:fs/promises';
import { AllowedPaths } from './allowed-paths.ts';
import type { ConfigProvider, ConfigProviderFactory } from './config-provider.ts';
import { parseProperties } from './properties.ts';

/** An error's reason without the text that caused it: a properties file holds secrets. */
function unreadable(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined) return new Error(`cannot read ${path} (${code})`);
  return new Error(`${path} is not a valid properties file (a malformed \\uXXXX escape)`);
}

/**
 * Kafka's `FileConfigProvider`: `${file:/etc/kafka/secrets.properties:db.password}` is the
 * key `db.password` of that Java properties file (read as UTF-8). Parameter: `allowed.paths`.
 */
export const fileConfigProvider: ConfigProviderFactory = (params, paramKey) => {
  const allowed = new AllowedPaths(params['allowed.paths'], paramKey('allowed.paths'), 'file');
  return {
    async get(path, keys) {
      if (path === '') throw new Error('the file provider needs a path: ${file:/path/to/file.properties:key}');
      const file = allowed.check(path);
      let entries: Map<string, string>;
      try {
        entries = parseProperties(await readFile(file, 'utf8'));
      } catch (error) {
        throw unreadable(path, error);
      }
      return new Map([...keys].flatMap((key) => (entries.has(key) ? [[key, entries.get(key)!] as const] : [])));
    },
    missing: (path, key) => `${path} has no key \`${key}\``,
  } satisfies ConfigProvider;
};
