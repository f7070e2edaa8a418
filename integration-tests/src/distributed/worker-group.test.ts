import { uniqueTopic } from '@sluice/testkit';
import { WorkerGroup, workerGroupConfig } from '@sluice/worker/distributed';
import type { ConnectAssignment, ConfigSnapshot, RevokedWork } from '@sluice/worker/distributed';
import { KafkaPortError, platformaticClient } from '@sluice/worker/kafka';
import type { GroupMember, KafkaClient } from '@sluice/worker/kafka';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';

const bootstrap = inject('kafkaBootstrap');

const CONFIG: ConfigSnapshot = {
  offset: 12n,
  connectors: new Map([
    ['orders', 2],
    ['payments', 2],
    ['refunds', 2],
  ]),
};
const EVERYTHING = [...CONFIG.connectors].flatMap(([c, n]) => [c, ...Array.from({ length: n }, (_, t) => `${c}-${t}`)]).sort();

const items = (a: { connectors: readonly string[]; tasks: RevokedWork['tasks'] }) => [...a.connectors, ...a.tasks.map((t) => `${t.connector}-${t.task}`)];

/**
 * One worker of the cluster, run in this process: its membership, what its herder would be
 * running, and every revocation it was told of. `crash` cuts its connections without LeaveGroup
 * and keeps it from reconnecting, as a dead or partitioned worker.
 */
class Worker {
  readonly url: string;
  readonly group: WorkerGroup;
  readonly runs = new Set<string>();
  readonly revoked: string[] = [];
  readonly assignments: { at: number; assignment: ConnectAssignment }[] = [];
  #member: GroupMember | null = null;
  #cut = false;

  constructor(groupId: string, url: string) {
    this.url = url;
    const real = platformaticClient({ bootstrapServers: bootstrap.split(','), clientId: `it-${url}` });
    const client: Pick<KafkaClient, 'groupMember'> = {
      groupMember: async (options) => {
        if (this.#cut) throw new KafkaPortError('CONNECTION', `${url} is cut off from Kafka (test)`);
        this.#member = await real.groupMember(options);
        return this.#member;
      },
    };
    this.group = new WorkerGroup({
      client,
      config: workerGroupConfig.parse({ 'group.id': groupId }),
      url,
      configs: { configSnapshot: () => CONFIG },
      listener: {
        onRevoked: (work) => {
          for (const item of items(work)) {
            this.runs.delete(item);
            this.revoked.push(item);
          }
        },
        onAssigned: (assignment) => {
          this.assignments.push({ at: Date.now(), assignment });
          this.runs.clear();
          for (const item of items(assignment)) this.runs.add(item);
        },
      },
    });
  }

  owned(): string[] {
    return [...this.runs].sort();
  }

  async crash(): Promise<void> {
    this.#cut = true;
    await this.#member?.abandon();
  }
}

/** Everything runs once, and no worker runs more than one connector or one task more than another. */
function expectSpreadOver(workers: Worker[]): void {
  expect(workers.flatMap((w) => w.owned()).sort()).toEqual(EVERYTHING);
  const isTask = (item: string) => /-\d+$/.test(item);
  for (const count of [(w: Worker) => w.owned().filter(isTask).length, (w: Worker) => w.owned().filter((i) => !isTask(i)).length]) {
    const counts = workers.map(count);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  }
}

describe('distributed workers form a Connect group on the broker', () => {
  const started: WorkerGroup[] = [];
  afterAll(async () => {
    await Promise.all(started.map((g) => g.stop().catch(() => undefined)));
  });

  it('elect a leader and spread the work; a crashed worker’s work moves within 15 s and comes back when it returns, nobody else’s moving', async () => {
    const groupId = uniqueTopic('connect-cluster');
    const workers = ['http://w1:8083/', 'http://w2:8083/', 'http://w3:8083/'].map((url) => new Worker(groupId, url));
    started.push(...workers.map((w) => w.group));
    await Promise.all(workers.map((w) => w.group.start()));

    // Three workers, 3 connectors and 6 tasks: one connector and two tasks each.
    // a worker that joined first may own everything for a moment, until the others' joins rebalance it
    await vi.waitFor(() => expectSpreadOver(workers), { timeout: 30_000, interval: 200 });
    const leaders = workers.filter((w) => w.group.isLeader);
    expect(leaders).toHaveLength(1);
    for (const w of workers) {
      expect(w.group.leaderUrl).toBe(leaders[0]!.url);
      expect(w.group.protocol).toBe('sessioned');
    }
    expect(leaders[0]!.group.ownerUrl('orders')).toBe(workers.find((w) => w.runs.has('orders'))!.url);

    // A follower dies: no LeaveGroup, its connections gone.
    const [victim, ...survivors] = [...workers.filter((w) => !w.group.isLeader), leaders[0]!];
    const before = new Map(workers.map((w) => [w, w.owned()]));
    for (const w of survivors) w.revoked.length = 0;
    const crashedAt = Date.now();
    await victim.crash();

    await expect.poll(() => survivors.flatMap((w) => w.owned()).length, { timeout: 15_000, interval: 100 }).toBe(EVERYTHING.length);
    const movedAfter = Date.now() - crashedAt;
    expect(movedAfter).toBeLessThan(15_000);
    // Held for the session timeout and the leader's scheduled delay, which the members were told of.
    expect(movedAfter).toBeGreaterThan(9_000);
    expect(survivors.some((w) => w.assignments.some((a) => a.at > crashedAt && a.assignment.delayMs > 0))).toBe(true);
    expectSpreadOver(survivors);
    for (const w of survivors) {
      expect(w.owned()).toEqual(expect.arrayContaining(before.get(w)!));
      expect(w.revoked).toEqual([]);
    }
    // The cut-off worker stopped its work rather than run what the group gave to others.
    expect(victim.owned()).toEqual([]);
    await victim.group.stop();

    // It comes back (a new process, a new member id): it gets work back, and the others give up
    // only what they took over from it.
    const returned = new Worker(groupId, victim.url);
    started.push(returned.group);
    await returned.group.start();
    const cluster = [...survivors, returned];
    await expect.poll(() => returned.owned().length, { timeout: 30_000, interval: 200 }).toBe(EVERYTHING.length / 3);
    await expect.poll(() => cluster.flatMap((w) => w.owned()).sort(), { timeout: 10_000, interval: 200 }).toEqual(EVERYTHING);
    expectSpreadOver(cluster);
    expect(returned.owned()).toEqual(before.get(victim));
    for (const w of survivors) {
      expect(w.owned()).toEqual(before.get(w));
      expect(w.revoked.every((item) => before.get(victim)!.includes(item))).toBe(true);
    }
  }, 90_000);
});
