import semver from 'semver';

export const CORE = '@sluice/core';

/** The parts of a plugin's package.json (or of one registry version of it) the peer check reads. */
export interface PluginManifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

export type PeerCheck = { readonly ok: true; readonly range: string } | { readonly ok: false; readonly reason: string };

/** The `@sluice/core` peer range a plugin built against this worker's core declares. */
export function fittingRange(coreVersion: string): string {
  return `^${coreVersion}`;
}

/**
 * Whether a plugin may run on a worker whose `@sluice/core` is `coreVersion`: it must take
 * `@sluice/core` as a peer dependency (so it shares the worker's copy, never installs its own)
 * with a range that includes that version.
 */
export function checkCorePeer(manifest: PluginManifest, coreVersion: string): PeerCheck {
  const id = `${manifest.name}@${manifest.version}`;
  const example = `"peerDependencies": { "${CORE}": "${fittingRange(coreVersion)}" }`;
  if (manifest.dependencies?.[CORE] !== undefined) {
    return { ok: false, reason: `${id} lists ${CORE} in dependencies; a plugin takes it as a peer dependency (${example}) so it runs with the worker's copy` };
  }
  const range = manifest.peerDependencies?.[CORE];
  if (range === undefined) return { ok: false, reason: `${id} has no peer dependency on ${CORE}, so it is not a Sluice plugin (a plugin declares ${example})` };
  if (semver.validRange(range) === null) return { ok: false, reason: `${id} declares an invalid ${CORE} peer range \`${range}\`` };
  if (!semver.satisfies(coreVersion, range, { includePrerelease: true })) {
    return { ok: false, reason: `${id} needs ${CORE} ${range}, but this worker has ${CORE} ${coreVersion}` };
  }
  return { ok: true, range };
}

/** `candidates` with valid versions, newest first. */
export function newestFirst(candidates: readonly PluginManifest[]): PluginManifest[] {
  return candidates.filter((c) => semver.valid(c.version) !== null).sort((a, b) => semver.rcompare(a.version, b.version));
}

/** The versions among `candidates` that fit the worker's core, newest first. */
export function fittingVersions(candidates: readonly PluginManifest[], coreVersion: string): PluginManifest[] {
  return newestFirst(candidates).filter((c) => checkCorePeer(c, coreVersion).ok);
}

/**
 * Says which versions of a plugin would fit when the one asked for does not: the published
 * ones whose peer range includes the worker's core, or — when none does — the `@sluice/core`
 * versions the published ones are built for.
 */
export function fitAdvice(name: string, published: readonly PluginManifest[], coreVersion: string): string {
  const fitting = fittingVersions(published, coreVersion);
  if (fitting.length > 0) {
    const shown = fitting.slice(0, 5).map((m) => m.version);
    return `versions of ${name} that fit: ${shown.join(', ')}${fitting.length > shown.length ? ', …' : ''} (sluice plugins install ${name}@${shown[0]!})`;
  }
  const ranges = [...new Set(published.map((m) => m.peerDependencies?.[CORE]).filter((r) => r !== undefined))];
  if (ranges.length === 0) return `none of the ${published.length} published versions of ${name} is a Sluice plugin (none declares a ${CORE} peer dependency)`;
  return (
    `no published version of ${name} fits; it needs a version built for ${CORE} ${fittingRange(coreVersion)}` +
    ` (published versions take ${CORE} ${ranges.join(' or ')}, so a worker with such a core would run them)`
  );
}

/** For a plugin given as a file: the range its package.json must declare to fit. */
export function fileAdvice(name: string, coreVersion: string): string {
  return `a version of ${name} built for ${CORE} ${fittingRange(coreVersion)} fits this worker`;
}
