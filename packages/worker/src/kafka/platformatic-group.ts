import { Connection, ResponseError, findCoordinatorV6, heartbeatV4, joinGroupV9, leaveGroupV5, syncGroupV5 } from '@platformatic/kafka';
import { KafkaPortError, groupRequestError, withinTimeout } from './errors.ts';
import type { GroupMember, GroupMemberOptions, JoinResult } from './port.ts';

/**
 * Raw group membership over `@platformatic/kafka`'s protocol APIs: one connection to the
 * group coordinator, JoinGroup v9, SyncGroup v5, Heartbeat v4 and LeaveGroup v5 with the
 * caller's protocol type.
 */
function protocolErrorId(error: unknown): string | undefined {
  if (!(error instanceof ResponseError)) return undefined;
  const first = (error.errors as unknown[])[0] as { apiId?: string } | undefined;
  return first?.apiId;
}

export class PlatformaticGroupMember implements GroupMember {
  readonly #clientId: string;
  readonly #brokers: string[];
  readonly #connectTimeout: number;
  readonly #requestTimeout: number;
  readonly #options: GroupMemberOptions;
  #coordinator: Connection | null = null;
  #memberId = '';
  #generationId = -1;
  #protocol = '';

  constructor(clientId: string, brokers: string[], connectTimeout: number, requestTimeout: number, options: GroupMemberOptions) {
    this.#clientId = clientId;
    this.#brokers = brokers;
    this.#connectTimeout = connectTimeout;
    this.#requestTimeout = requestTimeout;
    this.#options = options;
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
      const found = await withinTimeout(findCoordinatorV6.api.async(bootstrap, 0, [this.#options.groupId]), this.#connectTimeout, this.#brokers, 'FindCoordinator');
      const coordinator = found.coordinators[0];
      if (!coordinator || coordinator.errorCode !== 0) throw new KafkaPortError('KAFKA', `no coordinator for group ${this.#options.groupId}`);
      this.#coordinator = await this.#open(`${coordinator.host}:${coordinator.port}`);
    } finally {
      await bootstrap.close();
    }
  }

  async join(): Promise<JoinResult> {
    const coordinator = this.#connection();
    const protocols = this.#options.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
    const send = () =>
      joinGroupV9.api.async(coordinator, this.#options.groupId, this.#options.sessionTimeoutMs, this.#options.rebalanceTimeoutMs, this.#memberId, null, this.#options.protocolType, protocols, null);
    let response;
    try {
      response = await send();
    } catch (error) {
      // A new member first learns its id from a MEMBER_ID_REQUIRED answer, then joins with it.
      if (protocolErrorId(error) !== 'MEMBER_ID_REQUIRED') throw this.#translate(error, 'JoinGroup');
      this.#memberId = ((error as ResponseError).response as { memberId: string }).memberId;
      response = await send().catch((e: unknown) => {
        throw this.#translate(e, 'JoinGroup');
      });
    }
    this.#memberId = response.memberId;
    this.#generationId = response.generationId;
    this.#protocol = response.protocolName ?? '';
    return {
      generationId: response.generationId,
      memberId: response.memberId,
      leaderId: response.leader,
      isLeader: response.leader === response.memberId,
      protocol: this.#protocol,
      members: response.members.map((m) => ({ memberId: m.memberId, metadata: new Uint8Array(m.metadata) })),
    };
  }

  async sync(assignments: ReadonlyMap<string, Uint8Array> = new Map()): Promise<Uint8Array> {
    const list = [...assignments].map(([memberId, bytes]) => ({ memberId, assignment: Buffer.from(bytes) }));
    try {
      const response = await syncGroupV5.api.async(this.#connection(), this.#options.groupId, this.#generationId, this.#memberId, null, this.#options.protocolType, this.#protocol, list);
      return new Uint8Array(response.assignment);
    } catch (error) {
      throw this.#translate(error, 'SyncGroup');
    }
  }

  async heartbeat(): Promise<void> {
    try {
      await heartbeatV4.api.async(this.#connection(), this.#options.groupId, this.#generationId, this.#memberId, null);
    } catch (error) {
      throw this.#translate(error, 'Heartbeat');
    }
  }

  async leave(): Promise<void> {
    const coordinator = this.#coordinator;
    if (!coordinator) return;
    try {
      if (this.#memberId) {
        await leaveGroupV5.api.async(coordinator, this.#options.groupId, [{ memberId: this.#memberId, groupInstanceId: null, reason: null }]);
      }
    } finally {
      this.#coordinator = null;
      this.#memberId = '';
      await coordinator.close();
    }
  }

  #connection(): Connection {
    if (!this.#coordinator) throw new KafkaPortError('KAFKA', `group ${this.#options.groupId}: this member has left`);
    return this.#coordinator;
  }

  #translate(error: unknown, api: string): KafkaPortError {
    const { error: translated, forgetMember } = groupRequestError(this.#options.groupId, api, protocolErrorId(error), error);
    if (forgetMember) this.#memberId = '';
    return translated;
  }
}
