import { notFoundError, alreadyExistsError } from '@sluice/core';
import { ConfigSecrets } from '../config/config-secrets.ts';
import type { TransformResult } from '../config/config-transformer.ts';
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
 * The standalone control plane: connectors from the command line's files, held in memory,
 * offsets in the worker's offset file. REST handlers call these methods and nothing else.
 *
 * Config-provider variables are resolved here, before a connector is built: the connector and
 * its tasks get the real values, while every answer — configs, task configs, traces — shows
 * the raw `${…}` text or `[hidden]`, never a secret.
 */
export class StandaloneHerder {
  readonly #registry: PluginRegistry;
  readonly #services: WorkerServices;
  readonly #workerId: string;
  readonly #connectors = new Map<string, ConnectorRuntime>();
  readonly #secrets: ConfigSecrets;
  /** Each connector's config as given (with its `${…}` variables) and how it was resolved. */
  readonly #raw = new Map<string, { raw: Readonly<Record<string, string>>; resolved: TransformResult }>();

  /** @param secrets the worker's config providers and known secrets; none and a fresh set by default */
  constructor(registry: PluginRegistry, services: WorkerServices, workerId: string, secrets: ConfigSecrets = new ConfigSecrets()) {
    this.#registry = registry;
    this.#services = services;
    this.#workerId = workerId;
    this.#secrets = secrets;
  }

  /** Checks a connector config completely, variables resolved, without starting anything. */
  async validate(config: Readonly<Record<string, string>>): Promise<void> {
    await this.#resolve(config);
  }

  /** Resolves the config's variables, remembers its secrets, validates it; returns the resolution. */
  async #resolve(config: Readonly<Record<string, string>>): Promise<TransformResult> {
    connectorName(config);
    const resolved = await this.#secrets.resolve(config);
    const definition = this.#registry.resolve('connector', resolved.config['connector.class'] ?? '');
    this.#secrets.remember(definition.config, resolved.config);
    ConnectorRuntime.validate(definition, resolved.config, this.#registry);
    return resolved;
  }

  async create(config: Readonly<Record<string, string>>): Promise<ConnectorInfo> {
    const name = connectorName(config);
    if (this.#connectors.has(name)) throw alreadyExistsError(`Connector ${name} already exists`);
    const resolved = await this.#resolve(config);
    const runtime = new ConnectorRuntime(this.#registry.resolve('connector', resolved.config['connector.class']!), resolved.config, this.#services);
    this.#connectors.set(name, runtime);
    this.#raw.set(name, { raw: { ...config }, resolved });
    await runtime.start();
    const taskSpec = runtime.definition.task.config ?? runtime.definition.config;
    for (const taskConfig of runtime.taskConfigs) this.#secrets.remember(taskSpec, taskConfig);
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

  /** The config as given, `${…}` variables unresolved, as Kafka Connect shows it; secrets `[hidden]`. */
  config(name: string): Record<string, string> {
    const runtime = this.#get(name);
    return this.#secrets.shown(runtime.definition.config, this.#raw.get(name)?.raw ?? runtime.config);
  }

  info(name: string): ConnectorInfo {
    const runtime = this.#get(name);
    return { name, config: this.config(name), tasks: runtime.taskConfigs.map((_, task) => ({ connector: name, task })), type: runtime.type };
  }

  status(name: string): ConnectorStateInfo {
    const runtime = this.#get(name);
    const withTrace = <T extends object>(base: T, trace: string | undefined) => (trace ? { ...base, trace: this.#secrets.scrub(trace) } : base);
    return {
      name,
      connector: withTrace({ state: runtime.status.state, worker_id: this.#workerId }, runtime.status.trace),
      tasks: runtime.taskStatuses.map((status, id) => withTrace({ id, state: status.state, worker_id: this.#workerId }, status.trace)),
      type: runtime.type,
    };
  }

  /** Task configs with the connector's `${…}` text back where a value came from a provider, and secrets `[hidden]`. */
  tasks(name: string): TaskInfo[] {
    const runtime = this.#get(name);
    const spec = runtime.definition.task.config ?? runtime.definition.config;
    const connector = this.#raw.get(name);
    return runtime.taskConfigs.map((config, task) => {
      // Task configs change on reconfiguration; their secret keys' values are secrets too.
      this.#secrets.remember(spec, config);
      return { id: { connector: name, task }, config: this.#secrets.shown(spec, config, connector) };
    });
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
