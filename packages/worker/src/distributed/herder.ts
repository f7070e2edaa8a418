import { alreadyExistsError, configError, notFoundError } from '@sluice/core';
import type { Logger } from '@sluice/core';
import type { ConfigSecrets } from '../config/config-secrets.ts';
import { BaseHerder, answer, offsetsMessage } from '../herder/base-herder.ts';
import { herderError, herderStatusOf } from '../herder/errors.ts';
import type {
  ConfigPatch,
  ConnectorInfo,
  ConnectorOffset,
  ConnectorOffsets,
  ConnectorStateInfo,
  Created,
  Herder,
  Message,
  InternalRequest,
  RestartRequest,
  TargetState,
  TaskInfo,
  TaskState,
} from '../herder/herder.ts';
import { restartPlan, restartingState } from '../herder/restart-plan.ts';
import type { LogLevels } from '../log-levels.ts';
import { parseLevel } from '../log-levels.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import { modifyOffsets, readOffsets } from '../runtime/connector-offsets.ts';
import { ConnectorRuntime } from '../runtime/connector-runtime.ts';
import type { WorkerServices } from '../runtime/connector-runtime.ts';
import type { Status } from '../runtime/status.ts';
import type { ConfigSnapshot, KafkaConfigStore, KafkaStatusStore, TaskId } from '../storage/index.ts';
import { snapshotTaskConfig, snapshotTasks } from '../storage/index.ts';
import type { ConnectAssignment } from './connect-protocol.ts';
import { forwardToLeader } from './forward.ts';
import { LocalWork, plainConfig } from './local-work.ts';
import type { ExactlyOnceSources } from './local-work.ts';
import { exactlyOnceErrors } from '../runtime/exactly-once-config.ts';
import { fenceTaskGeneration } from '../runtime/zombie-fencing.ts';
import type { RevokedWork, WorkerGroup } from './worker-group.ts';
import type { RequestSigner } from '../rest/request-signing.ts';
import { SessionKeys } from './session-keys.ts';

/** What a distributed herder runs on; `main.ts` builds them. */
export interface DistributedHerderParts {
  readonly registry: PluginRegistry;
  readonly services: WorkerServices;
  readonly secrets: ConfigSecrets;
  readonly logLevels: LogLevels;
  readonly configs: KafkaConfigStore;
  readonly statuses: KafkaStatusStore;
  readonly workerId: string;
  readonly logger: Logger;
  /** Set when `exactly.once.source.support=enabled`. */
  readonly exactlyOnce: ExactlyOnceSources | null;
  /** Signs and verifies internal requests with the worker's `inter.worker.*` settings (KIP-507). */
  readonly signer: RequestSigner;
  /** `inter.worker.key.ttl.ms`. */
  readonly keyTtlMs: number;
}

const REBALANCING = 'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)';

/** Waits between attempts to publish task configs through the leader, as Kafka Connect retries a reconfiguration: about 8 s in all. */
const PUBLISH_BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000] as const;

/**
 * Kafka Connect's distributed control plane, by concern: the config topic holds what should run
 * (read by every worker, written by the group's leader — a follower forwards REST writes to it),
 * the group ({@link WorkerGroup}) decides where, {@link LocalWork} runs what this worker was
 * given, and the status topic says how it is going. Statuses are this worker's view of the
 * status topic.
 */
export class DistributedHerder extends BaseHerder implements Herder {
  readonly #parts: DistributedHerderParts;
  readonly #work: LocalWork;
  readonly #keys: SessionKeys;
  #group: WorkerGroup | null = null;
  #generation = -1;
  /** Whether the group signed internal requests at the last assignment (null before the first). */
  #signing: boolean | null = null;
  #stopping = false;

  constructor(parts: DistributedHerderParts) {
    super(parts.registry, parts.secrets, parts.logLevels);
    this.#parts = parts;
    this.#work = new LocalWork(parts.registry, parts.services, parts.secrets, {
      connectorStatus: (connector, status) => this.#putStatus({ connector }, status),
      taskStatus: (id, status) => this.#putStatus(id, status),
      taskConfigs: (connector, configs) => this.#publishTaskConfigs(connector, configs),
      topics: (id, topics) => {
        for (const topic of topics) {
          if (this.#parts.statuses.topic(id.connector, topic)) continue;
          void this.#parts.statuses.putTopic({ topic, connector: id.connector, task: id.task, discoverTimestamp: Date.now() }).catch(() => undefined);
        }
      },
    }, parts.exactlyOnce);
    this.#keys = new SessionKeys({
      signer: parts.signer,
      topic: parts.configs,
      ttlMs: parts.keyTtlMs,
      logger: parts.logger,
      stillLeading: () => this.#group?.isLeader === true && this.#sessioned(),
    });
  }

  /** Joins the group; called once the stores have read their topics. */
  attach(group: WorkerGroup): void {
    this.#group = group;
  }

  #snapshot(): ConfigSnapshot {
    return this.#parts.configs.snapshot();
  }

  /**
   * Whether internal requests are signed and verified: when the group runs the `sessioned`
   * protocol (Kafka's `CONNECT_PROTOCOL_V2`), and before the first join, as Kafka Connect.
   */
  #sessioned(): boolean {
    return this.#group?.protocol !== 'compatible';
  }

  #putStatus(id: { connector: string; task?: number }, status: Status): void {
    const base = { state: status.state, trace: status.trace ?? null, workerId: this.#parts.workerId, generation: this.#generation };
    // UNASSIGNED after stopping must not overwrite what a newer owner wrote (Kafka's putSafe).
    const options = { safe: status.state === 'UNASSIGNED' };
    const write =
      id.task === undefined
        ? this.#parts.statuses.putConnector({ ...base, connector: id.connector }, options)
        : this.#parts.statuses.putTask({ ...base, connector: id.connector, task: id.task }, options);
    write.catch((error: unknown) => this.#parts.logger.error({ err: error }, `writing the status of ${id.connector}${id.task === undefined ? '' : `-${id.task}`} failed`));
  }

  // ---- the group's decisions ----------------------------------------------------------------

  /** The group revoked work: stop it before the next assignment. */
  onRevoked(revoked: RevokedWork): Promise<void> {
    return this.#work.serially('stopping revoked work', async () => {
      await Promise.all([...revoked.tasks.map((t) => this.#work.stopTask(t)), ...revoked.connectors.map((c) => this.#work.stopConnector(c))]);
    });
  }

  /** The group assigned work: start what is not running yet, from a config snapshot at least as new as the leader's. */
  onAssigned(assignment: ConnectAssignment, _leaderUrl: string, generation: number): Promise<void> {
    return this.#work.serially('starting assigned work', async () => {
      if (assignment.error !== 0 || this.#snapshot().offset < assignment.configOffset) await this.#parts.configs.refresh();
      if (assignment.error !== 0) return;
      this.#generation = generation;
      this.#noteSigning();
      // The leader has a session key in the topic before it starts work, so followers' requests can be signed soon.
      await this.#keys.lead(this.#group?.isLeader === true && this.#sessioned());
      const snapshot = this.#snapshot();
      const assignedTasks = new Set(assignment.tasks.map((t) => `${t.connector}/${t.task}`));
      const current = this.#work.all();
      await Promise.all([
        ...current.tasks.filter((t) => !assignedTasks.has(`${t.connector}/${t.task}`)).map((t) => this.#work.stopTask(t)),
        ...current.connectors.filter((c) => !assignment.connectors.includes(c)).map((c) => this.#work.stopConnector(c)),
      ]);
      await Promise.all([...assignment.connectors.map((c) => this.#work.startConnector(c, snapshot)), ...assignment.tasks.map((t) => this.#work.startTask(t, snapshot))]);
    });
  }

  // ---- what the config topic says ------------------------------------------------------------

  /** The config topic's listener (KafkaConfigStore calls it in topic order). */
  readonly configListener = {
    onConnectorConfigUpdate: (connector: string) => {
      this.#rebalanceIfLeader(`connector ${connector} was created or updated`);
      void this.#work.serially(`reconfiguring connector ${connector}`, () => this.#work.restartConnector(connector, this.#snapshot()));
    },
    onConnectorConfigRemove: (connector: string) => {
      this.#rebalanceIfLeader(`connector ${connector} was deleted`);
      void this.#work.serially(`deleting connector ${connector}`, async () => {
        await Promise.all(this.#work.tasksOf(connector).map((t) => this.#work.stopTask(t)));
        await this.#work.stopConnector(connector);
      });
    },
    onTaskConfigUpdate: (tasks: readonly TaskId[]) => {
      this.#rebalanceIfLeader('task configs changed');
      void this.#work.serially('reconfiguring tasks', async () => {
        const snapshot = this.#snapshot();
        await Promise.all(tasks.map((t) => this.#work.restartTask(t, snapshot)));
      });
    },
    onConnectorTargetStateChange: (connector: string) => {
      void this.#work.serially(`changing the target state of ${connector}`, async () => {
        const target = this.#snapshot().targetStates.get(connector) ?? 'STARTED';
        this.#work.setTasksTarget(connector, target);
        await this.#work.setConnectorTarget(connector, target);
      });
    },
    onRestartRequest: (request: { connector: string; onlyFailed: boolean; includeTasks: boolean }) => {
      void this.#work.serially(`restarting ${request.connector}`, async () => {
        const snapshot = this.#snapshot();
        const failed = (state: string | undefined) => !request.onlyFailed || state === 'FAILED';
        if (this.#work.hasConnector(request.connector) && failed(this.#parts.statuses.connector(request.connector)?.state)) {
          await this.#work.restartConnector(request.connector, snapshot);
        }
        if (!request.includeTasks) return;
        for (const id of this.#work.tasksOf(request.connector)) {
          if (failed(this.#parts.statuses.task(id.connector, id.task)?.state)) await this.#work.restartTask(id, snapshot);
        }
      });
    },
    onSessionKeyUpdate: () => {
      this.#parts.logger.info('read a new session key for internal requests from the config topic');
      this.#keys.onKeyUpdate();
    },
    onLoggingLevelUpdate: (namespace: string, level: string) => {
      const parsed = parseLevel(level);
      if (parsed) this.logLevels.set(namespace, parsed);
    },
  };

  /** Says when internal request signing turns off or on with the group's protocol, as Kafka Connect warns. */
  #noteSigning(): void {
    const signing = this.#sessioned();
    if (signing === this.#signing) return;
    const was = this.#signing;
    this.#signing = signing;
    if (!signing) {
      this.#parts.logger.warn(
        'The Connect group runs the `compatible` protocol, so internal requests between workers are neither signed nor verified and anyone who can reach a worker’s REST API can write task configs. ' +
          'This happens when a worker of the group has connect.protocol=compatible; set connect.protocol=sessioned (the default) on every worker to secure them (KIP-507).',
      );
    } else if (was === false) {
      this.#parts.logger.info('The Connect group runs the `sessioned` protocol again: internal requests are signed and verified');
    }
  }

  #rebalanceIfLeader(reason: string): void {
    if (this.#group?.isLeader) this.#group.requestRejoin(reason);
  }

  /** Writes task configs a connector here generated, when they differ from the topic's, through the leader. */
  async #publishTaskConfigs(connector: string, configs: readonly Readonly<Record<string, string>>[]): Promise<void> {
    const snapshot = this.#snapshot();
    const current = snapshotTasks(snapshot, connector).map((id) => plainConfig(snapshotTaskConfig(snapshot, id)));
    const same = current.length === configs.length && configs.every((config, i) => sameConfig(config, current[i]!));
    if (same) return;
    const path = `/connectors/${encodeURIComponent(connector)}/tasks`;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#onLeader(
          () => this.#writeTaskConfigs(connector, configs),
          async (leader) => {
            if (this.#sessioned() && this.#keys.key === null) await this.#awaitSessionKey();
            return forwardToLeader(leader, 'POST', path, configs, { sign: (body) => this.#keys.sign(body) });
          },
        );
        return;
      } catch (error) {
        // A rebalance, a leader that has not read the key yet, or a key replaced since this worker signed: try again.
        const status = herderStatusOf(error);
        const wait = PUBLISH_BACKOFF_MS[attempt];
        if (this.#stopping || wait === undefined || (status !== 403 && status !== 409 && status !== 503)) throw error;
        this.#parts.logger.warn({ err: error }, `publishing the task configs of connector ${connector} through the leader failed; trying again in ${wait} ms`);
        await new Promise((resolve) => setTimeout(resolve, wait));
        await this.#parts.configs.refresh();
      }
    }
  }

  /** A worker signs with the key the leader writes when it starts leading; this one has not read it yet. */
  async #awaitSessionKey(): Promise<void> {
    await this.#parts.configs.refresh();
    if (this.#keys.key === null) throw herderError(503, 'This worker has not read a session key from the config topic yet, so it cannot sign requests to the leader');
  }

  /**
   * The leader writes a connector's new task configs. With exactly-once sources, the producers
   * of every task the connector may still run are fenced first, so a zombie of the previous
   * generation cannot commit once the new tasks start (KIP-618's `tasks-fencing-<name>`).
   */
  async #writeTaskConfigs(connector: string, configs: readonly Readonly<Record<string, string>>[]): Promise<void> {
    const exactlyOnce = this.#parts.exactlyOnce;
    const snapshot = this.#snapshot();
    const source = this.#definition(plainConfig(snapshot.connectorConfigs.get(connector))).type === 'source';
    if (exactlyOnce && source) {
      const previous = Math.max(snapshot.taskCountRecords.get(connector) ?? 0, snapshot.taskCounts.get(connector) ?? 0);
      const admin = await this.#parts.services.kafka.admin();
      try {
        if (previous > 0) await fenceTaskGeneration(admin, exactlyOnce.groupId, connector, previous);
      } finally {
        await admin.close();
      }
    }
    await this.#parts.configs.putTaskConfigs(connector, configs);
    if (exactlyOnce && source) await this.#parts.configs.putTaskCountRecord(connector, configs.length);
  }

  /** Internal `POST /connectors/{c}/tasks`: a worker running the connector publishes its task configs through the leader. */
  async putTaskConfigs(connector: string, configs: readonly Readonly<Record<string, string>>[], request?: InternalRequest): Promise<void> {
    // The signature is checked before anything else of the cluster, as Kafka Connect checks it.
    if (this.#sessioned()) {
      const verified = request ? this.#keys.verify(request) : ({ ok: false, status: 400, message: 'Internal request missing required signature' } as const);
      if (!verified.ok) {
        this.#parts.logger.warn(`refused task configs for connector ${connector} from an internal request: ${verified.message}`);
        throw herderError(verified.status, verified.message);
      }
    }
    if (!this.#group?.isLeader) throw herderError(409, 'This worker is not the leader; task configs go to the leader.');
    if (!this.#snapshot().connectorConfigs.has(connector)) throw notFoundError(`Connector ${connector} not found`);
    await this.#writeTaskConfigs(connector, configs);
  }

  /** Runs a config write here when this worker leads the group, else sends it to the leader. */
  async #onLeader<T>(local: () => Promise<T>, forward: (leaderUrl: string) => Promise<unknown>): Promise<T | undefined> {
    const group = this.#group;
    if (group?.isLeader) return local();
    const leader = group?.leaderUrl;
    if (!leader) throw herderError(409, REBALANCING);
    await forward(leader);
    return undefined;
  }

  // ---- REST reads -------------------------------------------------------------------------------

  #raw(connector: string): Record<string, string> {
    const properties = this.#snapshot().connectorConfigs.get(connector);
    if (!properties) throw notFoundError(`Connector ${connector} not found`);
    return plainConfig(properties);
  }

  #definition(raw: Readonly<Record<string, string>>) {
    return this.registry.resolve('connector', raw['connector.class'] ?? '');
  }

  connectors(): Promise<string[]> {
    return answer(() => [...this.#snapshot().connectorConfigs.keys()].sort());
  }

  connectorConfig(connector: string): Promise<Record<string, string>> {
    return answer(() => {
      const raw = this.#raw(connector);
      return this.secrets.shown(this.#definition(raw).config, raw);
    });
  }

  #info(connector: string): ConnectorInfo {
    const raw = this.#raw(connector);
    const definition = this.#definition(raw);
    return {
      name: connector,
      config: this.secrets.shown(definition.config, raw),
      tasks: snapshotTasks(this.#snapshot(), connector).map(({ task }) => ({ connector, task })),
      type: definition.type,
    };
  }

  connectorInfo(connector: string): Promise<ConnectorInfo> {
    return answer(() => this.#info(connector));
  }

  #state(status: { state: string; workerId: string; trace: string | null } | undefined): { state: string; worker_id: string; trace?: string } {
    if (!status) return { state: 'UNASSIGNED', worker_id: this.#parts.workerId };
    return status.trace ? { state: status.state, worker_id: status.workerId, trace: this.secrets.scrub(status.trace) } : { state: status.state, worker_id: status.workerId };
  }

  connectorStatus(connector: string): Promise<ConnectorStateInfo> {
    return answer(() => {
      const raw = this.#raw(connector);
      const statuses = this.#parts.statuses;
      return {
        name: connector,
        connector: this.#state(statuses.connector(connector)),
        tasks: snapshotTasks(this.#snapshot(), connector).map(({ task }) => ({ id: task, ...this.#state(statuses.task(connector, task)) })),
        type: this.#definition(raw).type,
      };
    });
  }

  taskStatus(connector: string, task: number): Promise<TaskState> {
    return answer(() => {
      this.#raw(connector);
      if (!snapshotTasks(this.#snapshot(), connector).some((t) => t.task === task)) throw notFoundError(`No status found for task ${connector}-${task}`);
      return { id: task, ...this.#state(this.#parts.statuses.task(connector, task)) };
    });
  }

  taskConfigs(connector: string): Promise<TaskInfo[]> {
    return answer(() => {
      const raw = this.#raw(connector);
      const definition = this.#definition(raw);
      const snapshot = this.#snapshot();
      return snapshotTasks(snapshot, connector).map((id) => ({
        id: { connector, task: id.task },
        config: this.secrets.shown(definition.task.config ?? definition.config, plainConfig(snapshotTaskConfig(snapshot, id))),
      }));
    });
  }

  async tasksConfig(connector: string): Promise<Record<string, Record<string, string>>> {
    return Object.fromEntries((await this.taskConfigs(connector)).map(({ id, config }) => [`${id.connector}-${id.task}`, config]));
  }

  // ---- REST writes: on the leader, which alone writes the config topic --------------------------

  async putConnectorConfig(
    connector: string,
    config: Readonly<Record<string, string>>,
    options: { readonly allowReplace: boolean; readonly initialState?: TargetState },
  ): Promise<Created<ConnectorInfo>> {
    if (config.name !== connector) throw configError('name', `Connector name configuration (${config.name}) doesn't match connector name in the URL (${connector})`);
    const resolved = await this.secrets.resolve(config);
    const definition = this.#definition(resolved.config);
    this.secrets.remember(definition.config, resolved.config);
    ConnectorRuntime.validate(definition, resolved.config, this.registry);
    if (definition.type === 'source') {
      const [first] = await exactlyOnceErrors(definition, resolved.config, this.#parts.exactlyOnce !== null);
      if (first) throw configError(first[0], first[1].join(' '));
    }
    let created = false;
    await this.#onLeader(
      async () => {
        const exists = this.#snapshot().connectorConfigs.has(connector);
        if (exists && !options.allowReplace) throw alreadyExistsError(`Connector ${connector} already exists`);
        created = !exists;
        await this.#parts.configs.putConnectorConfig(connector, config, exists ? undefined : (options.initialState ?? 'STARTED'));
      },
      async (leader) => {
        const forwarded = options.allowReplace
          ? await forwardToLeader(leader, 'PUT', `/connectors/${encodeURIComponent(connector)}/config`, config)
          : await forwardToLeader(leader, 'POST', '/connectors', { name: connector, config, ...(options.initialState ? { initial_state: initialStateName(options.initialState) } : {}) });
        created = forwarded.status === 201;
      },
    );
    await this.#parts.configs.refresh();
    return { created, result: this.#info(connector) };
  }

  async patchConnectorConfig(connector: string, patch: ConfigPatch): Promise<ConnectorInfo> {
    const patched: Record<string, string> = this.#raw(connector);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete patched[key];
      else patched[key] = value;
    }
    return (await this.putConnectorConfig(connector, patched, { allowReplace: true })).result;
  }

  async deleteConnector(connector: string): Promise<void> {
    this.#raw(connector);
    await this.#onLeader(
      () => this.#parts.configs.removeConnectorConfig(connector),
      (leader) => forwardToLeader(leader, 'DELETE', `/connectors/${encodeURIComponent(connector)}`),
    );
    await this.#parts.configs.refresh();
  }

  async #setTarget(connector: string, target: TargetState, path: string): Promise<void> {
    this.#raw(connector);
    await this.#onLeader(
      async () => {
        // A stopped connector's tasks are removed: empty task configs first, as Kafka Connect writes them.
        if (target === 'STOPPED') await this.#writeTaskConfigs(connector, []);
        await this.#parts.configs.putTargetState(connector, target);
      },
      (leader) => forwardToLeader(leader, 'PUT', `/connectors/${encodeURIComponent(connector)}/${path}`),
    );
  }

  pauseConnector(connector: string): Promise<void> {
    return this.#setTarget(connector, 'PAUSED', 'pause');
  }

  resumeConnector(connector: string): Promise<void> {
    return this.#setTarget(connector, 'STARTED', 'resume');
  }

  stopConnector(connector: string): Promise<void> {
    return this.#setTarget(connector, 'STOPPED', 'stop');
  }

  async restartConnector(connector: string): Promise<void> {
    this.#raw(connector);
    await this.#parts.configs.putRestartRequest({ connector, onlyFailed: false, includeTasks: false });
  }

  async restartConnectorAndTasks(connector: string, request: RestartRequest): Promise<ConnectorStateInfo> {
    const before = await this.connectorStatus(connector);
    const plan = restartPlan(before, request);
    await this.#parts.configs.putRestartRequest({ connector, onlyFailed: request.onlyFailed, includeTasks: request.includeTasks });
    return restartingState(before, plan);
  }

  async restartTask(connector: string, task: number): Promise<void> {
    this.#raw(connector);
    const id = { connector, task };
    if (!snapshotTasks(this.#snapshot(), connector).some((t) => t.task === task)) throw notFoundError(`Task ${connector}-${task} not found`);
    if (this.#work.hasTask(id)) {
      await this.#work.serially(`restarting task ${connector}-${task}`, () => this.#work.restartTask(id, this.#snapshot()));
      return;
    }
    // The owner restarts it: the leader knows where it runs, a follower asks the leader.
    const owner = this.#group?.isLeader ? this.#group.ownerUrl(connector, task) : this.#group?.leaderUrl;
    if (!owner) throw herderError(409, REBALANCING);
    await forwardToLeader(owner, 'POST', `/connectors/${encodeURIComponent(connector)}/tasks/${task}/restart`);
  }

  connectorActiveTopics(connector: string): Promise<string[]> {
    return answer(() => {
      this.#raw(connector);
      return this.#parts.statuses.topics(connector).map((t) => t.topic).sort();
    });
  }

  async resetConnectorActiveTopics(connector: string): Promise<void> {
    this.#raw(connector);
    await Promise.all(this.#parts.statuses.topics(connector).map((t) => this.#parts.statuses.deleteTopic(connector, t.topic)));
  }

  #offsetsPlace(connector: string) {
    return { connector, offsets: this.#parts.services.offsets, kafka: this.#parts.services.kafka };
  }

  async connectorOffsets(connector: string): Promise<ConnectorOffsets> {
    return readOffsets(this.#definition(this.#raw(connector)).type, this.#offsetsPlace(connector));
  }

  async #modifyOffsets(connector: string, change: readonly ConnectorOffset[] | 'reset'): Promise<boolean> {
    const raw = this.#raw(connector);
    if (this.#snapshot().targetStates.get(connector) !== 'STOPPED') {
      throw herderError(400, `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${connector}/stop' endpoint`);
    }
    const resolved = await this.secrets.resolve(raw);
    return modifyOffsets(this.#definition(raw), resolved.config, this.#offsetsPlace(connector), change);
  }

  async alterConnectorOffsets(connector: string, offsets: readonly ConnectorOffset[]): Promise<Message> {
    return offsetsMessage(await this.#modifyOffsets(connector, offsets), 'altered');
  }

  async resetConnectorOffsets(connector: string): Promise<Message> {
    return offsetsMessage(await this.#modifyOffsets(connector, 'reset'), 'reset');
  }

  /** Every worker applies a cluster-scope level from the config topic (KIP-976). */
  async setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    if (!parseLevel(level)) throw notFoundError(`invalid log level '${level}'.`);
    await this.#parts.configs.putLoggerLevel(namespace, level);
  }

  /** Stops this worker's connectors and tasks (the group is left by the caller first). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#keys.stop();
    await this.#work.serially('stopping', () => this.#work.stopAll());
  }
}

function sameConfig(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** `initial_state` as `POST /connectors` takes it. */
function initialStateName(state: TargetState): string {
  return state === 'STARTED' ? 'RUNNING' : state;
}
