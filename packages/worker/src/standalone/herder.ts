import { notFoundError, alreadyExistsError } from '@sluice/core';
import type { PluginRegistry } from '../plugins/registry.ts';
import { ConnectorRuntime, connectorName } from '../runtime/connector-runtime.ts';
import type { WorkerServices } from '../runtime/connector-runtime.ts';

/** Kafka Connect's `ConnectorInfo` JSON. */
export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: { connector: string; task: number }[];
  type: 'source' | 'sink';
}

/** Kafka Connect's `ConnectorStateInfo` JSON. */
export interface ConnectorStateInfo {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
  type: 'source' | 'sink';
}

/** Kafka Connect's `TaskInfo` JSON. */
export interface TaskInfo {
  id: { connector: string; task: number };
  config: Record<string, string>;
}

/** One row of `GET /connector-plugins`. */
export interface PluginInfo {
  class: string;
  type: 'source' | 'sink';
  version: string;
}

/**
 * Names that hold credentials whatever spec they belong to: converter settings
 * (`value.converter.basic.auth.user.info`) and keys a task config passes through travel in
 * the same map but are not in the connector's spec.
 */
const SECRET_NAME = /password|secret|token|credential|user\.info|private\.key|api\.key/i;

/** A config as REST shows it: secret-spec keys already `[hidden]`, credential-looking names too. */
function redacted(config: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, SECRET_NAME.test(key) ? '[hidden]' : String(value)]));
}

/**
 * The standalone control plane: connectors from the command line's files, held in memory,
 * offsets in the worker's offset file. REST handlers call these methods and nothing else.
 */
export class StandaloneHerder {
  readonly #registry: PluginRegistry;
  readonly #services: WorkerServices;
  readonly #workerId: string;
  readonly #connectors = new Map<string, ConnectorRuntime>();

  constructor(registry: PluginRegistry, services: WorkerServices, workerId: string) {
    this.#registry = registry;
    this.#services = services;
    this.#workerId = workerId;
  }

  /** Checks a connector config completely, without starting anything. */
  validate(config: Readonly<Record<string, string>>): void {
    connectorName(config);
    ConnectorRuntime.validate(this.#registry.resolve('connector', config['connector.class'] ?? ''), config);
  }

  async create(config: Readonly<Record<string, string>>): Promise<ConnectorInfo> {
    const name = connectorName(config);
    if (this.#connectors.has(name)) throw alreadyExistsError(`Connector ${name} already exists`);
    this.validate(config);
    const runtime = new ConnectorRuntime(this.#registry.resolve('connector', config['connector.class']!), config, this.#services);
    this.#connectors.set(name, runtime);
    await runtime.start();
    return this.info(name);
  }

  connectors(): string[] {
    return [...this.#connectors.keys()];
  }

  #get(name: string): ConnectorRuntime {
    const runtime = this.#connectors.get(name);
    if (!runtime) throw notFoundError(`Connector ${name} not found`);
    return runtime;
  }

  config(name: string): Record<string, string> {
    const runtime = this.#get(name);
    return redacted(runtime.definition.config.redact(runtime.config));
  }

  info(name: string): ConnectorInfo {
    const runtime = this.#get(name);
    return { name, config: this.config(name), tasks: runtime.taskConfigs.map((_, task) => ({ connector: name, task })), type: runtime.type };
  }

  status(name: string): ConnectorStateInfo {
    const runtime = this.#get(name);
    const withTrace = <T extends object>(base: T, trace: string | undefined) => (trace ? { ...base, trace } : base);
    return {
      name,
      connector: withTrace({ state: runtime.status.state, worker_id: this.#workerId }, runtime.status.trace),
      tasks: runtime.taskStatuses.map((status, id) => withTrace({ id, state: status.state, worker_id: this.#workerId }, status.trace)),
      type: runtime.type,
    };
  }

  tasks(name: string): TaskInfo[] {
    const runtime = this.#get(name);
    const redact = (config: Readonly<Record<string, string>>) => redacted((runtime.definition.task.config ?? runtime.definition.config).redact(config));
    return runtime.taskConfigs.map((config, task) => ({ id: { connector: name, task }, config: redact(config) }));
  }

  /** Installed connectors, by the Java class name they replace where they have one, as Kafka Connect lists classes. */
  plugins(): PluginInfo[] {
    return this.#registry.list('connector').map((c) => ({
      class: c.aliases.find((a) => a.includes('.')) ?? c.name,
      type: this.#registry.resolve('connector', c.name).type,
      version: c.version,
    }));
  }

  /**
   * Stops every connector: tasks stop, acknowledged offsets are committed, consumers commit what
   * was flushed — within `task.shutdown.graceful.timeout.ms` for all of them together, as Kafka
   * Connect bounds it; what has not stopped by then is abandoned (its work is redelivered).
   */
  async stop(): Promise<void> {
    const stopped = Promise.all([...this.#connectors.values()].map((runtime) => runtime.stop()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.#services.shutdownTimeoutMs)));
    if ((await Promise.race([stopped, timeout])) === 'timeout') {
      this.#services.logger.warn(`tasks did not stop within task.shutdown.graceful.timeout.ms=${this.#services.shutdownTimeoutMs}; their uncommitted work will be delivered again`);
    }
    clearTimeout(timer);
  }
}
