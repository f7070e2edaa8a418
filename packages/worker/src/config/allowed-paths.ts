import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, normalize, relative, sep } from 'node:path';
import { configError } from '@sluice/core';

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The `allowed.paths` parameter of the file and directory providers (KIP-993): a comma list of
 * absolute, existing paths; a provider may read only at or below one of them. Unset, every
 * path is allowed. As in Kafka, `..` is resolved before the check; unlike Kafka, symbolic
 * links are resolved too, so a link inside an allowed folder cannot lead out of it.
 */
export class AllowedPaths {
  readonly #roots: readonly { lexical: string; real: string }[] | null;
  readonly #providerName: string;

  /** @param paramKey the worker key that sets the parameter, for errors */
  constructor(value: string | undefined, paramKey: string, providerName: string) {
    this.#providerName = providerName;
    const entries = (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length === 0) {
      this.#roots = null;
      return;
    }
    this.#roots = entries.map((entry) => {
      const path = normalize(entry);
      if (!isAbsolute(path)) throw configError(paramKey, `path ${path} is not absolute`);
      if (!existsSync(path)) throw configError(paramKey, `path ${path} does not exist`);
      return { lexical: path, real: real(path) };
    });
  }

  /** `path` normalised, or an error saying it lies outside `allowed.paths`. */
  check(path: string): string {
    const normalised = normalize(path);
    if (this.#roots === null) return normalised;
    const resolved = real(normalised);
    if (isAbsolute(normalised) && this.#roots.some((root) => inside(root.lexical, normalised) && inside(root.real, resolved))) return normalised;
    throw new Error(`path ${path} is outside the allowed.paths of config provider \`${this.#providerName}\``);
  }
}
