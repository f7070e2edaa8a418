import { describe, expect, it } from 'vitest';
import { RestartPolicy } from './restart-policy.ts';
import type { RestartSettings } from './restart-policy.ts';

const settings = (overrides: Partial<RestartSettings> = {}): RestartSettings => ({
  'sluice.restart.on.failure': true,
  'sluice.restart.max.attempts': 3,
  'sluice.restart.backoff.ms': 1000,
  'sluice.restart.backoff.max.ms': 5000,
  ...overrides,
});

describe('RestartPolicy', () => {
  it('never restarts when sluice.restart.on.failure is false', () => {
    expect(new RestartPolicy(settings({ 'sluice.restart.on.failure': false })).failed()).toEqual({ restart: false, reason: 'sluice.restart.on.failure is false' });
  });

  it('doubles the wait up to the cap, and gives up after max attempts in a row', () => {
    const policy = new RestartPolicy(settings(), () => 0);
    policy.running(1000);
    const decisions = [1001, 1002, 1003, 1004].map((now) => policy.failed(now));
    expect(decisions).toEqual([
      { restart: true, attempt: 1, delayMs: 1000 },
      { restart: true, attempt: 2, delayMs: 2000 },
      { restart: true, attempt: 3, delayMs: 4000 },
      { restart: false, reason: 'gave up after 3 restarts in a row (sluice.restart.max.attempts=3)' },
    ]);
  });

  it('takes up to a quarter off the wait as jitter', () => {
    expect(new RestartPolicy(settings(), () => 1).failed()).toMatchObject({ delayMs: 750 });
  });

  it('counts from one again after a run that lasted backoff.max.ms without failing', () => {
    const policy = new RestartPolicy(settings({ 'sluice.restart.max.attempts': 1 }), () => 0);
    policy.running(0);
    expect(policy.failed(10)).toMatchObject({ restart: true, attempt: 1 });
    policy.running(20);
    expect(policy.failed(20 + 5000)).toMatchObject({ restart: true, attempt: 1 });
  });

  it('does not count a start that failed before RUNNING as healthy, however long ago the last run was', () => {
    const policy = new RestartPolicy(settings({ 'sluice.restart.max.attempts': 2 }), () => 0);
    policy.running(0);
    expect(policy.failed(60_000)).toMatchObject({ restart: true, attempt: 1 });
    expect(policy.failed(120_000)).toMatchObject({ restart: true, attempt: 2 });
    expect(policy.failed(180_000)).toMatchObject({ restart: false });
  });

  it('needs a run of at least a second to start counting again, even with no backoff', () => {
    const policy = new RestartPolicy(settings({ 'sluice.restart.max.attempts': 1, 'sluice.restart.backoff.ms': 0, 'sluice.restart.backoff.max.ms': 0 }), () => 0);
    policy.running(0);
    expect(policy.failed(5)).toMatchObject({ restart: true, attempt: 1, delayMs: 0 });
    policy.running(5);
    expect(policy.failed(10)).toMatchObject({ restart: false });
  });

  it('restarts without limit when max attempts is -1', () => {
    const policy = new RestartPolicy(settings({ 'sluice.restart.max.attempts': -1 }), () => 0);
    for (let i = 0; i < 50; i++) expect(policy.failed(0).restart).toBe(true);
    expect(policy.describe(51)).toBe('restart 51');
  });
});
