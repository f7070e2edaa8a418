/**
 * The records of Kafka Connect's config topic (KafkaConfigBackingStore): UTF-8 string keys and
 * values written by JsonConverter with schemas disabled. Every value is a Connect struct, so
 * its fields come out in schema order, and optional fields are written as `null`.
 */

/** Connector and task properties: the schema is map<string, optional string>. */
export type ConfigProperties = Readonly<Record<string, string | null>>;

/** `STOPPED` since Kafka 3.5; older workers read it from `state` as `PAUSED`. */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

export interface RestartRequest {
  readonly connector: string;
  readonly onlyFailed: boolean;
  readonly includeTasks: boolean;
}

/** The key internal REST requests are signed with (KIP-507). */
export interface SessionKey {
  /** The raw key bytes; the record holds them in base64. */
  readonly key: Uint8Array;
  /** A `javax.crypto` algorithm name, e.g. `HmacSHA256`. */
  readonly algorithm: string;
  /** Milliseconds since the epoch. */
  readonly creationTimestamp: number;
}

export interface TaskId {
  readonly connector: string;
  readonly task: number;
}

export const configKeys = {
  connector: (connector: string) => `connector-${connector}`,
  task: (id: TaskId) => `task-${id.connector}-${id.task}`,
  commit: (connector: string) => `commit-${connector}`,
  targetState: (connector: string) => `target-state-${connector}`,
  restart: (connector: string) => `restart-connector-${connector}`,
  taskCount: (connector: string) => `tasks-fencing-${connector}`,
  sessionKey: 'session-key',
  loggerLevel: (namespace: string) => `logger-cluster-${namespace}`,
} as const;

export const configValues = {
  /** `{"properties":{…}}`, for connector and task configs alike. */
  properties: (properties: ConfigProperties) => JSON.stringify({ properties }),
  commit: (tasks: number) => JSON.stringify({ tasks }),
  /** `state` keeps older workers working: they know no STOPPED and read it as PAUSED. */
  targetState: (state: TargetState) => JSON.stringify({ state: state === 'STOPPED' ? 'PAUSED' : state, 'state.v2': state }),
  restart: (request: RestartRequest) => JSON.stringify({ 'include-tasks': request.includeTasks, 'only-failed': request.onlyFailed }),
  taskCount: (count: number) => JSON.stringify({ 'task-count': count }),
  sessionKey: (key: SessionKey) =>
    JSON.stringify({ key: Buffer.from(key.key).toString('base64'), algorithm: key.algorithm, 'creation-timestamp': key.creationTimestamp }),
  loggerLevel: (level: string) => JSON.stringify({ level }),
} as const;

/** One config topic record, read. `malformed` says why a record is ignored, as Kafka Connect logs and skips it. */
export type ConfigRecord =
  | { readonly type: 'connector'; readonly connector: string; readonly properties: ConfigProperties | null }
  | { readonly type: 'task'; readonly id: TaskId; readonly properties: ConfigProperties }
  | { readonly type: 'commit'; readonly connector: string; readonly tasks: number }
  | { readonly type: 'target-state'; readonly connector: string; readonly state: TargetState | null }
  | { readonly type: 'restart'; readonly request: RestartRequest }
  | { readonly type: 'task-count'; readonly connector: string; readonly count: number }
  | { readonly type: 'session-key'; readonly key: SessionKey }
  | { readonly type: 'logger-level'; readonly namespace: string; readonly level: string }
  | { readonly type: 'malformed'; readonly key: string; readonly reason: string };

const TARGET_STATES = new Set<string>(['STARTED', 'PAUSED', 'STOPPED']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** `task-<connector>-<n>`: the connector name may itself hold dashes; the number is the last part. */
export function parseTaskKey(key: string): TaskId | null {
  const parts = key.split('-');
  if (parts.length < 3) return null;
  const last = parts[parts.length - 1]!;
  if (!/^[+-]?\d+$/.test(last)) return null;
  const task = Number(last);
  if (!Number.isSafeInteger(task) || task > 2 ** 31 - 1 || task < -(2 ** 31)) return null;
  return { connector: parts.slice(1, -1).join('-'), task };
}

function properties(value: unknown): ConfigProperties | string {
  if (!isObject(value)) return `the value is ${typeName(value)}, not an object`;
  const props = value.properties;
  if (!isObject(props)) return `'properties' is ${typeName(props)}, not an object`;
  for (const [key, v] of Object.entries(props)) {
    if (v !== null && typeof v !== 'string') return `property '${key}' is ${typeName(v)}, not a string`;
  }
  return props as ConfigProperties;
}

/** Kafka Connect reads an int32 from a JSON integer of whichever width it was written with. */
function int(value: unknown): number | null {
  if (typeof value === 'bigint') return Number(BigInt.asIntN(32, value));
  if (typeof value === 'number' && Number.isInteger(value)) return value | 0;
  return null;
}

/** Reads one record; `value` is the parsed JSON, `null` for a tombstone. */
export function parseConfigRecord(key: string, value: unknown): ConfigRecord {
  const malformed = (reason: string): ConfigRecord => ({ type: 'malformed', key, reason });
  // The prefixes in Kafka Connect's order; none of them is a prefix of another.
  if (key.startsWith('target-state-')) {
    const connector = key.slice('target-state-'.length);
    if (value === null) return { type: 'target-state', connector, state: null };
    if (!isObject(value)) return malformed(`the value is ${typeName(value)}, not an object`);
    // `state.v2` wins; a record of an older worker only has `state`.
    const v2 = typeof value['state.v2'] === 'string' ? value['state.v2'] : null;
    const state = v2 ?? value.state;
    if (typeof state !== 'string') return malformed(`'state' is ${typeName(state)}, not a string`);
    if (!TARGET_STATES.has(state)) return malformed(`'${state}' is not a target state`);
    return { type: 'target-state', connector, state: state as TargetState };
  }
  if (key.startsWith('connector-')) {
    const connector = key.slice('connector-'.length);
    if (value === null) return { type: 'connector', connector, properties: null };
    const props = properties(value);
    return typeof props === 'string' ? malformed(props) : { type: 'connector', connector, properties: props };
  }
  if (key.startsWith('task-')) {
    const id = parseTaskKey(key);
    if (!id) return malformed('the key is not task-<connector>-<number>');
    if (value === null) return malformed('a task config cannot be a tombstone');
    const props = properties(value);
    return typeof props === 'string' ? malformed(props) : { type: 'task', id, properties: props };
  }
  if (key.startsWith('commit-')) {
    const connector = key.slice('commit-'.length);
    const tasks = isObject(value) ? int(value.tasks) : null;
    return tasks === null ? malformed("'tasks' is not an integer") : { type: 'commit', connector, tasks };
  }
  if (key.startsWith('restart-connector-')) {
    const connector = key.slice('restart-connector-'.length);
    if (!isObject(value)) return malformed(`the value is ${typeName(value)}, not an object`);
    // Missing flags take Kafka Connect's defaults: only-failed false, include-tasks false.
    const flag = (name: string) => (typeof value[name] === 'boolean' ? value[name] : false);
    return { type: 'restart', request: { connector, onlyFailed: flag('only-failed'), includeTasks: flag('include-tasks') } };
  }
  if (key.startsWith('tasks-fencing-')) {
    const connector = key.slice('tasks-fencing-'.length);
    const count = isObject(value) ? int(value['task-count']) : null;
    return count === null ? malformed("'task-count' is not an integer") : { type: 'task-count', connector, count };
  }
  if (key === 'session-key') {
    if (!isObject(value)) return malformed(`the value is ${typeName(value)}, not an object`);
    const { key: encoded, algorithm } = value;
    const created = value['creation-timestamp'];
    if (typeof encoded !== 'string') return malformed("'key' is not a string");
    if (typeof algorithm !== 'string') return malformed("'algorithm' is not a string");
    if (typeof created !== 'number' && typeof created !== 'bigint') return malformed("'creation-timestamp' is not a number");
    return { type: 'session-key', key: { key: new Uint8Array(Buffer.from(encoded, 'base64')), algorithm, creationTimestamp: Number(created) } };
  }
  if (key.startsWith('logger-cluster-')) {
    const namespace = key.slice('logger-cluster-'.length);
    const level = isObject(value) ? value.level : undefined;
    return typeof level === 'string' ? { type: 'logger-level', namespace, level } : malformed("'level' is not a string");
  }
  return malformed('the key has no known prefix');
}
