import { describe, expect, it } from 'vitest';
import { IncrementalCooperativeAssignor } from './assignor.ts';
import type { ConfigSnapshot } from './assignor.ts';
import type { ConnectAssignment, ConnectorTaskId, WorkerMetadata } from './connect-protocol.ts';

const MAX_DELAY = 10_000;

interface Runs {
  connectors: string[];
  tasks: ConnectorTaskId[];
}

const name = (t: ConnectorTaskId) => `${t.connector}-${t.task}`;

/**
 * A group driven round by round as Kafka's WorkerCoordinator drives it: every member reports
 * what it runs, the leader assigns, each member stops what was revoked and starts what was
 * assigned. Time is a fake clock.
 */
class Group {
  now = 0;
  configOffset = 10n;
  readonly connectors = new Map<string, number>();
  readonly members = new Map<string, Runs>();
  assignor: IncrementalCooperativeAssignor;
  generation = 1;
  lastCompleted = 1;
  last = new Map<string, ConnectAssignment>();
  /** Members list new work after what they kept (Kafka's workers list it first; the wire does not keep either order). */
  newWorkLast = false;

  constructor(maxDelay = MAX_DELAY) {
    this.assignor = new IncrementalCooperativeAssignor(maxDelay, () => this.now);
  }

  connector(name: string, tasks: number): this {
    this.connectors.set(name, tasks);
    this.configOffset++;
    return this;
  }

  join(...workers: string[]): this {
    for (const w of workers) this.members.set(w, { connectors: [], tasks: [] });
    return this;
  }

  leave(...workers: string[]): this {
    for (const w of workers) this.members.delete(w);
    return this;
  }

  /** A leader change: the new leader's assignor knows nothing of earlier rounds. */
  newLeader(maxDelay = MAX_DELAY): this {
    this.assignor = new IncrementalCooperativeAssignor(maxDelay, () => this.now);
    this.lastCompleted = -1;
    return this;
  }

  config(): ConfigSnapshot {
    return { offset: this.configOffset, connectors: new Map(this.connectors) };
  }

  metadata(runs: Runs): WorkerMetadata {
    const allocation: ConnectAssignment = {
      version: 2,
      error: 0,
      leader: 'leader',
      leaderUrl: 'http://leader:8083/',
      configOffset: this.configOffset,
      connectors: runs.connectors,
      tasks: runs.tasks,
      revokedConnectors: [],
      revokedTasks: [],
      delayMs: 0,
    };
    return { version: 2, url: 'http://w:8083/', configOffset: this.configOffset, allocation };
  }

  rebalance(): Map<string, ConnectAssignment> {
    this.generation++;
    const ids = [...this.members.keys()];
    const result = this.assignor.assign({
      leaderId: ids[0]!,
      protocolVersion: 2,
      members: new Map(ids.map((id) => [id, this.metadata(this.members.get(id)!)])),
      config: this.config(),
      freshConfig: () => this.config(),
      generation: this.generation,
      lastCompletedGeneration: this.lastCompleted,
    });
    for (const [id, a] of result.assignments) {
      const runs = this.members.get(id)!;
      const revokedTasks = new Set(a.revokedTasks.map(name));
      // As Kafka's WorkerCoordinator: the new assignment first, then what the worker kept.
      const keptConnectors = runs.connectors.filter((c) => !a.revokedConnectors.includes(c));
      const keptTasks = runs.tasks.filter((t) => !revokedTasks.has(name(t)));
      runs.connectors = this.newWorkLast ? [...keptConnectors, ...a.connectors] : [...a.connectors, ...keptConnectors];
      runs.tasks = this.newWorkLast ? [...keptTasks, ...a.tasks] : [...a.tasks, ...keptTasks];
    }
    this.lastCompleted = this.generation;
    this.last = result.assignments;
    return result.assignments;
  }

  /** Rebalances until a round neither revokes nor assigns (at most 5 rounds), letting delays pass. */
  settle(): void {
    for (let i = 0; i < 5; i++) {
      this.now += this.assignor.delayMs;
      const round = this.rebalance();
      if (![...round.values()].some((a) => a.connectors.length + a.tasks.length + a.revokedConnectors.length + a.revokedTasks.length > 0)) return;
    }
    throw new Error('the group did not settle within 5 rounds');
  }

  delay(): number {
    const delays = new Set([...this.last.values()].map((a) => a.delayMs));
    expect(delays.size).toBe(1);
    return [...delays][0]!;
  }

  connectorCounts(): number[] {
    return [...this.members.values()].map((r) => r.connectors.length);
  }

  taskCounts(): number[] {
    return [...this.members.values()].map((r) => r.tasks.length);
  }

  revocations(): string[] {
    return [...this.last.values()].flatMap((a) => [...a.revokedConnectors, ...a.revokedTasks.map(name)]);
  }

  assignedNow(): string[] {
    return [...this.last.values()].flatMap((a) => [...a.connectors, ...a.tasks.map(name)]);
  }

  owned(worker: string): string[] {
    const runs = this.members.get(worker)!;
    return [...runs.connectors, ...runs.tasks.map(name)].sort();
  }

  expectBalancedAndComplete(): void {
    const everything = [...this.members.values()].flatMap((r) => [...r.connectors, ...r.tasks.map(name)]);
    const configured = [...this.connectors].flatMap(([c, n]) => [c, ...Array.from({ length: n }, (_, t) => `${c}-${t}`)]);
    expect(everything.sort()).toEqual(configured.sort());
    for (const counts of [this.connectorCounts(), this.taskCounts()]) {
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  }
}

describe('IncrementalCooperativeAssignor', () => {
  it('gives a lone worker everything, then shares with a joining worker in two rounds: revoke, then assign', () => {
    const g = new Group().connector('c1', 4).connector('c2', 4).join('w1');
    g.rebalance();
    expect(g.delay()).toBe(0);
    expect(g.connectorCounts()).toEqual([2]);
    expect(g.taskCounts()).toEqual([8]);

    g.join('w2');
    g.rebalance();
    expect(g.delay()).toBe(0);
    expect(g.assignedNow()).toEqual([]);
    expect(g.revocations()).toHaveLength(5);
    expect(g.connectorCounts()).toEqual([1, 0]);
    expect(g.taskCounts()).toEqual([4, 0]);

    g.rebalance();
    expect(g.revocations()).toEqual([]);
    expect(g.connectorCounts()).toEqual([1, 1]);
    expect(g.taskCounts()).toEqual([4, 4]);
    g.expectBalancedAndComplete();

    g.rebalance();
    expect(g.assignedNow()).toEqual([]);
    expect(g.revocations()).toEqual([]);
  });

  it('assigns a new connector and its tasks to the least loaded workers without revoking anything', () => {
    const g = new Group().connector('c1', 3).join('w1', 'w2', 'w3');
    g.rebalance();
    g.expectBalancedAndComplete();
    const before = new Map([...g.members.keys()].map((w) => [w, g.owned(w)]));

    g.connector('c2', 3);
    g.rebalance();
    expect(g.revocations()).toEqual([]);
    g.expectBalancedAndComplete();
    for (const [w, owned] of before) expect(g.owned(w)).toEqual(expect.arrayContaining(owned));
  });

  it('revokes a deleted connector and its tasks from whoever runs them, and does not reassign them', () => {
    const g = new Group().connector('c1', 2).connector('c2', 2).join('w1', 'w2');
    g.rebalance();
    g.connectors.delete('c2');
    g.rebalance();
    expect(g.revocations().sort()).toEqual(['c2', 'c2-0', 'c2-1']);
    expect(g.assignedNow()).toEqual([]);
    g.settle();
    g.expectBalancedAndComplete();
  });

  it('revokes only the tasks a reconfigured connector no longer has', () => {
    const g = new Group().connector('c1', 4).join('w1', 'w2');
    g.rebalance();
    g.connector('c1', 2);
    g.rebalance();
    expect(g.revocations().sort()).toEqual(['c1-2', 'c1-3']);
    g.settle();
    g.expectBalancedAndComplete();
  });

  describe('a worker that leaves', () => {
    function threeWorkers(maxDelay = MAX_DELAY): Group {
      const g = new Group(maxDelay).connector('c1', 2).connector('c2', 2).connector('c3', 2).join('w1', 'w2', 'w3');
      g.rebalance();
      g.expectBalancedAndComplete();
      return g;
    }

    it('has its work held for the scheduled delay, reported to the members, counting down across rounds', () => {
      const g = threeWorkers();
      g.leave('w3');
      g.rebalance();
      expect(g.delay()).toBe(MAX_DELAY);
      expect(g.assignedNow()).toEqual([]);
      expect(g.revocations()).toEqual([]);

      g.now += 4_000;
      g.rebalance();
      expect(g.delay()).toBe(6_000);
      expect(g.assignedNow()).toEqual([]);
    });

    it('has its work spread over the others once the delay expired, without revoking theirs', () => {
      const g = threeWorkers();
      const w1 = g.owned('w1');
      const w2 = g.owned('w2');
      const lost = g.owned('w3');
      g.leave('w3');
      g.rebalance();
      g.now += MAX_DELAY;
      g.rebalance();
      expect(g.delay()).toBe(0);
      expect(g.revocations()).toEqual([]);
      expect(g.assignedNow().sort()).toEqual(lost);
      expect(g.owned('w1')).toEqual(expect.arrayContaining(w1));
      expect(g.owned('w2')).toEqual(expect.arrayContaining(w2));
      g.expectBalancedAndComplete();
    });

    it('gets its work back when it returns within the delay (as a new member), and nobody else is touched', () => {
      const g = threeWorkers();
      const w1 = g.owned('w1');
      const w2 = g.owned('w2');
      const lost = g.owned('w3');
      g.leave('w3');
      g.rebalance();
      g.now += 3_000;
      g.join('w3-restarted');
      g.rebalance();
      expect(g.delay()).toBe(7_000);
      expect(g.assignedNow()).toEqual([]);

      g.now += 7_000;
      g.rebalance();
      expect(g.revocations()).toEqual([]);
      expect(g.owned('w3-restarted')).toEqual(lost);
      expect(g.owned('w1')).toEqual(w1);
      expect(g.owned('w2')).toEqual(w2);
    });

    it.each([false, true])(
      'when it returns after its work moved, takes back only what moved: the others keep what they always ran (new work listed last: %s)',
      (newWorkLast) => {
        const g = threeWorkers();
        g.newWorkLast = newWorkLast;
        const w1 = g.owned('w1');
        const w2 = g.owned('w2');
        g.leave('w3');
        g.rebalance();
        g.now += MAX_DELAY;
        g.rebalance();

        g.join('w3-again');
        g.rebalance();
        expect(g.delay()).toBe(0);
        expect(g.revocations()).toHaveLength(3);
        g.rebalance();
        expect(g.revocations()).toEqual([]);
        g.expectBalancedAndComplete();
        expect(g.owned('w1')).toEqual(w1);
        expect(g.owned('w2')).toEqual(w2);
      },
    );

    it('has its work reassigned at once when scheduled.rebalance.max.delay.ms is 0', () => {
      const g = threeWorkers(0);
      g.leave('w2');
      g.rebalance();
      expect(g.delay()).toBe(0);
      g.expectBalancedAndComplete();
    });
  });

  describe('a leader change', () => {
    it('leaves a balanced group as it is', () => {
      const g = new Group().connector('c1', 3).connector('c2', 3).join('w1', 'w2', 'w3');
      g.rebalance();
      const owned = [...g.members.keys()].map((w) => g.owned(w));
      g.newLeader();
      g.rebalance();
      expect(g.revocations()).toEqual([]);
      expect(g.assignedNow()).toEqual([]);
      expect([...g.members.keys()].map((w) => g.owned(w))).toEqual(owned);
    });

    it('reassigns a departed leader’s work at once: the new leader has no view of it to hold', () => {
      const g = new Group().connector('c1', 2).connector('c2', 2).join('w1', 'w2', 'w3');
      g.rebalance();
      g.leave('w1').newLeader();
      g.rebalance();
      expect(g.delay()).toBe(0);
      g.settle();
      g.expectBalancedAndComplete();
    });
  });

  it('backs off when revoking rounds follow each other, then revokes once the delay passed', () => {
    const g = new Group().connector('c1', 4).connector('c2', 4).connector('c3', 4).join('w1');
    g.rebalance();
    g.join('w2');
    g.rebalance();
    expect(g.revocations().length).toBeGreaterThan(0);

    g.join('w3');
    g.rebalance();
    expect(g.revocations()).toEqual([]);
    expect(g.delay()).toBe(40);
    expect(g.taskCounts().sort((a, b) => a - b)).toEqual([3, 3, 6]);

    g.now += 40;
    g.join('w4');
    g.rebalance();
    expect(g.revocations().length).toBeGreaterThan(0);

    g.join('w5');
    g.rebalance();
    expect(g.revocations()).toEqual([]);
    expect(g.delay()).toBe(1_600);

    g.settle();
    g.expectBalancedAndComplete();
  });

  it('revokes duplicated work from every worker that runs it, then assigns it once', () => {
    const g = new Group().connector('c1', 2).join('w1', 'w2');
    g.rebalance();
    g.members.get('w2')!.tasks.push({ connector: 'c1', task: 0 });
    g.members.get('w1')!.tasks.push({ connector: 'c1', task: 0 });
    g.rebalance();
    expect(g.revocations().filter((r) => r === 'c1-0')).toHaveLength(2);
    g.settle();
    g.expectBalancedAndComplete();
  });

  it('reassigns work that a member never received when nobody left', () => {
    const g = new Group().connector('c1', 4).join('w1', 'w2');
    g.rebalance();
    // w2 missed the assignment: it rejoins with nothing.
    g.members.set('w2', { connectors: [], tasks: [] });
    g.rebalance();
    expect(g.delay()).toBe(0);
    g.expectBalancedAndComplete();
  });

  it('answers CONFIG_MISMATCH to everyone when a member read further in the config topic than the leader can', () => {
    const assignor = new IncrementalCooperativeAssignor(MAX_DELAY, () => 0);
    const stale: ConfigSnapshot = { offset: 5n, connectors: new Map([['c', 1]]) };
    const members = new Map<string, WorkerMetadata>([
      ['leader', { version: 1, url: 'http://l:8083/', configOffset: 5n, allocation: null }],
      ['ahead', { version: 1, url: 'http://a:8083/', configOffset: 9n, allocation: null }],
    ]);
    const round = { leaderId: 'leader', protocolVersion: 1, members, config: stale, generation: 3, lastCompletedGeneration: -1 };
    const failed = assignor.assign({ ...round, freshConfig: () => stale });
    expect([...failed.assignments.values()].map((a) => [a.error, a.configOffset, a.tasks.length, a.version])).toEqual([
      [1, 9n, 0, 1],
      [1, 9n, 0, 1],
    ]);

    const caughtUp = assignor.assign({ ...round, freshConfig: () => ({ ...stale, offset: 9n }) });
    expect([...caughtUp.assignments.values()].map((a) => [a.error, a.configOffset, a.leaderUrl])).toEqual([
      [0, 9n, 'http://l:8083/'],
      [0, 9n, 'http://l:8083/'],
    ]);
  });

  it('stays balanced and complete, with every item run once, through a long random run of changes', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const g = new Group().join('w0');
    let nextWorker = 1;
    for (let step = 0; step < 200; step++) {
      const r = random();
      if (r < 0.25) g.join(`w${nextWorker++}`);
      else if (r < 0.4 && g.members.size > 1) g.leave([...g.members.keys()][Math.floor(random() * g.members.size)]!);
      else if (r < 0.7) g.connector(`c${Math.floor(random() * 12)}`, Math.floor(random() * 6));
      else if (r < 0.8 && g.connectors.size > 0) g.connectors.delete([...g.connectors.keys()][Math.floor(random() * g.connectors.size)]!);
      else if (r < 0.85) g.newLeader();
      g.now += Math.floor(random() * 4_000);
      g.rebalance();
      const all = [...g.members.values()].flatMap((m) => [...m.connectors, ...m.tasks.map(name)]);
      expect(new Set(all).size, `step ${step}: something runs twice`).toBe(all.length);
      if (step % 20 === 19) {
        g.settle();
        g.expectBalancedAndComplete();
      }
    }
  });
});
