import { dataError } from '@sluice/core';
import { ProtocolReader, ProtocolWriter } from './protocol-bytes.ts';

/**
 * Kafka Connect's group protocol, byte for byte as Apache Kafka Connect writes it
 * (`ConnectProtocol`, `IncrementalCooperativeConnectProtocol`, `ExtendedAssignment`):
 * the worker metadata members send with JoinGroup and the assignment the leader hands out
 * through SyncGroup. Checked against bytes of Kafka Connect 4.1.1 in connect-protocol.test.ts.
 *
 * Every message starts with an int16 version. Versions: 0 = `default` (eager), 1 =
 * `compatible` (incremental cooperative, KIP-415), 2 = `sessioned` (1 plus signed internal REST
 * requests, KIP-507). Versions 1 and 2 share one layout.
 */

/** The sub-protocol names of protocol type `connect`, with the version each writes. */
export const CONNECT_PROTOCOL_VERSIONS = { default: 0, compatible: 1, sessioned: 2 } as const;
export type ConnectProtocolName = keyof typeof CONNECT_PROTOCOL_VERSIONS;

/** The task number that stands for the connector instance itself in an assignment. */
export const CONNECTOR_TASK = -1;

/** Assignment error codes: the leader assigned, or it was behind the config topic and could not. */
export const ASSIGNMENT_NO_ERROR = 0;
export const ASSIGNMENT_CONFIG_MISMATCH = 1;

/** @since 0.1.0 */
export interface ConnectorTaskId {
  readonly connector: string;
  readonly task: number;
}

/**
 * One member's assignment (Kafka's `ExtendedAssignment`). Version 0 has no revocations and no
 * delay; reading version-0 bytes gives empty revocations and a zero delay, as Kafka does.
 */
export interface ConnectAssignment {
  readonly version: number;
  /** {@link ASSIGNMENT_NO_ERROR} or {@link ASSIGNMENT_CONFIG_MISMATCH}. */
  readonly error: number;
  /** The leader's member id. */
  readonly leader: string;
  /** The leader's advertised REST URL, where followers forward writes. */
  readonly leaderUrl: string;
  /** The config topic offset the leader assigned from; a member behind it must catch up first. */
  readonly configOffset: bigint;
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorTaskId[];
  readonly revokedConnectors: readonly string[];
  readonly revokedTasks: readonly ConnectorTaskId[];
  /** Milliseconds until the leader's scheduled rebalance: every member rejoins after it. */
  readonly delayMs: number;
}

/** What a worker tells the group when it joins (Kafka's `ExtendedWorkerState`). */
export interface WorkerMetadata {
  readonly version: number;
  /** The worker's advertised REST URL. */
  readonly url: string;
  /** The offset of the config topic the worker has read up to (-1 when it has read nothing). */
  readonly configOffset: bigint;
  /**
   * Version 1+: what the worker runs now, its previous assignment with this round's
   * revocations applied; `null` for a new worker. Always `null` in version 0.
   */
  readonly allocation: ConnectAssignment | null;
}

/** Assigned items grouped per connector as the wire has them: connector instance first (-1), then task numbers. */
function perConnector(connectors: readonly string[], tasks: readonly ConnectorTaskId[]): [string, number[]][] {
  const grouped = new Map<string, number[]>();
  for (const connector of connectors) {
    if (!grouped.has(connector)) grouped.set(connector, [CONNECTOR_TASK]);
  }
  for (const { connector, task } of tasks) {
    const list = grouped.get(connector);
    if (list) list.push(task);
    else grouped.set(connector, [task]);
  }
  return [...grouped];
}

function writeEntries(writer: ProtocolWriter, connectors: readonly string[], tasks: readonly ConnectorTaskId[]): void {
  writer.array(perConnector(connectors, tasks), ([connector, numbers]) => {
    writer.string(connector);
    writer.array(numbers, (n) => writer.int32(n));
  });
}

function writeAssignmentBody(writer: ProtocolWriter, assignment: ConnectAssignment, version: number): void {
  writer.int16(version).int16(assignment.error).string(assignment.leader).string(assignment.leaderUrl).int64(assignment.configOffset);
  writeEntries(writer, assignment.connectors, assignment.tasks);
  if (version === 0) return;
  writeEntries(writer, assignment.revokedConnectors, assignment.revokedTasks);
  writer.int32(assignment.delayMs);
}

/** The SyncGroup bytes of one member's assignment, in `assignment.version`'s layout. */
export function encodeAssignment(assignment: ConnectAssignment): Uint8Array {
  const version = assignment.version;
  if (version === 0 && (assignment.revokedConnectors.length > 0 || assignment.revokedTasks.length > 0 || assignment.delayMs !== 0)) {
    throw dataError('a version-0 (eager) connect assignment cannot carry revocations or a delay');
  }
  const writer = new ProtocolWriter();
  writeAssignmentBody(writer, assignment, version);
  return writer.bytes();
}

function readEntries(reader: ProtocolReader, field: string): { connectors: string[]; tasks: ConnectorTaskId[] } {
  const connectors: string[] = [];
  const tasks: ConnectorTaskId[] = [];
  const entries =
    reader.nullableArray(field, () => ({ connector: reader.string(`${field} connector`), numbers: reader.array(`${field} tasks`, () => reader.int32(`${field} task`)) })) ?? [];
  for (const { connector, numbers } of entries) {
    for (const task of numbers) {
      if (task === CONNECTOR_TASK) connectors.push(connector);
      else tasks.push({ connector, task });
    }
  }
  return { connectors, tasks };
}

/**
 * Reads an assignment of any version the way Kafka's incremental worker does: fields missing at
 * the end (revocations and delay in version 0) take their defaults, bytes after the known fields
 * are ignored.
 */
export function decodeAssignment(bytes: Uint8Array): ConnectAssignment {
  const reader = new ProtocolReader(bytes, 'connect group assignment');
  const version = reader.int16('version');
  if (version < 0) throw dataError(`connect group assignment: unsupported version ${version}`);
  const error = reader.int16('error');
  const leader = reader.string('leader');
  const leaderUrl = reader.string('leader-url');
  const configOffset = reader.int64('config-offset');
  const assigned = readEntries(reader, 'assignment');
  const revoked = reader.hasMore() ? readEntries(reader, 'revoked') : { connectors: [], tasks: [] };
  const delayMs = reader.hasMore() ? reader.int32('delay') : 0;
  return {
    version,
    error,
    leader,
    leaderUrl,
    configOffset,
    connectors: assigned.connectors,
    tasks: assigned.tasks,
    revokedConnectors: revoked.connectors,
    revokedTasks: revoked.tasks,
    delayMs,
  };
}

/**
 * The JoinGroup metadata of one sub-protocol. In versions 1+ the allocation is written in the
 * metadata's own version, whatever version it arrived in, as Kafka does.
 */
export function encodeWorkerMetadata(metadata: WorkerMetadata): Uint8Array {
  const writer = new ProtocolWriter().int16(metadata.version).string(metadata.url).int64(metadata.configOffset);
  if (metadata.version === 0) return writer.bytes();
  let allocation: Uint8Array | null = null;
  if (metadata.allocation) {
    const inner = new ProtocolWriter();
    writeAssignmentBody(inner, metadata.allocation, metadata.version);
    allocation = inner.bytes();
  }
  return writer.nullableBytes(allocation).bytes();
}

/** Reads metadata of any version; version-0 metadata, or a new worker's, has no allocation. */
export function decodeWorkerMetadata(bytes: Uint8Array): WorkerMetadata {
  const reader = new ProtocolReader(bytes, 'connect worker metadata');
  const version = reader.int16('version');
  if (version < 0) throw dataError(`connect worker metadata: unsupported version ${version}`);
  const url = reader.string('url');
  const configOffset = reader.int64('config-offset');
  const allocationBytes = reader.hasMore() ? reader.nullableBytes('allocation') : null;
  return { version, url, configOffset, allocation: allocationBytes === null ? null : decodeAssignment(allocationBytes) };
}

/**
 * The protocols a worker offers in JoinGroup, preferred first: `sessioned` then `compatible`
 * for `connect.protocol=sessioned` (Kafka 4.1's default), `compatible` alone for
 * `connect.protocol=compatible`. Kafka also offers `default` (eager); Sluice does not implement
 * eager rebalancing, so it does not offer it.
 */
export function joinProtocols(
  mode: 'sessioned' | 'compatible',
  state: Omit<WorkerMetadata, 'version'>,
): { name: ConnectProtocolName; metadata: Uint8Array }[] {
  const names: ('sessioned' | 'compatible')[] = mode === 'sessioned' ? ['sessioned', 'compatible'] : ['compatible'];
  return names.map((name) => ({ name, metadata: encodeWorkerMetadata({ ...state, version: CONNECT_PROTOCOL_VERSIONS[name] }) }));
}
