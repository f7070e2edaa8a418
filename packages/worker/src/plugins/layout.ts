import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fields of a package.json the plugin code reads. */
export interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  sluice?: { plugin?: boolean; installed?: string };
}

export function readPackage(dir: string): PackageJson | undefined {
  const file = join(dir, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageJson) : undefined;
}

/** One plugin package found in a `plugin.path` entry. */
export interface PluginPackage {
  /** The package's own folder (the one holding its package.json and code). */
  readonly dir: string;
  readonly manifest: PackageJson;
  /** For a plugin `sluice plugins install` put there: the folder holding it and its node_modules. */
  readonly installFolder?: string;
}

// npm's rules for new package names, which also keep a name from leaving the plugin path.
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

export function isPackageName(name: string): boolean {
  return PACKAGE_NAME.test(name) && name.length <= 214;
}

/**
 * The folder `sluice plugins install` gives a plugin: `<pluginPath>/<name>` (`@scope/name`
 * nests, as in node_modules). It holds a small package.json marking it, the plugin under
 * `node_modules/<name>`, the plugin's own dependencies beside it — so two plugins can use
 * different versions of a library — and a link to the worker's `@sluice/core`.
 */
export function installFolderOf(pluginPath: string, name: string): string {
  if (!isPackageName(name)) throw new Error(`\`${name}\` is not an npm package name`);
  return join(pluginPath, ...name.split('/'));
}

/** The package.json of an install folder; npm adds the plugin to its `dependencies`. */
export function installFolderManifest(name: string): PackageJson & { private: true; description: string } {
  return {
    private: true,
    description: `The Sluice plugin ${name} and its dependencies, installed by \`sluice plugins install\`; \`sluice plugins remove ${name}\` deletes this folder.`,
    sluice: { installed: name },
  };
}

function asPluginPackage(dir: string, manifest: PackageJson): PluginPackage | undefined {
  const installed = manifest.sluice?.installed;
  if (installed === undefined) return { dir, manifest };
  const inner = join(dir, 'node_modules', ...installed.split('/'));
  const innerManifest = readPackage(inner);
  return innerManifest ? { dir: inner, manifest: innerManifest, installFolder: dir } : undefined;
}

/**
 * The plugin packages in one `plugin.path` entry: the entry itself when it is a package or an
 * install folder, else its subfolders and `@scope/*` subfolders that are. Dot folders are
 * skipped: they hold installs under way, and node_modules keeps its bookkeeping there.
 */
export function pluginPackages(entry: string): PluginPackage[] {
  const own = readPackage(entry);
  if (own) return [asPluginPackage(entry, own)].filter((p) => p !== undefined);
  const found: PluginPackage[] = [];
  const consider = (dir: string) => {
    const manifest = readPackage(dir);
    const pkg = manifest && asPluginPackage(dir, manifest);
    if (pkg) found.push(pkg);
  };
  for (const name of readdirSync(entry).sort()) {
    const dir = join(entry, name);
    if (name.startsWith('.') || !statSync(dir).isDirectory()) continue;
    if (!name.startsWith('@')) consider(dir);
    else for (const inner of readdirSync(dir).sort()) if (!inner.startsWith('.') && statSync(join(dir, inner)).isDirectory()) consider(join(dir, inner));
  }
  return found;
}

/** The worker package's folder (src/plugins/… or dist/plugins/… sit two levels below it). */
export const WORKER_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/**
 * The `@sluice/core` the worker itself runs with, found as Node finds a bare import from the
 * worker's folder, so plugins can be pointed at that very copy.
 */
export function workerCore(): { dir: string; version: string } {
  for (let dir = WORKER_DIR; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@sluice', 'core');
    const manifest = readPackage(candidate);
    if (manifest?.version) return { dir: realpathSync(candidate), version: manifest.version };
    if (dirname(dir) === dir) throw new Error(`@sluice/core is not installed beside the worker in ${WORKER_DIR}`);
  }
}

/**
 * Points an install folder's `node_modules/@sluice/core` at the worker's copy (a junction on
 * Windows, a symlink elsewhere), so a plugin's `import '@sluice/core'` gets the very module the
 * worker runs — one copy, whatever npm did. Returns whether the link had to be (re)made.
 */
export function linkWorkerCore(installFolder: string, coreDir: string): boolean {
  const link = join(installFolder, 'node_modules', '@sluice', 'core');
  try {
    if (realpathSync(link) === coreDir) return false;
  } catch {
    // missing or dangling: made below
  }
  if (existsSync(link) || isSymlink(link)) rmSync(link, { recursive: true, force: true });
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(coreDir, link, 'junction');
  return true;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
