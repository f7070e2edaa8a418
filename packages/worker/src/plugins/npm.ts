import { spawn } from 'node:child_process';
import type { PluginManifest } from './peer.ts';

/** Runs npm with `args` in `cwd`, resolving with its standard output; injected in tests. */
export type NpmRunner = (args: readonly string[], cwd: string) => Promise<string>;

/** The npm on PATH, with its usual config (`.npmrc`, `npm_config_*` variables such as the registry). */
export const systemNpm: NpmRunner = (args, cwd) =>
  new Promise((resolve, reject) => {
    // npm is a .cmd script on Windows, which only a shell starts.
    const child = spawn('npm', [...args], { cwd, shell: process.platform === 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(new Error(`cannot run npm (it installs plugins; install Node.js with npm): ${error.message}`, { cause: error })));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(npmFailure(args, stdout, stderr, code)));
    });
  });

/** npm's own summary of a failure: the `--json` error object, else its `npm error` lines. */
function npmFailure(args: readonly string[], stdout: string, stderr: string, code: number | null): string {
  let summary: string | undefined;
  try {
    const parsed = JSON.parse(stdout) as { error?: { code?: string; summary?: string } };
    if (parsed.error) summary = [parsed.error.code, parsed.error.summary].filter(Boolean).join(': ');
  } catch {
    // not JSON output
  }
  summary ??= stderr
    .split('\n')
    .filter((line) => line.startsWith('npm error') && !/A complete log of this run|^npm error\s*$/.test(line))
    .map((line) => line.replace(/^npm error\s*/, ''))
    .join('; ');
  return `npm ${args[0] ?? ''} failed (exit ${code ?? 'signal'})${summary ? `: ${summary}` : ''}`;
}

/** The registry versions a spec denotes (`name`, `name@1.2.3`, `name@^1`, `name@next`), with their dependencies. */
export async function viewVersions(npm: NpmRunner, spec: string, cwd: string): Promise<PluginManifest[]> {
  const out = await npm(['view', spec, 'name', 'version', 'dependencies', 'peerDependencies', '--json'], cwd);
  if (out.trim() === '') return [];
  const parsed = JSON.parse(out) as PluginManifest | PluginManifest[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** Installs `spec` into the folder `prefix` as its only dependency, exactly pinned. */
export async function installInto(npm: NpmRunner, prefix: string, spec: string): Promise<void> {
  // --legacy-peer-deps: npm leaves peers (@sluice/core) alone; the worker's copy is linked in afterwards.
  await npm(['install', '--prefix', prefix, '--save-exact', '--legacy-peer-deps', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error', spec], prefix);
}

/** Packs the package folder `dir` into `destination`, returning the tarball's file name. */
export async function pack(npm: NpmRunner, dir: string, destination: string): Promise<string> {
  const out = await npm(['pack', dir, '--pack-destination', destination, '--json', '--loglevel=error'], destination);
  const [packed] = JSON.parse(out) as { filename: string }[];
  if (!packed) throw new Error(`npm pack ${dir} made no tarball`);
  return packed.filename;
}
