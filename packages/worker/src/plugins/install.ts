import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { definePlugin, noopLogger } from '@sluice/core';
import type { Logger, Plugin } from '@sluice/core';
import { builtinConverterAliases, builtinConverters } from '../converters/index.ts';
import { installFolderManifest, installFolderOf, isPackageName, linkWorkerCore, pluginPackages, readPackage, workerCore } from './layout.ts';
import type { PluginPackage } from './layout.ts';
import { bundledPlugins, loadPluginPackage } from './loader.ts';
import { installInto, pack, viewVersions } from './npm.ts';
import type { NpmRunner } from './npm.ts';
import { checkCorePeer, fileAdvice, fitAdvice, fittingVersions, newestFirst } from './peer.ts';
import type { PluginManifest } from './peer.ts';
import { PluginRegistry } from './registry.ts';
import { readTarballManifest } from './tarball.ts';

export interface PluginCommandContext {
  /** The folder plugins are installed into (a `plugin.path` entry). */
  readonly pluginPath: string;
  readonly npm: NpmRunner;
  readonly logger: Logger;
  /** The worker's `@sluice/core`; found beside the worker unless given. */
  readonly core?: { dir: string; version: string };
}

export interface InstalledPlugin {
  readonly name: string;
  readonly version: string;
  readonly folder: string;
  readonly plugin: Plugin;
  /** The version this install replaced, if the plugin was installed already. */
  readonly replaced?: string;
  /** Why this version was chosen, when it is not the one the spec named first. */
  readonly note?: string;
}

/** `name`, `name@1.2.3`, `@scope/name@^1` → name and the version part (if any). */
export function parseRegistrySpec(spec: string): { name: string; version?: string } {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const name = at === -1 ? spec : spec.slice(0, at);
  if (!isPackageName(name)) throw new Error(`\`${spec}\` is neither a tarball or folder that exists nor an npm package name`);
  return at === -1 ? { name } : { name, version: spec.slice(at + 1) };
}

/** Whether the install argument names a file or folder rather than a registry package. */
function isLocal(spec: string): boolean {
  return existsSync(spec) || /\.(tgz|tar\.gz)$/.test(spec) || spec.startsWith('.') || spec.startsWith('/') || spec.includes('\\');
}

function asManifest(raw: { name?: string; version?: string } & Omit<PluginManifest, 'name' | 'version'>, source: string): PluginManifest {
  if (typeof raw.name !== 'string' || typeof raw.version !== 'string') throw new Error(`${source}: its package.json has no name or version`);
  return raw as PluginManifest;
}

/**
 * Picks the registry version to install: the newest the spec denotes whose `@sluice/core` peer
 * range fits the worker. A bare name whose latest does not fit falls back to the newest
 * release that does; a spec naming versions none of which fits is refused, naming those that fit.
 */
async function chooseRegistryVersion(spec: string, ctx: PluginCommandContext, core: { version: string }, cwd: string): Promise<{ manifest: PluginManifest; note?: string }> {
  const { name, version } = parseRegistrySpec(spec);
  let denoted: PluginManifest[];
  try {
    denoted = await viewVersions(ctx.npm, spec, cwd);
  } catch (error) {
    throw new Error(`${spec}: cannot look it up in the npm registry: ${(error as Error).message}`, { cause: error });
  }
  if (denoted.length === 0) throw new Error(`${spec}: no published version of ${name} matches \`${version ?? ''}\``);
  const [newest] = fittingVersions(denoted, core.version);
  if (newest) return { manifest: newest };
  const refusal = checkCorePeer(newestFirst(denoted)[0]!, core.version);
  const reason = refusal.ok ? '' : refusal.reason;
  const published = await viewVersions(ctx.npm, `${name}@*`, cwd).catch(() => denoted);
  const [fallback] = fittingVersions(published, core.version);
  if (version === undefined && fallback) return { manifest: fallback, note: `${reason}; installing ${name}@${fallback.version}, the newest version that fits` };
  throw new Error(`${reason}; ${fitAdvice(name, published, core.version)}`);
}

/** Plugins that a worker with this plugin path would also load, for the name-clash check. */
async function otherPlugins(ctx: PluginCommandContext, except: string, core: { dir: string; version: string }): Promise<Plugin[]> {
  const plugins = [definePlugin({ name: '@sluice/worker', version: core.version, converters: builtinConverters, aliases: builtinConverterAliases })];
  for (const pkg of existsSync(ctx.pluginPath) ? pluginPackages(ctx.pluginPath) : []) {
    if (pkg.manifest.name === except) continue;
    const plugin = await loadPluginPackage(pkg, ctx.logger, core).catch((error: unknown) => {
      ctx.logger.warn(`${pkg.dir} does not load (${(error as Error).message}); not checked for name clashes`);
      return undefined;
    });
    if (plugin) plugins.push(plugin);
  }
  const bundled = await bundledPlugins(ctx.logger);
  return [...plugins, ...bundled.filter((b) => b.name !== except && !plugins.some((p) => p.name === b.name))];
}

/**
 * `sluice plugins install`: checks the plugin's `@sluice/core` peer range, has npm install it
 * with its own dependencies into a staging folder of the plugin path, links the worker's core,
 * imports it to check it is a plugin whose component names clash with no other plugin's, then
 * swaps it into `<plugin path>/<name>`. Nothing in the plugin path changes when a step fails.
 *
 * @param spec `name`, `name@version|range|tag`, a tarball (`npm pack` output) or a package folder
 */
export async function installPlugin(spec: string, ctx: PluginCommandContext): Promise<InstalledPlugin> {
  const core = ctx.core ?? workerCore();
  mkdirSync(ctx.pluginPath, { recursive: true });
  const staging = mkdtempSync(join(ctx.pluginPath, '.installing-'));
  try {
    let manifest: PluginManifest;
    let installSpec: string;
    let note: string | undefined;
    if (isLocal(spec)) {
      const path = resolve(spec);
      if (!existsSync(path)) throw new Error(`${spec}: no such file`);
      let tarball = join(staging, basename(path));
      if (statSync(path).isDirectory()) tarball = join(staging, await pack(ctx.npm, path, staging));
      else copyFileSync(path, tarball);
      manifest = asManifest(readTarballManifest(tarball), spec);
      const check = checkCorePeer(manifest, core.version);
      if (!check.ok) throw new Error(`${check.reason}; ${fileAdvice(manifest.name, core.version)}`);
      installSpec = tarball;
    } else {
      ({ manifest, note } = await chooseRegistryVersion(spec, ctx, core, staging));
      installSpec = `${manifest.name}@${manifest.version}`;
    }
    const { name } = manifest;
    const folder = installFolderOf(ctx.pluginPath, name);
    const previous = existsSync(folder) ? readPackage(folder) : undefined;
    if (existsSync(folder) && !previous?.sluice?.installed) {
      throw new Error(`${name}: ${folder} exists and was not made by sluice plugins install; move it away first`);
    }

    writeFileSync(join(staging, 'package.json'), `${JSON.stringify(installFolderManifest(name), null, 2)}\n`);
    try {
      await installInto(ctx.npm, staging, installSpec);
    } catch (error) {
      throw new Error(`${name}@${manifest.version}: ${(error as Error).message}`, { cause: error });
    }
    linkWorkerCore(staging, core.dir);
    const [staged] = pluginPackages(staging);
    if (!staged || staged.manifest.name !== name) throw new Error(`${name}@${manifest.version}: npm did not install it into ${staging}`);
    const plugin = await loadStaged(staged, `${name}@${manifest.version}`, core);
    try {
      new PluginRegistry([...(await otherPlugins(ctx, name, core)), plugin]);
    } catch (error) {
      throw new Error(`${name}@${manifest.version}: ${(error as Error).message}`, { cause: error });
    }

    mkdirSync(dirname(folder), { recursive: true });
    const replaced = previous ? (pluginPackages(folder)[0]?.manifest.version ?? '?') : undefined;
    // The old folder steps aside (under a dot name no loader reads) until the new one is in place.
    const retired = `${staging}-replaced`;
    if (previous) renameSync(folder, retired);
    try {
      renameSync(staging, folder);
    } catch (error) {
      if (previous) renameSync(retired, folder);
      throw error;
    }
    if (previous) rmSync(retired, { recursive: true, force: true });
    return { name, version: manifest.version, folder, plugin, ...(replaced ? { replaced } : {}), ...(note ? { note } : {}) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function loadStaged(pkg: PluginPackage, id: string, core: { dir: string; version: string }): Promise<Plugin> {
  let plugin: Plugin | undefined;
  try {
    plugin = await loadPluginPackage(pkg, noopLogger, core);
  } catch (error) {
    throw new Error(`${id} does not load: ${(error as Error).message}`, { cause: error });
  }
  if (!plugin) throw new Error(`${id} is not a Sluice plugin: its default export is not a definePlugin(…) value`);
  return plugin;
}

/** One plugin package in the plugin path, loaded (or with the reason it does not load). */
export interface ListedPlugin {
  readonly name: string;
  readonly version: string;
  readonly folder: string;
  /** Put there by `sluice plugins install` (else a package folder placed by hand). */
  readonly installed: boolean;
  readonly coreRange?: string;
  readonly plugin?: Plugin;
  readonly error?: string;
}

/** `sluice plugins list`: every plugin package in the plugin path, loaded as a worker would. */
export async function listPlugins(ctx: PluginCommandContext): Promise<ListedPlugin[]> {
  if (!existsSync(ctx.pluginPath)) return [];
  const listed: ListedPlugin[] = [];
  for (const pkg of pluginPackages(ctx.pluginPath)) {
    const warnings: string[] = [];
    const logger: Logger = { ...ctx.logger, warn: (m: object | string) => void warnings.push(typeof m === 'string' ? m : JSON.stringify(m)) };
    const base = {
      name: pkg.manifest.name ?? basename(pkg.dir),
      version: pkg.manifest.version ?? '?',
      folder: pkg.installFolder ?? pkg.dir,
      installed: pkg.installFolder !== undefined,
      ...(pkg.manifest.peerDependencies?.['@sluice/core'] ? { coreRange: pkg.manifest.peerDependencies['@sluice/core'] } : {}),
    };
    try {
      const plugin = await loadPluginPackage(pkg, logger, ctx.core);
      listed.push(plugin ? { ...base, plugin } : { ...base, error: warnings.join('; ') || 'not loaded' });
    } catch (error) {
      listed.push({ ...base, error: `does not load: ${(error as Error).message}` });
    }
  }
  return listed;
}

/** `sluice plugins remove`: deletes a plugin's folder, returning what was removed. */
export function removePlugin(name: string, ctx: Pick<PluginCommandContext, 'pluginPath'>): { name: string; version: string; folder: string } {
  if (!isPackageName(name)) throw new Error(`\`${name}\` is not an npm package name (give the name only, without a version)`);
  const folder = installFolderOf(ctx.pluginPath, name);
  const [pkg] = existsSync(folder) ? pluginPackages(folder) : [];
  if (!pkg || pkg.manifest.name !== name) {
    const present = existsSync(ctx.pluginPath) ? pluginPackages(ctx.pluginPath).map((p) => p.manifest.name ?? p.dir) : [];
    throw new Error(`${name} is not installed in ${ctx.pluginPath} (installed: ${present.length > 0 ? present.join(', ') : 'none'})`);
  }
  rmSync(folder, { recursive: true, force: true });
  const scope = dirname(folder);
  if (scope !== resolve(ctx.pluginPath) && basename(scope).startsWith('@') && readdirSync(scope).length === 0) rmSync(scope, { recursive: true });
  return { name, version: pkg.manifest.version ?? '?', folder };
}
