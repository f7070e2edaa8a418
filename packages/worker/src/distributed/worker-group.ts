import { configError, noopLogger } from '@sluice/core';
import type { Logger } from '@sluice/core';
import { kafkaErrorCode } from '../kafka/errors.ts';
import type { GroupMember, JoinResult, KafkaClient } from '../kafka/port.ts';
import { IncrementalCooperativeAssignor } from './assignor.ts';
import type { ConfigSnapshot } from './assignor.ts';
import { ASSIGNMENT_NO_ERROR, CONNECT_PROTOCOL_VERSIONS, decodeAssignment, decodeWorkerMetadata, encodeAssignment, joinProtocols } from './connect-protocol.ts';
import type { ConnectAssignment, ConnectProtocolName, ConnectorTaskId, WorkerMetadata } from './connect-protocol.ts';
import { Work, taskKey } from './work.ts';
import type { WorkerGroupConfig } from './worker-group-config.ts';

/** What the herder tells the membership about the config topic. */
export interface ConfigSource {
  /** The offset read so far and every connector with its committed task count, from one consistent view. */
  configSnapshot(): ConfigSnapshot;
}

export interface RevokedWork {
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorTaskId[];
}

/**
 * The herder's side of a rebalance. Both callbacks are awaited, one at a time, while heartbeats
 * go on: the member joins again only once they resolved, so they are where work is stopped,
 * started, or the config topic read to its end. A callback that throws is logged; membership
 * carries on.
 */
export interface WorkerGroupListener {
  /** Stop these connectors and tasks: the leader moves them (or they were deleted). Comes before `onAssigned` of the same round. */
  onRevoked(revoked: RevokedWork): void | Promise<void>;
  /**
   * A round completed. `assignment.connectors`/`tasks` are everything this worker should run now
   * (what it kept plus what is new); its `revoked*` lists repeat this round's revocations.
   * When `assignment.error` is not 0 the leader was behind the config topic: read it to the end
   * here, the member joins again when this resolves. When `assignment.configOffset` is ahead of
   * the herder's, read up to it before starting work, or call `requestRejoin`.
   */
  onAssigned(assignment: ConnectAssignment, leaderUrl: string, generation: number): void | Promise<void>;
}

export interface WorkerGroupOptions {
  readonly client: Pick<KafkaClient, 'groupMember'>;
  readonly config: WorkerGroupConfig;
  /** This worker's advertised REST URL, as other workers reach it. */
  readonly url: string;
  readonly configs: ConfigSource;
  readonly listener: WorkerGroupListener;
  readonly logger?: Logger;
  /** Clock of the leader's scheduled rebalances (tests pass a fake one). */
  readonly now?: () => number;
}

/**
 * `connecting`: finding the coordinator; `joining`/`syncing`: in a rebalance; `applying`: the
 * herder is handling the new assignment; `stable`: heartbeating; `stopped`: left the group.
 */
export type WorkerGroupState = 'idle' | 'connecting' | 'joining' | 'syncing' | 'applying' | 'stable' | 'stopped';

const RECONNECT_BACKOFF_MS = 1_000;

/**
 * A distributed worker's membership of its Connect cluster (Kafka's `WorkerCoordinator`): joins
 * the group `group.id` with protocol type `connect`, heartbeats, joins again whenever the group
 * rebalances, the herder asks, a revoking round needs its follow-up, or the leader's scheduled
 * delay ends; when elected leader, assigns with the incremental cooperative assignor. It owns
 * the rebalance state machine; the herder only reacts to `onRevoked`/`onAssigned`.
 *
 * When the coordinator cannot be reached (or refuses this member for any reason but a
 * rebalance), the worker stops all its work (`onRevoked` of everything), as Kafka Connect does
 * rather than run work the group may give to others, and joins again as a new member.
 */
export class WorkerGroup {
  readonly #options: WorkerGroupOptions;
  readonly #log: Logger;
  readonly #assignor: IncrementalCooperativeAssignor;
  readonly #now: () => number;
  readonly #mode: 'sessioned' | 'compatible';
  #state: WorkerGroupState = 'idle';
  #member: GroupMember | null = null;
  #memberId = '';
  #generation = -1;
  #lastCompletedGeneration = -1;
  #protocol: ConnectProtocolName | null = null;
  #assignment: ConnectAssignment | null = null;
  #leaderView: { urls: Map<string, string>; running: Map<string, Work> } | null = null;
  #rejoinReason: string | null = null;
  #rejoinAt = Infinity;
  #failure: { error: unknown } | null = null;
  #wake: (() => void) | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #stopping = false;
  #loop: Promise<void> | null = null;
  #firstRound: (() => void) | null = null;

  constructor(options: WorkerGroupOptions) {
    const { config } = options;
    if (config['heartbeat.interval.ms'] >= config['session.timeout.ms']) {
      throw configError('heartbeat.interval.ms', `must be lower than session.timeout.ms (${config['session.timeout.ms']}), got ${config['heartbeat.interval.ms']}`);
    }
    this.#options = options;
    this.#log = options.logger ?? noopLogger;
    this.#now = options.now ?? Date.now;
    this.#mode = config['connect.protocol'].toLowerCase() === 'compatible' ? 'compatible' : 'sessioned';
    this.#assignor = new IncrementalCooperativeAssignor(config['scheduled.rebalance.max.delay.ms'], this.#now);
  }

  get state(): WorkerGroupState {
    return this.#state;
  }

  /** The id the coordinator gave this member ('' before the first join). */
  get memberId(): string {
    return this.#memberId;
  }

  get generation(): number {
    return this.#generation;
  }

  /** The sub-protocol the group runs (`sessioned` means internal REST requests must be signed). */
  get protocol(): ConnectProtocolName | null {
    return this.#protocol;
  }

  /** The last assignment, with everything this worker runs; null before the first and after losing the group. */
  get assignment(): ConnectAssignment | null {
    return this.#assignment;
  }

  get isLeader(): boolean {
    return this.#assignment !== null && this.#memberId !== '' && this.#assignment.leader === this.#memberId;
  }

  get leaderUrl(): string | null {
    return this.#assignment?.leaderUrl ?? null;
  }

  /**
   * Joins the group and resolves once the first assignment was handled by the listener. Fails
   * when the group coordinator cannot be reached at all; later losses are retried in the
   * background.
   */
  async start(): Promise<void> {
    if (this.#loop || this.#stopping) throw new Error('a WorkerGroup starts once');
    this.#member = await this.#connect();
    const first = new Promise<void>((resolve) => (this.#firstRound = resolve));
    this.#loop = this.#run().finally(() => this.#firstRound?.());
    await first;
  }

  /** Asks for a rebalance, e.g. after new connectors or task configs were written. */
  requestRejoin(reason: string): void {
    this.#rejoinReason ??= reason;
    this.#wakeUp();
  }

  /** Leaves the group (LeaveGroup). Work is the herder's to stop; no `onRevoked` is sent. */
  async stop(): Promise<void> {
    if (this.#stopping) {
      await this.#loop;
      return;
    }
    this.#stopping = true;
    this.#stopHeartbeats();
    this.#wakeUp();
    // Leaving also ends a JoinGroup that is waiting for the other members.
    await this.#member?.leave().catch((error: unknown) => this.#log.debug({ err: error }, 'leaving the group failed'));
    await this.#loop;
    this.#state = 'stopped';
  }

  /**
   * The REST URL of the worker running a connector (`task` undefined) or task, as this leader
   * assigned it; null on followers, during a rebalance, or when nobody runs it.
   */
  ownerUrl(connector: string, task?: number): string | null {
    const view = this.#leaderView;
    if (!view || !this.isLeader || this.#rejoinReason !== null || this.#state !== 'stable') return null;
    for (const [member, work] of view.running) {
      const owns = task === undefined ? work.hasConnector(connector) : work.tasks.has(taskKey({ connector, task }));
      if (owns) return view.urls.get(member) ?? null;
    }
    return null;
  }

  async #connect(): Promise<GroupMember> {
    this.#state = 'connecting';
    const { config } = this.#options;
    return this.#options.client.groupMember({
      groupId: config['group.id'],
      protocolType: 'connect',
      protocols: this.#protocols(this.#options.configs.configSnapshot()),
      sessionTimeoutMs: config['session.timeout.ms'],
      rebalanceTimeoutMs: config['rebalance.timeout.ms'],
    });
  }

  #protocols(snapshot: ConfigSnapshot): { name: ConnectProtocolName; metadata: Uint8Array }[] {
    const current = this.#assignment;
    // The previous assignment goes back to the leader as what this worker runs, revocations applied.
    const allocation = current && { ...current, revokedConnectors: [], revokedTasks: [] };
    return joinProtocols(this.#mode, { url: this.#options.url, configOffset: snapshot.offset, allocation });
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      try {
        this.#member ??= await this.#connect();
        await this.#round(this.#member);
        this.#firstRound?.();
        this.#firstRound = null;
        await this.#whileStable();
      } catch (error) {
        if (this.#stopping) break;
        if (kafkaErrorCode(error) === 'REBALANCE') {
          this.#log.debug({ err: error }, 'the group is rebalancing; joining again');
          continue;
        }
        await this.#loseMembership(error);
      }
    }
    this.#stopHeartbeats();
  }

  /** One rebalance: join, assign when leader, sync, and hand the result to the herder. */
  async #round(member: GroupMember): Promise<void> {
    this.#stopHeartbeats();
    this.#state = 'joining';
    // This round answers the requests made so far; one made while it runs gets a round of its own.
    this.#rejoinReason = null;
    const snapshot = this.#options.configs.configSnapshot();
    const joined = await member.join(this.#protocols(snapshot));
    this.#memberId = joined.memberId;
    this.#generation = joined.generationId;
    this.#protocol = joined.protocol as ConnectProtocolName;
    this.#state = 'syncing';
    this.#leaderView = null;
    const plan = joined.isLeader ? this.#assign(joined, snapshot) : undefined;
    const bytes = await member.sync(plan);
    this.#state = 'applying';
    this.#startHeartbeats(member);
    await this.#apply(decodeAssignment(bytes), joined.generationId);
    if (this.#state === 'applying') this.#state = 'stable';
  }

  #assign(joined: JoinResult, snapshot: ConfigSnapshot): Map<string, Uint8Array> {
    const version = CONNECT_PROTOCOL_VERSIONS[joined.protocol as ConnectProtocolName] as number | undefined;
    if (version === undefined || version < 1) throw new Error(`the group chose protocol \`${joined.protocol}\`, which Sluice does not implement`);
    const members = new Map<string, WorkerMetadata>(joined.members.map((m) => [m.memberId, decodeWorkerMetadata(m.metadata)]));
    const result = this.#assignor.assign({
      leaderId: joined.memberId,
      protocolVersion: version,
      members,
      config: snapshot,
      freshConfig: () => this.#options.configs.configSnapshot(),
      generation: joined.generationId,
      lastCompletedGeneration: this.#lastCompletedGeneration,
    });
    this.#leaderView = { urls: new Map([...members].map(([id, m]) => [id, m.url])), running: result.running };
    this.#log.info({ generation: joined.generationId, members: members.size, delayMs: this.#assignor.delayMs }, 'assigned connectors and tasks as the group leader');
    return new Map([...result.assignments].map(([id, a]) => [id, encodeAssignment(a)]));
  }

  async #apply(received: ConnectAssignment, generation: number): Promise<void> {
    const revoked = Work.of(received.revokedConnectors, received.revokedTasks);
    if (!revoked.isEmpty()) {
      await this.#notify('onRevoked', () => this.#options.listener.onRevoked({ connectors: received.revokedConnectors, tasks: received.revokedTasks }));
    }
    const kept = this.#assignment ? Work.of(this.#assignment.connectors, this.#assignment.tasks).minus(revoked) : new Work();
    const full: ConnectAssignment = {
      ...received,
      connectors: [...new Set([...received.connectors, ...kept.connectors])],
      tasks: [...Work.of([], [...received.tasks, ...kept.tasks.values()]).tasks.values()],
    };
    this.#assignment = full;
    this.#lastCompletedGeneration = generation;
    this.#rejoinAt = received.delayMs > 0 ? this.#now() + received.delayMs : Infinity;
    this.#log.info(
      { generation, leaderUrl: received.leaderUrl, connectors: full.connectors.length, tasks: full.tasks.length, revoked: revoked.size, delayMs: received.delayMs },
      'joined the Connect group',
    );
    await this.#notify('onAssigned', () => this.#options.listener.onAssigned(full, received.leaderUrl, generation));
    if (received.error !== ASSIGNMENT_NO_ERROR) this.requestRejoin('the leader was behind the config topic and could not assign');
    if (!revoked.isEmpty()) this.requestRejoin('revoked work is stopped; the follow-up round assigns it');
  }

  async #notify(what: string, call: () => void | Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.#log.error({ err: error }, `the herder's ${what} failed; membership carries on`);
    }
  }

  /** Heartbeats until a reason to join again appears. */
  async #whileStable(): Promise<void> {
    while (!this.#stopping) {
      if (this.#failure) {
        const { error } = this.#failure;
        this.#failure = null;
        throw error;
      }
      if (this.#rejoinReason !== null) {
        this.#log.debug({ reason: this.#rejoinReason }, 'joining the group again');
        return;
      }
      const wait = this.#rejoinAt - this.#now();
      if (wait <= 0) {
        this.#rejoinAt = Infinity;
        this.#rejoinReason = 'the leader’s scheduled rebalance delay ended';
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = Number.isFinite(wait) ? setTimeout(resolve, wait) : undefined;
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  #wakeUp(): void {
    this.#wake?.();
  }

  #startHeartbeats(member: GroupMember): void {
    this.#stopHeartbeats();
    const interval = this.#options.config['heartbeat.interval.ms'];
    const beat = async () => {
      try {
        await member.heartbeat();
      } catch (error) {
        if (this.#heartbeat === null || this.#member !== member) return;
        if (kafkaErrorCode(error) === 'REBALANCE') this.requestRejoin('the group is rebalancing');
        else {
          this.#failure = { error };
          this.#wakeUp();
          return;
        }
      }
      // A member still busy applying keeps heartbeating through a rebalance so that its session lives on.
      if (this.#heartbeat !== null && this.#member === member) this.#heartbeat = setTimeout(() => void beat(), interval);
    };
    this.#heartbeat = setTimeout(() => void beat(), interval);
  }

  #stopHeartbeats(): void {
    if (this.#heartbeat) clearTimeout(this.#heartbeat);
    this.#heartbeat = null;
  }

  /** Gives up this membership: stops all work, drops the connections, and retries as a new member. */
  async #loseMembership(error: unknown): Promise<void> {
    this.#stopHeartbeats();
    this.#log.warn({ err: error }, 'lost the group coordinator; stopping all work and joining again as a new member');
    const running = this.#assignment;
    this.#assignment = null;
    this.#leaderView = null;
    this.#rejoinAt = Infinity;
    this.#failure = null;
    if (running && running.connectors.length + running.tasks.length > 0) {
      await this.#notify('onRevoked', () => this.#options.listener.onRevoked({ connectors: running.connectors, tasks: running.tasks }));
    }
    const member = this.#member;
    this.#member = null;
    this.#memberId = '';
    await member?.abandon().catch(() => undefined);
    this.#state = 'connecting';
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, RECONNECT_BACKOFF_MS);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = null;
  }
}
