import { KafkaPortError, groupRequestError } from './errors.ts';
import type { GroupMember, GroupMemberOptions, JoinResult } from './port.ts';

/** What a JoinGroup answer says, whichever client sent it. */
export interface JoinAnswer {
  readonly generationId: number;
  readonly memberId: string;
  readonly leaderId: string;
  readonly protocol: string;
  readonly members: readonly { readonly memberId: string; readonly metadata: Uint8Array }[];
}

/**
 * The membership state both adapters share — member id, generation, chosen protocol, whether
 * the member left — and the translation of the coordinator's errors. An adapter only sends the
 * four requests on its own client.
 */
export abstract class RawGroupMember implements GroupMember {
  protected readonly options: GroupMemberOptions;
  #memberId = '';
  #generationId = -1;
  #protocol = '';
  #left = false;

  constructor(options: GroupMemberOptions) {
    this.options = options;
  }

  /** Sends JoinGroup; an empty member id asks the coordinator for one. */
  protected abstract sendJoin(memberId: string, protocols: GroupMemberOptions['protocols']): Promise<JoinAnswer>;
  protected abstract sendSync(generationId: number, memberId: string, protocol: string, assignments: { memberId: string; assignment: Buffer }[]): Promise<Uint8Array>;
  protected abstract sendHeartbeat(generationId: number, memberId: string): Promise<void>;
  protected abstract sendLeave(memberId: string): Promise<void>;
  /** Closes the connections; called once, when the member leaves. */
  protected abstract disconnect(): Promise<void>;
  /** Kafka's name for the error a request failed with (`REBALANCE_IN_PROGRESS` …), when it is a protocol error. */
  protected abstract kafkaErrorName(error: unknown): string | undefined;

  async join(protocols: GroupMemberOptions['protocols'] = this.options.protocols): Promise<JoinResult> {
    const answer = await this.#request('JoinGroup', () => this.sendJoin(this.#memberId, protocols));
    this.#memberId = answer.memberId;
    this.#generationId = answer.generationId;
    this.#protocol = answer.protocol;
    return { ...answer, isLeader: answer.leaderId === answer.memberId };
  }

  sync(assignments: ReadonlyMap<string, Uint8Array> = new Map()): Promise<Uint8Array> {
    const list = [...assignments].map(([memberId, bytes]) => ({ memberId, assignment: Buffer.from(bytes) }));
    return this.#request('SyncGroup', () => this.sendSync(this.#generationId, this.#memberId, this.#protocol, list));
  }

  heartbeat(): Promise<void> {
    return this.#request('Heartbeat', () => this.sendHeartbeat(this.#generationId, this.#memberId));
  }

  async leave(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    try {
      if (this.#memberId) await this.sendLeave(this.#memberId);
    } finally {
      this.#memberId = '';
      await this.disconnect();
    }
  }

  async abandon(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    this.#memberId = '';
    await this.disconnect();
  }

  async #request<T>(api: string, send: () => Promise<T>): Promise<T> {
    if (this.#left) throw new KafkaPortError('KAFKA', `group ${this.options.groupId}: this member has left`);
    try {
      return await send();
    } catch (error) {
      const { error: translated, forgetMember } = groupRequestError(this.options.groupId, api, this.kafkaErrorName(error), error);
      if (forgetMember) this.#memberId = '';
      throw translated;
    }
  }
}
