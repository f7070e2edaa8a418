import { createRequire } from 'node:module';
import net from 'node:net';
import type { Logger } from 'kafkajs';
import { KafkaPortError, withinTimeout } from './errors.ts';
import { RawGroupMember } from './group-member.ts';
import type { JoinAnswer } from './group-member.ts';
import type { GroupMemberOptions } from './port.ts';

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

/** Raw group membership over KafkaJS's internal Cluster and Broker. */
export class KafkajsGroupMember extends RawGroupMember {
  readonly #settings: ClusterSettings;
  readonly #cluster: RawCluster;
  #coordinator: RawBroker | null = null;

  constructor(logger: Logger, settings: ClusterSettings, options: GroupMemberOptions) {
    super(options);
    this.#settings = settings;
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
      return this.#cluster.findGroupCoordinator({ groupId: this.options.groupId });
    };
    try {
      this.#coordinator = await withinTimeout(find(), this.#settings.connectTimeout, this.#settings.brokers, 'FindCoordinator');
    } catch (error) {
      await this.#cluster.disconnect().catch(() => undefined);
      throw error;
    }
  }

  protected async sendJoin(memberId: string, protocols: GroupMemberOptions['protocols']): Promise<JoinAnswer> {
    // The broker answers a new member's first join with MEMBER_ID_REQUIRED; KafkaJS's Broker rejoins with the id it got.
    const response = await this.#connection().joinGroup({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs,
      rebalanceTimeout: this.options.rebalanceTimeoutMs,
      memberId,
      protocolType: this.options.protocolType,
      groupProtocols: protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
    });
    return {
      generationId: response.generationId,
      memberId: response.memberId,
      leaderId: response.leaderId,
      protocol: response.groupProtocol,
      members: response.members.map((m) => ({ memberId: m.memberId, metadata: new Uint8Array(m.memberMetadata) })),
    };
  }

  protected async sendSync(generationId: number, memberId: string, _protocol: string, assignments: { memberId: string; assignment: Buffer }[]): Promise<Uint8Array> {
    const response = await this.#connection().syncGroup({
      groupId: this.options.groupId,
      generationId,
      memberId,
      groupAssignment: assignments.map((a) => ({ memberId: a.memberId, memberAssignment: a.assignment })),
    });
    return new Uint8Array(response.memberAssignment);
  }

  protected async sendHeartbeat(generationId: number, memberId: string): Promise<void> {
    await this.#connection().heartbeat({ groupId: this.options.groupId, groupGenerationId: generationId, memberId });
  }

  protected async sendLeave(memberId: string): Promise<void> {
    await this.#connection().leaveGroup({ groupId: this.options.groupId, memberId });
  }

  protected async disconnect(): Promise<void> {
    this.#coordinator = null;
    await this.#cluster.disconnect();
  }

  protected kafkaErrorName(error: unknown): string | undefined {
    const type = (error as { type?: unknown } | null)?.type;
    return typeof type === 'string' ? type : undefined;
  }

  #connection(): RawBroker {
    if (!this.#coordinator) throw new KafkaPortError('KAFKA', `group ${this.options.groupId}: not connected to its coordinator`);
    return this.#coordinator;
  }
}
