import { alreadyExistsError, configError, notFoundError } from '@sluice/core';
import { ConfigSecrets } from '../config/config-secrets.ts';
import type { TransformResult } from '../config/config-transformer.ts';
import { herderError } from '../herder/errors.ts';
import type {
  ConfigPatch,
  ConnectorInfo,
  ConnectorOffset,
  ConnectorOffsets,
  ConnectorStateInfo,
  Created,
  Herder,
  Message,
  RestartRequest,
  TargetState,
  TaskInfo,
  TaskState,
} from '../herder/herder.ts';
import { BaseHerder, answer, offsetsMessage } from '../herder/base-herder.ts';
import { restartPlan, restartingState } from '../herder/restart-plan.ts';
import type { LogLevels } from '../log-levels.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import { ConnectorRuntime, connectorName } from '../runtime/connector-runtime.ts';
import type { WorkerServices } from '../runtime/connector-runtime.ts';
import type { Status } from '../runtime/status.ts';

/** What a standalone herder is given beside its plugins and services. */
export interface StandaloneHerderOptions {
  /** The worker's config providers and known secrets; none and a fresh set by default. */
  readonly secrets?: ConfigSecrets;
  /** The worker's loggers, whose levels `/admin/loggers` reads and sets. */
  readonly logLevels?: LogLevels;
  /** `topic.tracking.enable` and `topic.tracking.allow.reset` (both true by default). */
  readonly topicTracking?: { readonly enable: boolean; readonly allowReset: boolean };
}

/**
 * The standalone control plane: connectors from the command line's files and from REST, held
 * in memory, offsets in the worker's offset file. It is the whole cluster, so cluster-scope
 * logger levels apply here, as Kafka's standalone herder does.
 *
 * Config-provider variables are resolved here, before a connector is built: the connector and
 * its tasks get the real values, while every answer — configs, task configs, traces — shows
 * the raw `${…}` text or `[hidden]`, never a secret. Writes run one at a time, as Kafka's
 * synchronized standalone herder runs them.
 */
export class StandaloneHerder extends BaseHerder implements Herder {
  readonly #services: WorkerServices;
  readonly #workerId: string;
  readonly #connectors = new Map<string, ConnectorRuntime>();
  readonly #tracking: { readonly enable: boolean; readonly allowReset: boolean };
  /** Each connector's config as given (with its `${…}` variables) and how it was resolved. */
  readonly #raw = new Map<string, { raw: Readonly<Record<string, string>>; resolved: TransformResult }>();
  /** Topics each connector's tasks produced to or consumed from (KIP-558). */
  readonly #topics = new Map<string, Set<string>>();
  #writes: Promise<unknown> = Promise.resolve();

  constructor(registry: PluginRegistry, services: WorkerServices, workerId: string, options: StandaloneHerderOptions = {}) {
    super(registry, options.secrets ?? new ConfigSecrets(), options.logLevels);
    this.#services = services;
    this.#workerId = workerId;
    this.#tracking = options.topicTracking ?? { enable: true, allowReset: true };
  }

  /** Runs writes one after another; a failed one does not hold up the next. */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(work);
    this.#writes = run.catch(() => undefined);
    return run;
  }

  /** Checks a connector config completely, variables resolved, without starting anything. */
  async validate(config: Readonly<Record<string, string>>): Promise<void> {
    await this.#resolve(config);
  }

  /** Resolves the config's variables, remembers its secrets, validates it; returns the resolution. */
  async #resolve(config: Readonly<Record<string, string>>): Promise<TransformResult> {
    connectorName(config);
    const resolved = await this.secrets.resolve(config);
    const definition = this.registry.resolve('connector', resolved.config['connector.class'] ?? '');
    this.secrets.remember(definition.config, resolved.config);
    ConnectorRuntime.validate(definition, resolved.config, this.registry);
    return resolved;
  }

  /** Creates a connector from a config file's or `POST /connectors`' config; its name must be free. */
  async create(config: Readonly<Record<string, string>>, targetState: TargetState = 'STARTED'): Promise<ConnectorInfo> {
    return (await this.putConnectorConfig(connectorName(config), config, { allowReplace: false, initialState: targetState })).result;
  }

  putConnectorConfig(
    name: string,
    config: Readonly<Record<string, string>>,
    options: { readonly allowReplace: boolean; readonly initialState?: TargetState },
  ): Promise<Created<ConnectorInfo>> {
    return this.#exclusive(async () => {
      if (config.name !== name) throw configError('name', `Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`);
      const existing = this.#connectors.get(name);
      if (existing && !options.allowReplace) throw alreadyExistsError(`Connector ${name} already exists`);
      const resolved = await this.#resolve(config);
      // A replaced connector keeps its target state, as Kafka Connect keeps it in the config topic.
      const targetState = existing?.targetState ?? options.initialState ?? 'STARTED';
      if (existing) await existing.stop();
      const runtime = new ConnectorRuntime(this.registry.resolve('connector', resolved.config['connector.class']!), resolved.config, this.#services, {
        targetState,
        onTopics: (topics) => this.#track(name, topics),
      });
      this.#connectors.set(name, runtime);
      this.#raw.set(name, { raw: { ...config }, resolved });
      await runtime.start();
      this.#rememberTaskSecrets(runtime);
      return { created: !existing, result: this.#info(name) };
    });
  }

  async patchConnectorConfig(name: string, patch: ConfigPatch): Promise<ConnectorInfo> {
    this.#get(name);
    const patched: Record<string, string> = { ...this.#raw.get(name)!.raw };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete patched[key];
      else patched[key] = value;
    }
    return (await this.putConnectorConfig(name, patched, { allowReplace: true })).result;
  }

  deleteConnector(name: string): Promise<void> {
    return this.#exclusive(async () => {
      const runtime = this.#get(name);
      await runtime.stop();
      this.#connectors.delete(name);
      this.#raw.delete(name);
      this.#topics.delete(name);
    });
  }

  #rememberTaskSecrets(runtime: ConnectorRuntime): void {
    const taskSpec = runtime.definition.task.config ?? runtime.definition.config;
    for (const taskConfig of runtime.taskConfigs) this.secrets.remember(taskSpec, taskConfig);
  }

  connectors(): Promise<string[]> {
    return Promise.resolve([...this.#connectors.keys()]);
  }

  #get(name: string): ConnectorRuntime {
    const runtime = this.#connectors.get(name);
    if (!runtime) throw notFoundError(`Connector ${name} not found`);
    return runtime;
  }

  /** The config as given, `${…}` variables unresolved, as Kafka Connect shows it; secrets `[hidden]`. */
  #config(name: string): Record<string, string> {
    const runtime = this.#get(name);
    return this.secrets.shown(runtime.definition.config, this.#raw.get(name)?.raw ?? runtime.config);
  }

  connectorConfig(name: string): Promise<Record<string, string>> {
    return answer(() => this.#config(name));
  }

  #info(name: string): ConnectorInfo {
    const runtime = this.#get(name);
    return { name, config: this.#config(name), tasks: runtime.taskConfigs.map((_, task) => ({ connector: name, task })), type: runtime.type };
  }

  connectorInfo(name: string): Promise<ConnectorInfo> {
    return answer(() => this.#info(name));
  }

  #withTrace<T extends object>(base: T, trace: string | undefined): T & { trace?: string } {
    return trace ? { ...base, trace: this.secrets.scrub(trace) } : base;
  }

  #taskState(id: number, status: Status): TaskState {
    return this.#withTrace({ id, state: status.state, worker_id: this.#workerId }, status.trace);
  }

  connectorStatus(name: string): Promise<ConnectorStateInfo> {
    return answer(() => {
      const runtime = this.#get(name);
      return {
        name,
        connector: this.#withTrace({ state: runtime.status.state, worker_id: this.#workerId }, runtime.status.trace),
        tasks: runtime.taskStatuses.map((status, id) => this.#taskState(id, status)),
        type: runtime.type,
      };
    });
  }

  taskStatus(name: string, task: number): Promise<TaskState> {
    return answer(() => {
      const status = this.#get(name).taskStatuses[task];
      if (!status) throw notFoundError(`No status found for task ${name}-${task}`);
      return this.#taskState(task, status);
    });
  }

  /** Task configs with the connector's `${…}` text back where a value came from a provider, and secrets `[hidden]`. */
  taskConfigs(name: string): Promise<TaskInfo[]> {
    return answer(() => {
      const runtime = this.#get(name);
      const spec = runtime.definition.task.config ?? runtime.definition.config;
      const connector = this.#raw.get(name);
      return runtime.taskConfigs.map((config, task) => {
        // Task configs change on reconfiguration; their secret keys' values are secrets too.
        this.secrets.remember(spec, config);
        return { id: { connector: name, task }, config: this.secrets.shown(spec, config, connector) };
      });
    });
  }

  async tasksConfig(name: string): Promise<Record<string, Record<string, string>>> {
    return Object.fromEntries((await this.taskConfigs(name)).map(({ id, config }) => [`${id.connector}-${id.task}`, config]));
  }

  #setTarget(name: string, target: TargetState): Promise<void> {
    return this.#exclusive(async () => {
      const runtime = this.#get(name);
      await runtime.setTargetState(target);
      this.#rememberTaskSecrets(runtime);
    });
  }

  pauseConnector(name: string): Promise<void> {
    return this.#setTarget(name, 'PAUSED');
  }

  resumeConnector(name: string): Promise<void> {
    return this.#setTarget(name, 'STARTED');
  }

  stopConnector(name: string): Promise<void> {
    return this.#setTarget(name, 'STOPPED');
  }

  restartConnector(name: string): Promise<void> {
    return this.#exclusive(() => this.#get(name).restart({ connector: true, tasks: [] }));
  }

  restartConnectorAndTasks(name: string, request: RestartRequest): Promise<ConnectorStateInfo> {
    return this.#exclusive(async () => {
      const before = await this.connectorStatus(name);
      const plan = restartPlan(before, request);
      // Answered at once with the restarts under way, as Kafka Connect answers 202.
      void this.#get(name).restart(plan);
      return restartingState(before, plan);
    });
  }

  restartTask(name: string, task: number): Promise<void> {
    return this.#exclusive(async () => {
      const runtime = this.#get(name);
      if (task < 0 || task >= runtime.taskConfigs.length) throw notFoundError(`Task ${name}-${task} not found`);
      await runtime.restart({ connector: false, tasks: [task] });
    });
  }

  #track(name: string, topics: ReadonlySet<string>): void {
    if (!this.#tracking.enable || !this.#connectors.has(name)) return;
    let known = this.#topics.get(name);
    if (!known) this.#topics.set(name, (known = new Set()));
    for (const topic of topics) known.add(topic);
  }

  connectorActiveTopics(name: string): Promise<string[]> {
    return answer(() => {
      if (!this.#tracking.enable) throw herderError(403, 'Topic tracking is disabled.');
      this.#get(name);
      return [...(this.#topics.get(name) ?? [])].sort();
    });
  }

  resetConnectorActiveTopics(name: string): Promise<void> {
    return answer(() => {
      if (!this.#tracking.enable) throw herderError(403, 'Topic tracking is disabled.');
      if (!this.#tracking.allowReset) throw herderError(403, 'Topic tracking reset is disabled.');
      this.#get(name);
      this.#topics.delete(name);
    });
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    return this.#get(name).offsets();
  }

  alterConnectorOffsets(name: string, offsets: readonly ConnectorOffset[]): Promise<Message> {
    return this.#exclusive(async () => offsetsMessage(await this.#get(name).modifyOffsets(offsets), 'altered'));
  }

  resetConnectorOffsets(name: string): Promise<Message> {
    return this.#exclusive(async () => offsetsMessage(await this.#get(name).modifyOffsets('reset'), 'reset'));
  }

  /** In standalone mode this worker is the whole cluster, as Kafka's standalone herder treats it. */
  async setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    await this.setWorkerLoggerLevel(namespace, level);
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
