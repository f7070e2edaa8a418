import { createRequire } from 'node:module';
import net from 'node:net';
import type { Logger } from 'kafkajs';
import { KafkaPortError, groupRequestError, withinTimeout } from './errors.ts';
import type { GroupMember, GroupMemberOptions, JoinResult } from './port.ts';

/**
 * The few calls of KafkaJS's internal `Broker` the raw membership needs. KafkaJS's public API
 * only runs consumer groups; JoinGroup with a custom protocol type exists only on these internals.
 */
interface RawBroker {
  joinGroup(request: {
    groupId: string;
    sessionTimeout: number;
    rebalanceTimeout: number;
    memberId: string;
    protocolType: string;
    groupProtocols: { name: string; metadata: Buffer }[];
  }): Promise<{ generationId: number; groupProtocol: string; leaderId: string; memberId: string; members: { memberId: string; memberMetadata: Buffer }[] }>;
  syncGroup(request: { groupId: string; generationId: number; memberId: string; groupAssignment: { memberId: string; memberAssignment: Buffer }[] }): Promise<{ memberAssignment: Buffer }>;
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
}

interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<RawBroker>;
}

type ClusterConstructor = new (options: {
  logger: Logger;
  socketFactory: (options: { host: string; port: number; onConnect: () => void }) => net.Socket;
  brokers: string[];
  clientId: string;
  connectionTimeout: number;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  retry: { retries: number; initialRetryTime: number };
}) => RawCluster;

// KafkaJS is CommonJS without an `exports` map, so its internals resolve by path.
const Cluster = createRequire(import.meta.url)('kafkajs/src/cluster/index.js') as ClusterConstructor;

export interface ClusterSettings {
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly connectTimeout: number;
  readonly requestTimeout: number;
}

function protocolErrorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

export class KafkajsGroupMember implements GroupMember {
  readonly #settings: ClusterSettings;
  readonly #options: GroupMemberOptions;
  readonly #cluster: RawCluster;
  #coordinator: RawBroker | null = null;
  #memberId = '';
  #generationId = -1;

  constructor(logger: Logger, settings: ClusterSettings, options: GroupMemberOptions) {
    this.#settings = settings;
    this.#options = options;
    this.#cluster = new Cluster({
      logger,
      socketFactory: ({ host, port, onConnect }) => net.connect({ host, port }, onConnect),
      brokers: [...settings.brokers],
      clientId: settings.clientId,
      connectionTimeout: settings.connectTimeout,
      requestTimeout: settings.requestTimeout,
      enforceRequestTimeout: true,
      retry: { retries: 2, initialRetryTime: 100 },
    });
  }

  async connect(): Promise<void> {
    const find = async () => {
      await this.#cluster.connect();
      return this.#cluster.findGroupCoordinator({ groupId: this.#options.groupId });
    };
    try {
      this.#coordinator = await withinTimeout(find(), this.#settings.connectTimeout, this.#settings.brokers, 'FindCoordinator');
    } catch (error) {
      await this.#cluster.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async join(): Promise<JoinResult> {
    const coordinator = this.#connection();
    try {
      // The broker answers a new member's first join with MEMBER_ID_REQUIRED; KafkaJS's Broker rejoins with the id it got.
      const response = await coordinator.joinGroup({
        groupId: this.#options.groupId,
        sessionTimeout: this.#options.sessionTimeoutMs,
        rebalanceTimeout: this.#options.rebalanceTimeoutMs,
        memberId: this.#memberId,
        protocolType: this.#options.protocolType,
        groupProtocols: this.#options.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
      });
      this.#memberId = response.memberId;
      this.#generationId = response.generationId;
      return {
        generationId: response.generationId,
        memberId: response.memberId,
        leaderId: response.leaderId,
        isLeader: response.leaderId === response.memberId,
        protocol: response.groupProtocol,
        members: response.members.map((m) => ({ memberId: m.memberId, metadata: new Uint8Array(m.memberMetadata) })),
      };
    } catch (error) {
      throw this.#translate(error, 'JoinGroup');
    }
  }

  async sync(assignments: ReadonlyMap<string, Uint8Array> = new Map()): Promise<Uint8Array> {
    try {
      const response = await this.#connection().syncGroup({
        groupId: this.#options.groupId,
        generationId: this.#generationId,
        memberId: this.#memberId,
        groupAssignment: [...assignments].map(([memberId, bytes]) => ({ memberId, memberAssignment: Buffer.from(bytes) })),
      });
      return new Uint8Array(response.memberAssignment);
    } catch (error) {
      throw this.#translate(error, 'SyncGroup');
    }
  }

  async heartbeat(): Promise<void> {
    try {
      await this.#connection().heartbeat({ groupId: this.#options.groupId, groupGenerationId: this.#generationId, memberId: this.#memberId });
    } catch (error) {
      throw this.#translate(error, 'Heartbeat');
    }
  }

  async leave(): Promise<void> {
    const coordinator = this.#coordinator;
    if (!coordinator) return;
    try {
      if (this.#memberId) await coordinator.leaveGroup({ groupId: this.#options.groupId, memberId: this.#memberId });
    } finally {
      this.#coordinator = null;
      this.#memberId = '';
      await this.#cluster.disconnect();
    }
  }

  #connection(): RawBroker {
    if (!this.#coordinator) throw new KafkaPortError('KAFKA', `group ${this.#options.groupId}: this member has left`);
    return this.#coordinator;
  }

  #translate(error: unknown, api: string): KafkaPortError {
    const { error: translated, forgetMember } = groupRequestError(this.#options.groupId, api, protocolErrorType(error), error);
    if (forgetMember) this.#memberId = '';
    return translated;
  }
}
