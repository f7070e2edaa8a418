import { ASSIGNMENT_CONFIG_MISMATCH, ASSIGNMENT_NO_ERROR } from './connect-protocol.ts';
import type { ConnectAssignment, ConnectorTaskId, WorkerMetadata } from './connect-protocol.ts';
import { Work, WorkerLoad, byLoad, taskKey } from './work.ts';

/** The connectors of the config topic with their committed task counts, at one offset. */
export interface ConfigSnapshot {
  readonly offset: bigint;
  /** Connector name → number of task configs committed for it (0 before its first tasks). */
  readonly connectors: ReadonlyMap<string, number>;
}

export interface AssignmentRound {
  readonly leaderId: string;
  /** Protocol version the coordinator chose (1 = `compatible`, 2 = `sessioned`): the assignments are written in it. */
  readonly protocolVersion: number;
  /** Every member's JoinGroup metadata. */
  readonly members: ReadonlyMap<string, WorkerMetadata>;
  /** The leader's config snapshot of when it joined. */
  readonly config: ConfigSnapshot;
  /** A newer snapshot, asked for when a member has read further than the leader's snapshot. */
  readonly freshConfig: () => ConfigSnapshot;
  /** The generation being assigned. */
  readonly generation: number;
  /** The last generation this leader completed (received an assignment in); -1 when none. */
  readonly lastCompletedGeneration: number;
}

export interface AssignmentResult {
  /** Each member's assignment: what to start, what to stop, and the scheduled rebalance delay. */
  readonly assignments: Map<string, ConnectAssignment>;
  /** What each member runs once the round is applied (empty on a config mismatch). */
  readonly running: Map<string, Work>;
  /** The config snapshot the leader assigned from. */
  readonly config: ConfigSnapshot;
}

/**
 * The leader's incremental cooperative assignor (KIP-415, Kafka's
 * `IncrementalCooperativeAssignor`): connectors and tasks spread evenly over the workers, and
 * only what must move is revoked — revocations happen in one round and the revoked work is
 * assigned in the follow-up round the revoking members start. Work of a worker that left is
 * held for up to `scheduled.rebalance.max.delay.ms`, then given to the workers that joined
 * empty meanwhile (a restarted worker gets its work back), or spread as new work. A revoking
 * round that follows a revoking round waits an exponentially growing delay (KAFKA-12495).
 *
 * One difference from Kafka: when a worker must give up work for balance, it gives up what it
 * got most recently from this leader, so work that never moved stays where it runs (Kafka takes
 * the first items of the worker's list). State lives across rounds for as long as this member
 * stays leader; a new leader starts afresh.
 */
export class IncrementalCooperativeAssignor {
  readonly #maxDelayMs: number;
  readonly #now: () => number;
  #previousAssignment = new Work();
  readonly #previousRevocation = new Work();
  #revokedInPrevious = false;
  readonly #candidateWorkers = new Set<string>();
  #scheduledRebalance = 0;
  #delay = 0;
  #previousGeneration = -1;
  #previousMembers = new Set<string>();
  #successiveRevokingRounds = 0;
  /** When each connector or task was last assigned by this leader, by a running sequence number. */
  readonly #acquired = new Map<string, number>();
  #sequence = 0;

  constructor(maxDelayMs: number, now: () => number = Date.now) {
    this.#maxDelayMs = maxDelayMs;
    this.#now = now;
  }

  /** The delay reported in the last round: how long members wait before the scheduled rejoin. */
  get delayMs(): number {
    return this.#delay;
  }

  assign(round: AssignmentRound): AssignmentResult {
    const leader = round.members.get(round.leaderId);
    if (!leader) throw new Error(`the leader ${round.leaderId} is not among the members`);
    const maxOffset = [...round.members.values()].reduce((max, m) => (m.configOffset > max ? m.configOffset : max), leader.configOffset);
    let config = round.config;
    if (config.offset < maxOffset) config = round.freshConfig();
    const fill = (error: number, offset: bigint, assigned: Map<string, Work>, revoked: Map<string, Work>, delayMs: number) =>
      new Map(
        [...round.members.keys()].map((member) => {
          const give = assigned.get(member) ?? new Work();
          const take = revoked.get(member) ?? new Work();
          const assignment: ConnectAssignment = {
            version: round.protocolVersion,
            error,
            leader: round.leaderId,
            leaderUrl: leader.url,
            configOffset: offset,
            connectors: [...give.connectors],
            tasks: [...give.tasks.values()],
            revokedConnectors: [...take.connectors],
            revokedTasks: [...take.tasks.values()],
            delayMs,
          };
          return [member, assignment] as const;
        }),
      );
    if (config.offset < maxOffset) {
      // Behind a member even after a fresh read: nobody may work from this leader's view.
      return { assignments: fill(ASSIGNMENT_CONFIG_MISMATCH, maxOffset, new Map(), new Map(), 0), running: new Map(), config };
    }
    const current = new Map([...round.members].map(([id, m]) => [id, Work.of(m.allocation?.connectors ?? [], m.allocation?.tasks ?? [])]));
    const cluster = this.#assignCluster(config, round.lastCompletedGeneration, round.generation, current);
    return { assignments: fill(ASSIGNMENT_NO_ERROR, config.offset, cluster.assigned, cluster.revoked, this.#delay), running: cluster.running, config };
  }

  #assignCluster(
    config: ConfigSnapshot,
    lastCompletedGeneration: number,
    generation: number,
    members: Map<string, Work>,
  ): { assigned: Map<string, Work>; revoked: Map<string, Work>; running: Map<string, Work> } {
    // A round whose assignments never reached the members leaves this view stale.
    if (this.#previousGeneration !== lastCompletedGeneration) this.#previousAssignment = new Work();

    const configuredConnectors = [...config.connectors.keys()].sort();
    const configured = Work.of(
      configuredConnectors,
      configuredConnectors.flatMap((connector) => Array.from({ length: config.connectors.get(connector) ?? 0 }, (_, task) => ({ connector, task }))),
    );
    const active = new Work();
    for (const work of members.values()) active.addAll(work);

    // A revocation of the previous round that some member did not apply: start again from what runs.
    if (!this.#previousRevocation.isEmpty()) {
      if (this.#previousRevocation.intersects(active)) this.#previousAssignment = Work.of(active.connectors, active.tasks.values());
      this.#previousRevocation.clear();
    }

    const deleted = this.#previousAssignment.minus(configured);
    const duplicated = duplicates(members);
    const lost = this.#previousAssignment.minus(active, deleted);
    const created = configured.minus(this.#previousAssignment, active);

    const currentLoads = [...members].map(([worker, work]) => WorkerLoad.from(worker, work, deleted));
    const toRevoke = new Map<string, Work>();
    const revokeFrom = (revocations: Map<string, Work>) => {
      for (const [worker, work] of revocations) {
        if (work.isEmpty()) continue;
        const entry = toRevoke.get(worker) ?? new Work();
        toRevoke.set(worker, entry.addAll(work));
      }
    };
    const deletedToRevoke = perWorker(members, deleted);
    const duplicatedToRevoke = perWorker(members, duplicated);
    revokeFrom(deletedToRevoke);
    revokeFrom(duplicatedToRevoke);

    const next = [...members].map(([worker, work]) => WorkerLoad.from(worker, work));
    for (const load of next) {
      load.remove(deletedToRevoke.get(load.worker) ?? new Work());
      load.remove(duplicatedToRevoke.get(load.worker) ?? new Work());
    }

    const lostToReassign = this.#handleLost(lost, next);

    if (this.#delay === 0) {
      const balancing = this.#balancingRevocations(configured, next);
      const revokes = [...balancing.values()].some((w) => !w.isEmpty());
      if (this.#revokedInPrevious && revokes) {
        this.#successiveRevokingRounds++;
        this.#delay = this.#backoff(this.#successiveRevokingRounds);
        if (this.#delay !== 0) {
          this.#scheduledRebalance = this.#now() + this.#delay;
        } else {
          revokeFrom(balancing);
          for (const load of next) load.remove(balancing.get(load.worker) ?? new Work());
        }
      } else if (revokes) {
        revokeFrom(balancing);
        for (const load of next) load.remove(balancing.get(load.worker) ?? new Work());
        this.#revokedInPrevious = true;
      } else if (this.#revokedInPrevious) {
        // Converged: the next revoking round starts the backoff from the beginning.
        this.#revokedInPrevious = false;
        this.#successiveRevokingRounds = 0;
      }
    } else {
      this.#revokedInPrevious = false;
    }

    const toAssign = new Work().addAll(created).addAll(lostToReassign);
    assignRoundRobin(next, [...toAssign.connectors], (l) => l.connectors.length, (l, c) => l.connectors.push(c));
    assignRoundRobin(next, [...toAssign.tasks.values()], (l) => l.tasks.length, (l, t) => l.tasks.push(t));

    const assigned = new Map<string, Work>();
    const running = new Map<string, Work>();
    const previous = new Work();
    for (const load of next) {
      const before = currentLoads.find((l) => l.worker === load.worker)!.asWork();
      const now = load.asWork();
      const fresh = now.minus(before);
      assigned.set(load.worker, Work.of(load.connectors.filter((c) => fresh.connectors.has(c)), load.tasks.filter((t) => fresh.hasTask(t))));
      for (const c of fresh.connectors) this.#acquired.set(connectorAge(c), ++this.#sequence);
      for (const t of fresh.tasks.values()) this.#acquired.set(taskAge(t), ++this.#sequence);
      const runs = now.minus(toRevoke.get(load.worker) ?? new Work());
      running.set(load.worker, runs);
      previous.addAll(runs);
    }
    for (const work of toRevoke.values()) this.#previousRevocation.addAll(work);
    this.#previousAssignment = previous.addAll(lost);
    const kept = new Set([...[...previous.connectors].map(connectorAge), ...[...previous.tasks.values()].map(taskAge)]);
    for (const key of this.#acquired.keys()) if (!kept.has(key)) this.#acquired.delete(key);
    this.#previousGeneration = generation;
    this.#previousMembers = new Set(members.keys());
    return { assigned, revoked: toRevoke, running };
  }

  /** Decides what of the lost work is reassigned now; the rest waits for the scheduled rebalance. */
  #handleLost(lost: Work, next: WorkerLoad[]): Work {
    const reassign = new Work();
    if (lost.isEmpty() && !this.#revokedInPrevious) {
      this.#resetDelay();
      return reassign;
    }
    const now = this.#now();
    const activeMembers = new Set(next.map((l) => l.worker));
    if (this.#scheduledRebalance <= 0 && [...this.#previousMembers].every((m) => activeMembers.has(m))) {
      // Nobody left: the work is missing because a member never got the previous assignment.
      return reassign.addAll(lost);
    }
    if (this.#maxDelayMs === 0) return reassign.addAll(lost);

    if (this.#scheduledRebalance > 0 && now >= this.#scheduledRebalance) {
      const candidates = [...this.#candidateWorkers].map((w) => next.find((l) => l.worker === w)).filter((l) => l !== undefined);
      if (candidates.length > 0) {
        // The workers that joined empty while the work waited (a restarted worker among them) take it.
        [...lost.connectors].forEach((c, i) => candidates[i % candidates.length]!.connectors.push(c));
        [...lost.tasks.values()].forEach((t, i) => candidates[i % candidates.length]!.tasks.push(t));
      } else {
        reassign.addAll(lost);
      }
      this.#resetDelay();
      this.#revokedInPrevious = false;
      return reassign;
    }
    for (const load of next) if (load.isEmpty()) this.#candidateWorkers.add(load.worker);
    this.#delay = now < this.#scheduledRebalance ? Math.min(this.#scheduledRebalance - now, this.#maxDelayMs) : this.#maxDelayMs;
    this.#scheduledRebalance = now + this.#delay;
    return reassign;
  }

  #resetDelay(): void {
    this.#candidateWorkers.clear();
    this.#scheduledRebalance = 0;
    this.#delay = 0;
  }

  /** Kafka's backoff for successive revoking rounds: 40^n ms, at most the max delay, no jitter. */
  #backoff(rounds: number): number {
    if (this.#maxDelayMs === 0) return 0;
    const initial = Math.min(this.#maxDelayMs, 1);
    const expMax = this.#maxDelayMs > initial ? Math.log(this.#maxDelayMs / initial) / Math.log(40) : 0;
    if (expMax === 0) return initial;
    return Math.min(Math.floor(initial * 40 ** Math.min(rounds, expMax)), this.#maxDelayMs);
  }

  /** What each worker must give up so that none runs more than its even share. */
  #balancingRevocations(configured: Work, workers: WorkerLoad[]): Map<string, Work> {
    const result = new Map<string, Work>();
    if (workers.every((w) => w.isEmpty()) || configured.isEmpty()) return result;
    const ordered = [...workers].sort((a, b) => (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0));
    const connectors = this.#excess(configured.connectors.size, ordered, (w) => w.connectors, connectorAge);
    const tasks = this.#excess(configured.tasks.size, ordered, (w) => w.tasks, taskAge);
    for (const w of ordered) {
      const work = Work.of(connectors.get(w.worker) ?? [], tasks.get(w.worker) ?? []);
      if (!work.isEmpty()) result.set(w.worker, work);
    }
    return result;
  }

  #excess<E>(total: number, workers: WorkerLoad[], items: (w: WorkerLoad) => E[], key: (e: E) => string): Map<string, E[]> {
    const result = new Map<string, E[]>();
    const min = Math.floor(total / workers.length);
    const extras = total % workers.length;
    const atMin = workers.filter((w) => items(w).length === min).length;
    const atMinPlusOne = workers.filter((w) => items(w).length === min + 1).length;
    if (atMinPlusOne === extras && atMin + atMinPlusOne === workers.length) return result;
    let givenExtra = 0;
    for (const worker of workers) {
      const size = items(worker).length;
      if (size <= min) continue;
      let max = min;
      if (givenExtra < extras) {
        givenExtra++;
        if (size === min + 1) continue;
        max = min + 1;
      }
      // Newest first; work this leader never assigned counts as oldest, list order breaks ties.
      const age = (e: E) => this.#acquired.get(key(e)) ?? -1;
      const newestFirst = items(worker)
        .map((e, i) => ({ e, i }))
        .sort((a, b) => age(b.e) - age(a.e) || a.i - b.i);
      result.set(worker.worker, newestFirst.slice(0, size - max).map(({ e }) => e));
    }
    return result;
  }
}

const connectorAge = (connector: string) => `c:${connector}`;
const taskAge = (task: ConnectorTaskId) => `t:${taskKey(task)}`;

/** Connectors and tasks that more than one member runs. */
function duplicates(members: Map<string, Work>): Work {
  const seen = new Work();
  const twice = new Work();
  for (const work of members.values()) {
    twice.addAll(work.and(seen));
    seen.addAll(work);
  }
  return twice;
}

/** Each member's share of `work`. */
function perWorker(members: Map<string, Work>, work: Work): Map<string, Work> {
  return new Map([...members].map(([worker, runs]) => [worker, runs.and(work)]));
}

/**
 * Kafka's round-robin over the least loaded workers: sorted by load, items go to the workers
 * tied at the lowest load, one each, until they reach the next load level.
 */
function assignRoundRobin<E>(workers: WorkerLoad[], items: E[], count: (l: WorkerLoad) => number, give: (l: WorkerLoad, e: E) => void): void {
  if (items.length === 0 || workers.length === 0) return;
  workers.sort(byLoad(count));
  const first = workers[0]!;
  let i = 0;
  while (i < items.length) {
    const firstLoad = count(first);
    let upTo = workers.findIndex((w) => count(w) > firstLoad);
    if (upTo === -1) upTo = workers.length;
    for (const worker of workers.slice(0, upTo)) {
      give(worker, items[i++]!);
      if (i >= items.length) break;
    }
  }
}
