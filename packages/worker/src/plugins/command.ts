import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger, Plugin } from '@sluice/core';
import { readConfigFile } from '../standalone/files.ts';
import { installPlugin, listPlugins, removePlugin } from './install.ts';
import type { PluginCommandContext } from './install.ts';
import { bundledPlugins } from './loader.ts';
import { systemNpm } from './npm.ts';
import type { NpmRunner } from './npm.ts';
import { PluginRegistry } from './registry.ts';

export const PLUGINS_USAGE = `usage: sluice plugins install <package>[@version] | <file.tgz> | <folder>  [--plugin-path dir | --worker-config worker.properties]
       sluice plugins list                                                [--plugin-path dir | --worker-config worker.properties]
       sluice plugins remove <package>                                    [--plugin-path dir | --worker-config worker.properties]

Installs each plugin with its own dependencies into <plugin path>/<package>, where a worker
whose plugin.path lists that folder loads it at start. The plugin path is --plugin-path, else
the first plugin.path entry of --worker-config, else ./plugins.`;

/** Where `sluice plugins` writes its output; the process's stdout/stderr in the CLI. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The folder to work in: `--plugin-path`, else the worker file's first `plugin.path` entry, else `./plugins`. */
export async function resolvePluginPath(options: { 'plugin-path'?: string | undefined; 'worker-config'?: string | undefined }): Promise<string> {
  if (options['plugin-path'] !== undefined) return resolve(options['plugin-path']);
  const workerFile = options['worker-config'];
  if (workerFile === undefined) return resolve('plugins');
  const entries = ((await readConfigFile(workerFile))['plugin.path'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries[0] === undefined) throw new Error(`${workerFile} has no plugin.path; add one (plugin.path=/opt/sluice/plugins) or give --plugin-path`);
  // Relative entries are read from the current folder, as the worker reads them.
  return resolve(entries[0]);
}

/** One line per component: kind, name, and the other names configs may use for it. */
export function describeComponents(plugin: Plugin): string[] {
  const registry = new PluginRegistry([plugin]);
  return registry.list().map((c) => {
    const kind = c.kind === 'connector' ? `${registry.resolve('connector', c.name).type} connector` : c.kind;
    return `    ${kind.padEnd(18)}${c.name}${c.aliases.length > 0 ? `  (also: ${c.aliases.join(', ')})` : ''}`;
  });
}

function cliLogger(output: CommandOutput): Logger {
  const text = (a: object | string, b?: string) => (typeof a === 'string' ? a : (b ?? JSON.stringify(a)));
  return { debug: () => undefined, info: () => undefined, warn: (a: object | string, b?: string) => output.err(`warning: ${text(a, b)}`), error: (a: object | string, b?: string) => output.err(text(a, b)) };
}

/**
 * `sluice plugins install|list|remove …`. Returns the exit code: 0 done, 1 failed (the message
 * names the package and the reason), 2 usage.
 */
export async function pluginsCommand(args: readonly string[], output: CommandOutput, npm: NpmRunner = systemNpm): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { 'plugin-path': { type: 'string' }, 'worker-config': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    output.err(`sluice plugins: ${(error as Error).message}\n\n${PLUGINS_USAGE}`);
    return 2;
  }
  const [action, target, ...extra] = parsed.positionals;
  if (parsed.values.help) {
    output.out(PLUGINS_USAGE);
    return 0;
  }
  const needsTarget = action === 'install' || action === 'remove';
  if (!(needsTarget || action === 'list') || (needsTarget ? target === undefined || extra.length > 0 : target !== undefined)) {
    output.err(PLUGINS_USAGE);
    return 2;
  }
  try {
    const ctx: PluginCommandContext = { pluginPath: await resolvePluginPath(parsed.values), npm, logger: cliLogger(output) };
    if (action === 'install') await install(target!, ctx, output);
    else if (action === 'remove') {
      const removed = removePlugin(target!, ctx);
      output.out(`removed ${removed.name} ${removed.version} (deleted ${removed.folder}); running workers keep it until they restart`);
    } else await list(ctx, output);
    return 0;
  } catch (error) {
    output.err(`sluice plugins ${action}: ${(error as Error).message}`);
    return 1;
  }
}

async function install(spec: string, ctx: PluginCommandContext, output: CommandOutput): Promise<void> {
  const installed = await installPlugin(spec, ctx);
  if (installed.note) output.out(installed.note);
  output.out(`installed ${installed.name} ${installed.version}${installed.replaced ? ` (replacing ${installed.replaced})` : ''} into ${installed.folder}`);
  for (const line of describeComponents(installed.plugin)) output.out(line);
  output.out(`workers load it at start when their plugin.path includes ${ctx.pluginPath}`);
}

async function list(ctx: PluginCommandContext, output: CommandOutput): Promise<void> {
  const listed = await listPlugins(ctx);
  output.out(listed.length === 0 ? `no plugins in ${ctx.pluginPath}` : `plugins in ${ctx.pluginPath}:`);
  const failed: string[] = [];
  for (const entry of listed) {
    const origin = entry.installed ? '' : ', placed by hand';
    output.out(`  ${entry.name} ${entry.version}  (${entry.coreRange ? `@sluice/core ${entry.coreRange}` : 'no @sluice/core peer range'}${origin})`);
    if (entry.plugin) for (const line of describeComponents(entry.plugin)) output.out(line);
    else {
      output.out(`    not loaded: ${entry.error ?? 'unknown reason'}`);
      failed.push(entry.name);
    }
  }
  const bundled = await bundledPlugins(ctx.logger);
  if (bundled.length > 0) output.out(`bundled with the worker: ${bundled.map((p) => `${p.name} ${p.version}`).join(', ')}`);
  if (failed.length > 0) throw new Error(`${failed.join(', ')} would not load in a worker (see above)`);
}
