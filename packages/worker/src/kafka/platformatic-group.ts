import { Connection, ResponseError, findCoordinatorV6, heartbeatV4, joinGroupV9, leaveGroupV5, syncGroupV5 } from '@platformatic/kafka';
import { KafkaPortError, withinTimeout } from './errors.ts';
import { RawGroupMember } from './group-member.ts';
import type { JoinAnswer } from './group-member.ts';
import type { GroupMemberOptions } from './port.ts';

/**
 * Raw group membership over `@platformatic/kafka`'s protocol APIs: one connection to the
 * group coordinator, JoinGroup v9, SyncGroup v5, Heartbeat v4 and LeaveGroup v5 with the
 * caller's protocol type.
 */
export class PlatformaticGroupMember extends RawGroupMember {
  readonly #clientId: string;
  readonly #brokers: string[];
  readonly #connectTimeout: number;
  readonly #requestTimeout: number;
  #coordinator: Connection | null = null;

  constructor(clientId: string, brokers: string[], connectTimeout: number, requestTimeout: number, options: GroupMemberOptions) {
    super(options);
    this.#clientId = clientId;
    this.#brokers = brokers;
    this.#connectTimeout = connectTimeout;
    this.#requestTimeout = requestTimeout;
  }

  async #open(address: string): Promise<Connection> {
    const connection = new Connection(this.#clientId, { connectTimeout: this.#connectTimeout, requestTimeout: this.#requestTimeout });
    const separator = address.lastIndexOf(':');
    await withinTimeout(
      Promise.resolve(connection.connect(address.slice(0, separator), Number(address.slice(separator + 1)))),
      this.#connectTimeout,
      [address],
      'a connection',
    );
    return connection;
  }

  async connect(): Promise<void> {
    const bootstrap = await this.#open(this.#brokers[0]!);
    try {
      const found = await withinTimeout(findCoordinatorV6.api.async(bootstrap, 0, [this.options.groupId]), this.#connectTimeout, this.#brokers, 'FindCoordinator');
      const coordinator = found.coordinators[0];
      if (!coordinator || coordinator.errorCode !== 0) throw new KafkaPortError('KAFKA', `no coordinator for group ${this.options.groupId}`);
      this.#coordinator = await this.#open(`${coordinator.host}:${coordinator.port}`);
    } finally {
      await bootstrap.close();
    }
  }

  protected async sendJoin(memberId: string, offered: GroupMemberOptions['protocols']): Promise<JoinAnswer> {
    const coordinator = this.#connection();
    const protocols = offered.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
    const send = (id: string) =>
      joinGroupV9.api.async(coordinator, this.options.groupId, this.options.sessionTimeoutMs, this.options.rebalanceTimeoutMs, id, null, this.options.protocolType, protocols, null);
    let response;
    try {
      response = await send(memberId);
    } catch (error) {
      // A new member first learns its id from a MEMBER_ID_REQUIRED answer, then joins with it.
      if (this.kafkaErrorName(error) !== 'MEMBER_ID_REQUIRED') throw error;
      response = await send(((error as ResponseError).response as { memberId: string }).memberId);
    }
    return {
      generationId: response.generationId,
      memberId: response.memberId,
      leaderId: response.leader,
      protocol: response.protocolName ?? '',
      members: response.members.map((m) => ({ memberId: m.memberId, metadata: new Uint8Array(m.metadata) })),
    };
  }

  protected async sendSync(generationId: number, memberId: string, protocol: string, assignments: { memberId: string; assignment: Buffer }[]): Promise<Uint8Array> {
    const response = await syncGroupV5.api.async(this.#connection(), this.options.groupId, generationId, memberId, null, this.options.protocolType, protocol, assignments);
    return new Uint8Array(response.assignment);
  }

  protected async sendHeartbeat(generationId: number, memberId: string): Promise<void> {
    await heartbeatV4.api.async(this.#connection(), this.options.groupId, generationId, memberId, null);
  }

  protected async sendLeave(memberId: string): Promise<void> {
    await leaveGroupV5.api.async(this.#connection(), this.options.groupId, [{ memberId, groupInstanceId: null, reason: null }]);
  }

  protected async disconnect(): Promise<void> {
    await this.#coordinator?.close();
    this.#coordinator = null;
  }

  protected kafkaErrorName(error: unknown): string | undefined {
    if (!(error instanceof ResponseError)) return undefined;
    const first = (error.errors as unknown[])[0] as { apiId?: string } | undefined;
    return first?.apiId;
  }

  #connection(): Connection {
    if (!this.#coordinator) throw new KafkaPortError('KAFKA', `group ${this.options.groupId}: not connected to its coordinator`);
    return this.#coordinator;
  }
}
