import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger, Plugin } from '@sluice/core';
import { WORKER_DIR, linkWorkerCore, pluginPackages, readPackage, workerCore } from './layout.ts';
import type { PackageJson, PluginPackage } from './layout.ts';
import { checkCorePeer } from './peer.ts';

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

async function importPlugin(specifier: string, from: string, logger: Logger): Promise<Plugin | undefined> {
  const loaded = (await import(specifier)) as { default?: unknown };
  if (isPlugin(loaded.default)) return loaded.default;
  logger.warn(`${from} has no Sluice plugin as its default export; skipped`);
  return undefined;
}

/**
 * Imports one plugin package. A plugin `sluice plugins install` put in place is first checked
 * against the worker's `@sluice/core` (skipped with a warning when its peer range no longer
 * fits, as after a worker upgrade) and re-linked to that copy if the worker moved.
 */
export async function loadPluginPackage(pkg: PluginPackage, logger: Logger, workerCoreCopy?: { dir: string; version: string }): Promise<Plugin | undefined> {
  if (pkg.installFolder) {
    const core = workerCoreCopy ?? workerCore();
    const check = checkCorePeer({ ...pkg.manifest, name: pkg.manifest.name ?? pkg.dir, version: pkg.manifest.version ?? '?' }, core.version);
    if (!check.ok) {
      logger.warn(`${check.reason}; skipped (sluice plugins install a version that fits)`);
      return undefined;
    }
    try {
      if (linkWorkerCore(pkg.installFolder, core.dir)) logger.info(`${pkg.installFolder}: linked @sluice/core to the worker's copy in ${core.dir}`);
    } catch (error) {
      logger.warn(`${pkg.installFolder}: cannot link @sluice/core to the worker's copy in ${core.dir}: ${(error as Error).message}`);
    }
  }
  return importPlugin(pathToFileURL(entryOf(pkg.dir, pkg.manifest)).href, pkg.dir, logger);
}

/**
 * The dependencies of the worker's own package that declare `"sluice": { "plugin": true }` (a
 * distribution ships its connectors that way, as Apache Kafka ships connect-file in libs/).
 */
export async function bundledPlugins(logger: Logger): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  for (const name of Object.keys(readPackage(WORKER_DIR)?.dependencies ?? {})) {
    const dir = join(WORKER_DIR, 'node_modules', name);
    if (!readPackage(dir)?.sluice?.plugin) continue;
    const plugin = await importPlugin(name, dir, logger);
    if (plugin) plugins.push(plugin);
  }
  return plugins;
}

/**
 * Finds the plugins a worker runs: the packages in its `plugin.path` folders (plain package
 * folders, and the install folders of `sluice plugins install`), then the worker's bundled
 * plugins that no `plugin.path` package replaced. Java jars in `plugin.path` — left over from a
 * Kafka Connect worker file — are skipped with a warning.
 */
export async function loadPlugins(pluginPath: readonly string[], logger: Logger): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  let core: { dir: string; version: string } | undefined;
  for (const raw of pluginPath) {
    const entry = resolve(raw);
    if (!existsSync(entry) || !statSync(entry).isDirectory()) {
      logger.warn(`plugin.path entry ${raw} is not a folder of plugin packages; skipped${raw.endsWith('.jar') ? ' (a Java jar: Sluice runs npm plugin packages)' : ''}`);
      continue;
    }
    for (const pkg of pluginPackages(entry)) {
      if (pkg.installFolder) core ??= workerCore();
      const plugin = await loadPluginPackage(pkg, logger, core);
      if (plugin) plugins.push(plugin);
    }
  }
  for (const plugin of await bundledPlugins(logger)) if (!plugins.some((p) => p.name === plugin.name)) plugins.push(plugin);
  return plugins;
}
