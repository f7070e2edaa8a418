import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger, Plugin } from '@sluice/core';

interface PackageJson {
  name?: string;
  main?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  sluice?: { plugin?: boolean };
}

function readPackage(dir: string): PackageJson | undefined {
  const file = join(dir, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageJson) : undefined;
}

function isPlugin(value: unknown): value is Plugin {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'plugin';
}

/** The file a package's `.` export (import or default condition) or `main` points at. */
function entryOf(dir: string, pkg: PackageJson): string {
  let target: unknown = pkg.exports;
  if (typeof target === 'object' && target !== null && '.' in target) target = (target as Record<string, unknown>)['.'];
  while (typeof target === 'object' && target !== null) {
    const conditions = target as Record<string, unknown>;
    target = conditions.import ?? conditions.default;
  }
  return join(dir, typeof target === 'string' ? target : (pkg.main ?? 'index.js'));
}

/** Package folders in one `plugin.path` entry: the entry itself, or its (scoped) subfolders. */
function packageDirs(entry: string): string[] {
  if (readPackage(entry)) return [entry];
  const dirs: string[] = [];
  for (const name of readdirSync(entry)) {
    const dir = join(entry, name);
    if (!statSync(dir).isDirectory()) continue;
    if (name.startsWith('@')) dirs.push(...readdirSync(dir).map((n) => join(dir, n)).filter((d) => readPackage(d)));
    else if (readPackage(dir)) dirs.push(dir);
  }
  return dirs;
}

async function importPlugin(specifier: string, from: string, logger: Logger): Promise<Plugin | undefined> {
  const loaded = (await import(specifier)) as { default?: unknown };
  if (isPlugin(loaded.default)) return loaded.default;
  logger.warn(`${from} has no Sluice plugin as its default export; skipped`);
  return undefined;
}

/**
 * Finds the plugins a worker runs: the packages in its `plugin.path` folders, and the
 * dependencies of the worker's own package that declare `"sluice": { "plugin": true }` (a
 * distribution ships its connectors that way, as Apache Kafka ships connect-file in libs/).
 * Java jars in `plugin.path` — left over from a Kafka Connect worker file — are skipped with a
 * warning.
 */
export async function loadPlugins(pluginPath: readonly string[], logger: Logger): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  for (const raw of pluginPath) {
    const entry = resolve(raw);
    if (!existsSync(entry) || !statSync(entry).isDirectory()) {
      logger.warn(`plugin.path entry ${raw} is not a folder of plugin packages; skipped${raw.endsWith('.jar') ? ' (a Java jar: Sluice runs npm plugin packages)' : ''}`);
      continue;
    }
    for (const dir of packageDirs(entry)) {
      const plugin = await importPlugin(pathToFileURL(entryOf(dir, readPackage(dir)!)).href, dir, logger);
      if (plugin) plugins.push(plugin);
    }
  }
  const workerDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
  for (const name of Object.keys(readPackage(workerDir)?.dependencies ?? {})) {
    const dir = join(workerDir, 'node_modules', name);
    if (!readPackage(dir)?.sluice?.plugin) continue;
    const plugin = await importPlugin(name, dir, logger);
    if (plugin && !plugins.some((p) => p.name === plugin.name)) plugins.push(plugin);
  }
  return plugins;
}
