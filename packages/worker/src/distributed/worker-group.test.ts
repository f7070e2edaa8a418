import { hasErrorCode } from '@sluice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaPortError } from '../kafka/errors.ts';
import type { GroupMember, GroupMemberOptions, JoinResult } from '../kafka/port.ts';
import type { ConfigSnapshot } from './assignor.ts';
import type { ConnectAssignment } from './connect-protocol.ts';
import { WorkerGroup } from './worker-group.ts';
import { workerGroupConfig } from './worker-group-config.ts';

type Protocols = GroupMemberOptions['protocols'];

/**
 * An in-memory group coordinator with the classic protocol's rules that membership relies on:
 * a join starts a rebalance, which completes once every member joined; the others learn of it
 * from a heartbeat answered REBALANCE; followers' SyncGroup waits for the leader's.
 */
class FakeCoordinator {
  readonly members = new Map<string, Protocols>();
  #joining = new Map<string, { protocols: Protocols; resolve: (r: JoinResult) => void }>();
  #syncing = new Map<string, (bytes: Uint8Array) => void>();
  #assignments: ReadonlyMap<string, Uint8Array> | null = null;
  #leader = '';
  #next = 0;
  generation = 0;
  rebalancing = false;
  /** When set, the next heartbeat of any member fails with it (a lost coordinator). */
  heartbeatFailure: Error | null = null;

  member(): GroupMember {
    let id = '';
    const leave = () => {
      this.members.delete(id);
      this.rebalancing = this.members.size > 0;
      this.#maybeComplete();
      return Promise.resolve();
    };
    return {
      join: (protocols: Protocols = []) => {
        id ||= `member-${this.#next++}`;
        this.members.set(id, protocols);
        this.rebalancing = true;
        this.#assignments = null;
        return new Promise<JoinResult>((resolve) => {
          this.#joining.set(id, { protocols, resolve });
          this.#maybeComplete();
        });
      },
      sync: (assignments) => {
        if (assignments && assignments.size > 0) {
          this.#assignments = assignments;
          for (const [member, deliver] of this.#syncing) deliver(assignments.get(member) ?? new Uint8Array());
          this.#syncing.clear();
          this.rebalancing = false;
          return Promise.resolve(assignments.get(id) ?? new Uint8Array());
        }
        if (this.#assignments) return Promise.resolve(this.#assignments.get(id) ?? new Uint8Array());
        return new Promise((resolve) => this.#syncing.set(id, resolve));
      },
      heartbeat: () => {
        const failure = this.heartbeatFailure;
        this.heartbeatFailure = null;
        if (failure) return Promise.reject(failure);
        if (!this.members.has(id) || (this.rebalancing && !this.#joining.has(id))) {
          return Promise.reject(new KafkaPortError('REBALANCE', 'Heartbeat answered REBALANCE_IN_PROGRESS'));
        }
        return Promise.resolve();
      },
      leave,
      abandon: leave,
    };
  }

  #maybeComplete(): void {
    if (this.#joining.size === 0 || [...this.members.keys()].some((m) => !this.#joining.has(m))) return;
    this.generation++;
    if (!this.members.has(this.#leader)) this.#leader = [...this.#joining.keys()][0]!;
    const all = [...this.#joining].map(([memberId, j]) => ({ memberId, metadata: j.protocols[0]!.metadata }));
    const protocol = this.#joining.get(this.#leader)!.protocols[0]!.name;
    for (const [memberId, j] of this.#joining) {
      const isLeader = memberId === this.#leader;
      j.resolve({ generationId: this.generation, memberId, leaderId: this.#leader, isLeader, protocol, members: isLeader ? all : [] });
    }
    this.#joining.clear();
  }
}

class Recorder {
  readonly events: string[] = [];
  last: ConnectAssignment | null = null;
  onAssigned: (a: ConnectAssignment) => void | Promise<void> = () => undefined;
}

const groups: WorkerGroup[] = [];
afterEach(async () => {
  await Promise.all(groups.splice(0).map((g) => g.stop()));
});

function worker(coordinator: FakeCoordinator, config: () => ConfigSnapshot, url = 'http://w:8083/', keys: Record<string, number> = {}) {
  const recorder = new Recorder();
  const group = new WorkerGroup({
    client: { groupMember: () => Promise.resolve(coordinator.member()) },
    config: workerGroupConfig.parse({ 'group.id': 'g', 'heartbeat.interval.ms': 10, 'session.timeout.ms': 1_000, 'scheduled.rebalance.max.delay.ms': 200, ...keys }),
    url,
    configs: { configSnapshot: config },
    listener: {
      onRevoked: (w) => void recorder.events.push(`revoked ${[...w.connectors, ...w.tasks.map((t) => `${t.connector}-${t.task}`)].join(',')}`),
      onAssigned: async (a, leaderUrl, generation) => {
        recorder.last = a;
        recorder.events.push(`assigned g${generation} ${[...a.connectors, ...a.tasks.map((t) => `${t.connector}-${t.task}`)].sort().join(',')} from ${leaderUrl}`);
        await recorder.onAssigned(a);
      },
    },
  });
  groups.push(group);
  return { group, recorder };
}

const snapshot = (offset: bigint, connectors: [string, number][]): ConfigSnapshot => ({ offset, connectors: new Map(connectors) });

describe('WorkerGroup', () => {
  it('as a lone leader runs everything, and assigns new connectors after the herder asks for a rebalance', async () => {
    const coordinator = new FakeCoordinator();
    let config = snapshot(3n, [['a', 1]]);
    const { group, recorder } = worker(coordinator, () => config);
    await group.start();
    expect(recorder.events).toEqual(['assigned g1 a,a-0 from http://w:8083/']);
    expect(group.isLeader).toBe(true);
    expect(group.protocol).toBe('sessioned');
    expect(group.ownerUrl('a', 0)).toBe('http://w:8083/');
    expect(group.ownerUrl('b')).toBeNull();

    config = snapshot(4n, [['a', 1], ['b', 2]]);
    group.requestRejoin('connector b was created');
    await expect.poll(() => recorder.events.at(-1)).toBe('assigned g2 a,a-0,b,b-0,b-1 from http://w:8083/');
  });

  it('stops revoked work before it hears of the round, then joins again for the follow-up that hands it over', async () => {
    const coordinator = new FakeCoordinator();
    const config = () => snapshot(3n, [['a', 2]]);
    const first = worker(coordinator, config, 'http://one:8083/');
    await first.group.start();
    const second = worker(coordinator, config, 'http://two:8083/');
    await second.group.start();
    await expect.poll(() => second.recorder.last?.tasks.length ?? 0).toBe(1);
    expect(first.recorder.events.slice(1)).toEqual(['revoked a-1', 'assigned g2 a,a-0 from http://one:8083/', 'assigned g3 a,a-0 from http://one:8083/']);
    expect(second.recorder.events).toEqual(['assigned g2  from http://one:8083/', 'assigned g3 a-1 from http://one:8083/']);
    expect(second.group.leaderUrl).toBe('http://one:8083/');
    expect(second.group.isLeader).toBe(false);
  });

  it('reports a config mismatch to the herder, and joins again once the herder caught up', async () => {
    const coordinator = new FakeCoordinator();
    let herderOffset = 3n;
    const leader = worker(coordinator, () => snapshot(herderOffset, [['a', 0]]), 'http://l:8083/');
    await leader.group.start();
    // A member that has read further in the config topic than the leader.
    const ahead = worker(coordinator, () => snapshot(7n, [['a', 0]]), 'http://ahead:8083/');
    leader.recorder.onAssigned = (a) => {
      if (a.error !== 0) herderOffset = a.configOffset;
    };
    await ahead.group.start();
    await expect.poll(() => leader.recorder.last?.error).toBe(0);
    expect(leader.recorder.last?.configOffset).toBe(7n);
    expect(ahead.recorder.last?.error).toBe(0);
  });

  it('joins again when the leader’s scheduled delay ends', async () => {
    const coordinator = new FakeCoordinator();
    const config = () => snapshot(3n, [['a', 2]]);
    const one = worker(coordinator, config, 'http://one:8083/');
    await one.group.start();
    const two = worker(coordinator, config, 'http://two:8083/');
    await two.group.start();
    await expect.poll(() => two.recorder.last?.tasks.length ?? 0).toBe(1);
    await two.group.stop();
    // The leader holds two's task for 200 ms, then a round it starts itself reassigns it.
    await expect.poll(() => one.recorder.last?.delayMs).toBe(200);
    await expect.poll(() => one.recorder.last?.tasks.length, { timeout: 2_000 }).toBe(2);
  });

  it('stops all its work when it loses the coordinator, and joins again as a new member', async () => {
    const coordinator = new FakeCoordinator();
    const { group, recorder } = worker(coordinator, () => snapshot(3n, [['a', 1]]));
    await group.start();
    const firstId = group.memberId;
    coordinator.heartbeatFailure = new KafkaPortError('CONNECTION', 'the coordinator went away');
    await expect.poll(() => recorder.events.length, { timeout: 3_000 }).toBe(4);
    // Its old membership's work is lost to the group: held for the delay, then given to the member that joined empty — itself.
    expect(recorder.events.slice(1)).toEqual(['revoked a,a-0', 'assigned g2  from http://w:8083/', 'assigned g3 a,a-0 from http://w:8083/']);
    expect(group.memberId).not.toBe(firstId);
  });

  it('refuses a heartbeat interval that is not below the session timeout, and eager rebalancing', () => {
    const coordinator = new FakeCoordinator();
    const attempt = (keys: Record<string, string | number>) => {
      try {
        worker(coordinator, () => snapshot(0n, []), 'http://w:8083/', keys as Record<string, number>);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const heartbeat = attempt({ 'heartbeat.interval.ms': 1_000 });
    expect(hasErrorCode(heartbeat, 'CONFIG')).toBe(true);
    expect((heartbeat as Error).message).toContain('heartbeat.interval.ms');
    expect((attempt({ 'connect.protocol': 'eager' }) as Error).message).toMatch(/eager rebalancing is not supported/);
  });
});
