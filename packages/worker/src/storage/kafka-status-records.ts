/**
 * The status topic's records as Kafka Connect writes them (KafkaStatusBackingStore through
 * JsonConverter, schemas disabled): string keys, and struct values whose fields come out in
 * schema order with an absent trace written as `null`.
 */

/** Runtime states; `DESTROYED` is never shown and is written as a tombstone. */
export type StatusState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING' | 'STOPPED' | 'DESTROYED';

const STATES = new Set<string>(['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'RESTARTING', 'STOPPED', 'DESTROYED']);

interface Status {
  readonly state: StatusState;
  /** The failure's stack trace, for FAILED. */
  readonly trace: string | null;
  /** The worker's advertised REST `host:port`. */
  readonly workerId: string;
  /** The group generation the worker was in when it wrote this. */
  readonly generation: number;
  /** The connector plugin's version (Kafka 4.1+, KIP-1136); `null` or absent when not known. */
  readonly version?: string | null;
}

export interface ConnectorStatus extends Status {
  readonly connector: string;
}

export interface TaskStatus extends Status {
  readonly connector: string;
  readonly task: number;
}

/** A topic a connector was seen using (KIP-558). */
export interface TopicStatus {
  readonly topic: string;
  readonly connector: string;
  readonly task: number;
  readonly discoverTimestamp: number;
}

export const statusKeys = {
  connector: (connector: string) => `status-connector-${connector}`,
  task: (connector: string, task: number) => `status-task-${connector}-${task}`,
  topic: (connector: string, topic: string) => `status-topic-${topic}:connector-${connector}`,
} as const;

/**
 * `{"state","trace","worker_id","generation","version"}`, or a tombstone for DESTROYED. Kafka
 * 4.1 added `version`; older workers read the record and ignore it.
 */
export function statusValue(status: ConnectorStatus | TaskStatus): string | null {
  if (status.state === 'DESTROYED') return null;
  return JSON.stringify({ state: status.state, trace: status.trace, worker_id: status.workerId, generation: status.generation, version: status.version ?? null });
}

export function topicStatusValue(status: TopicStatus): string {
  return JSON.stringify({ topic: { name: status.topic, connector: status.connector, task: status.task, discoverTimestamp: status.discoverTimestamp } });
}

export type StatusRecord =
  | { readonly type: 'connector'; readonly connector: string; readonly status: Omit<ConnectorStatus, 'connector'> | null }
  | { readonly type: 'task'; readonly connector: string; readonly task: number; readonly status: Omit<TaskStatus, 'connector' | 'task'> | null }
  | { readonly type: 'topic'; readonly connector: string; readonly topic: string; readonly status: TopicStatus | null }
  | { readonly type: 'malformed'; readonly key: string; readonly reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integer(value: unknown): number | null {
  if (typeof value === 'bigint') return Number(value);
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

function parseStatus(value: unknown): Status | string {
  if (!isObject(value)) return 'the value is not an object';
  const { state, trace, worker_id: workerId, version } = value;
  const generation = integer(value.generation);
  if (typeof state !== 'string' || !STATES.has(state)) return `'${String(state)}' is not a state`;
  if (trace !== undefined && trace !== null && typeof trace !== 'string') return "'trace' is not a string";
  if (typeof workerId !== 'string') return "'worker_id' is not a string";
  if (generation === null) return "'generation' is not an integer";
  if (version !== undefined && version !== null && typeof version !== 'string') return "'version' is not a string";
  return { state: state as StatusState, trace: trace ?? null, workerId, generation: generation | 0, version: version ?? null };
}

/** Reads one record as Kafka Connect's status store does; `value` is the parsed JSON, `null` for a tombstone. */
export function parseStatusRecord(key: string, value: unknown): StatusRecord {
  const malformed = (reason: string): StatusRecord => ({ type: 'malformed', key, reason });
  if (key.startsWith('status-connector-')) {
    const connector = key.slice('status-connector-'.length);
    if (connector === '') return malformed('the connector name is empty');
    if (value === null) return { type: 'connector', connector, status: null };
    const status = parseStatus(value);
    return typeof status === 'string' ? malformed(status) : { type: 'connector', connector, status };
  }
  if (key.startsWith('status-task-')) {
    // The connector name may hold dashes; the task number is the last part.
    const parts = key.split('-');
    const task = parts.length >= 4 && /^[+-]?\d+$/.test(parts.at(-1)!) ? Number(parts.at(-1)) : null;
    if (task === null) return malformed('the key is not status-task-<connector>-<number>');
    const connector = parts.slice(2, -1).join('-');
    if (value === null) return { type: 'task', connector, task, status: null };
    const status = parseStatus(value);
    return typeof status === 'string' ? malformed(status) : { type: 'task', connector, task, status };
  }
  if (key.startsWith('status-topic-')) {
    const colon = key.indexOf(':');
    const topic = colon < 0 ? '' : key.slice('status-topic-'.length, colon);
    const connector = colon < 0 ? '' : key.slice(colon + ':connector-'.length);
    if (topic === '' || connector === '') return malformed('the key is not status-topic-<topic>:connector-<connector>');
    if (value === null) return { type: 'topic', connector, topic, status: null };
    const inner = isObject(value) ? value.topic : undefined;
    if (!isObject(inner)) return malformed("'topic' is not an object");
    const task = integer(inner.task);
    const discovered = integer(inner.discoverTimestamp);
    if (typeof inner.name !== 'string' || typeof inner.connector !== 'string' || task === null || discovered === null) {
      return malformed("'topic' lacks name, connector, task or discoverTimestamp");
    }
    return { type: 'topic', connector, topic, status: { topic: inner.name, connector: inner.connector, task, discoverTimestamp: discovered } };
  }
  return malformed('the key has no known prefix');
}

/**
 * Kafka Connect's "safe" write rule: overwrite only a status this worker wrote, or one of an
 * older or the same generation; anything goes when there is none.
 */
export function canWriteSafely(current: Pick<Status, 'workerId' | 'generation'> | undefined, next: Pick<Status, 'workerId' | 'generation'>): boolean {
  return current === undefined || current.workerId === next.workerId || current.generation <= next.generation;
}

/**
 * Whether a task status read from the topic replaces the one held: an UNASSIGNED of an older
 * or the same generation does not replace a RUNNING (a worker that had not yet read the newer
 * RUNNING can write it during quick rebalances).
 */
export function replacesTaskStatus(current: Pick<Status, 'state' | 'generation'> | undefined, next: Pick<Status, 'state' | 'generation'>): boolean {
  return !(next.state === 'UNASSIGNED' && current?.state === 'RUNNING' && current.generation >= next.generation);
}
