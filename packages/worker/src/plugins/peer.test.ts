import { describe, expect, it } from 'vitest';
import { checkCorePeer, fileAdvice, fitAdvice, fittingVersions } from './peer.ts';
import type { PluginManifest } from './peer.ts';

const plugin = (version: string, core?: string, extra: Partial<PluginManifest> = {}): PluginManifest => ({
  name: '@acme/counter',
  version,
  ...(core ? { peerDependencies: { '@sluice/core': core } } : {}),
  ...extra,
});

describe('checkCorePeer', () => {
  it('accepts a plugin whose @sluice/core peer range includes the worker’s core', () => {
    expect(checkCorePeer(plugin('1.0.0', '^0.1.0'), '0.1.3')).toEqual({ ok: true, range: '^0.1.0' });
    expect(checkCorePeer(plugin('1.0.0', '>=0.1.0 <2'), '1.4.0')).toEqual({ ok: true, range: '>=0.1.0 <2' });
    expect(checkCorePeer(plugin('1.0.0', '^0.2.0-0'), '0.2.0-rc.1').ok).toBe(true);
  });

  it('refuses a range that leaves the worker’s core out, naming both', () => {
    expect(checkCorePeer(plugin('2.0.0', '^0.2.0'), '0.1.0')).toEqual({ ok: false, reason: '@acme/counter@2.0.0 needs @sluice/core ^0.2.0, but this worker has @sluice/core 0.1.0' });
    // A caret range of a 0.x core does not reach the next minor.
    expect(checkCorePeer(plugin('1.0.0', '^0.1.0'), '0.2.0').ok).toBe(false);
  });

  it('refuses @sluice/core as a regular dependency, which would install a second copy', () => {
    const check = checkCorePeer(plugin('1.0.0', undefined, { dependencies: { '@sluice/core': '^0.1.0' } }), '0.1.0');
    expect(check).toEqual({
      ok: false,
      reason: '@acme/counter@1.0.0 lists @sluice/core in dependencies; a plugin takes it as a peer dependency ("peerDependencies": { "@sluice/core": "^0.1.0" }) so it runs with the worker\'s copy',
    });
  });

  it('refuses a package without the peer dependency, and an invalid range', () => {
    expect(checkCorePeer(plugin('1.0.0'), '0.1.0')).toEqual({
      ok: false,
      reason: '@acme/counter@1.0.0 has no peer dependency on @sluice/core, so it is not a Sluice plugin (a plugin declares "peerDependencies": { "@sluice/core": "^0.1.0" })',
    });
    expect(checkCorePeer(plugin('1.0.0', 'banana'), '0.1.0')).toEqual({ ok: false, reason: '@acme/counter@1.0.0 declares an invalid @sluice/core peer range `banana`' });
  });
});

describe('fitting versions and advice', () => {
  const published = [plugin('1.0.0', '^0.1.0'), plugin('1.2.0', '^0.1.0'), plugin('1.10.0', '^0.1.0'), plugin('2.0.0', '^0.2.0'), plugin('2.1.0', '^0.2.0')];

  it('lists the versions that fit, newest by semver first', () => {
    expect(fittingVersions(published, '0.1.0').map((m) => m.version)).toEqual(['1.10.0', '1.2.0', '1.0.0']);
    expect(fittingVersions(published, '0.2.5').map((m) => m.version)).toEqual(['2.1.0', '2.0.0']);
  });

  it('names the fitting versions and the command that installs the newest', () => {
    expect(fitAdvice('@acme/counter', published, '0.1.0')).toBe('versions of @acme/counter that fit: 1.10.0, 1.2.0, 1.0.0 (sluice plugins install @acme/counter@1.10.0)');
  });

  it('when none fits, names the range a fitting version declares and the cores the published ones take', () => {
    expect(fitAdvice('@acme/counter', published, '0.3.0')).toBe(
      'no published version of @acme/counter fits; it needs a version built for @sluice/core ^0.3.0 (published versions take @sluice/core ^0.1.0 or ^0.2.0, so a worker with such a core would run them)',
    );
    expect(fitAdvice('left-pad', [{ name: 'left-pad', version: '1.3.0' }], '0.1.0')).toBe('none of the 1 published versions of left-pad is a Sluice plugin (none declares a @sluice/core peer dependency)');
    expect(fileAdvice('@acme/counter', '0.1.0')).toBe('a version of @acme/counter built for @sluice/core ^0.1.0 fits this worker');
  });
});
