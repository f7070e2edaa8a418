import type { ConnectorTaskId } from './connect-protocol.ts';

/**
 * Connectors and tasks as the assignor counts them (Kafka's `ConnectorsAndTasks` and
 * `WorkerLoad`): sets keyed by name, in insertion order, so that every decision is
 * deterministic.
 */

export function taskKey(task: ConnectorTaskId): string {
  return `${task.task}/${task.connector}`;
}

/** Kafka's `ConnectorTaskId` order: by connector, then task number. */
export function compareTasks(a: ConnectorTaskId, b: ConnectorTaskId): number {
  if (a.connector !== b.connector) return a.connector < b.connector ? -1 : 1;
  return a.task - b.task;
}

export class Work {
  readonly connectors = new Set<string>();
  readonly tasks = new Map<string, ConnectorTaskId>();

  static of(connectors: Iterable<string>, tasks: Iterable<ConnectorTaskId>): Work {
    const work = new Work();
    for (const c of connectors) work.connectors.add(c);
    for (const t of tasks) work.tasks.set(taskKey(t), t);
    return work;
  }

  get size(): number {
    return this.connectors.size + this.tasks.size;
  }

  isEmpty(): boolean {
    return this.size === 0;
  }

  hasConnector(connector: string): boolean {
    return this.connectors.has(connector);
  }

  hasTask(task: ConnectorTaskId): boolean {
    return this.tasks.has(taskKey(task));
  }

  addAll(other: Work): this {
    for (const c of other.connectors) this.connectors.add(c);
    for (const [k, t] of other.tasks) this.tasks.set(k, t);
    return this;
  }

  removeAll(other: Work): this {
    for (const c of other.connectors) this.connectors.delete(c);
    for (const k of other.tasks.keys()) this.tasks.delete(k);
    return this;
  }

  clear(): void {
    this.connectors.clear();
    this.tasks.clear();
  }

  intersects(other: Work): boolean {
    return [...this.connectors].some((c) => other.connectors.has(c)) || [...this.tasks.keys()].some((k) => other.tasks.has(k));
  }

  /** What is in `this` and in none of `others`, sorted as Kafka's TreeSet would be. */
  minus(...others: Work[]): Work {
    const connectors = [...this.connectors].filter((c) => !others.some((o) => o.connectors.has(c))).sort();
    const tasks = [...this.tasks.entries()].filter(([k]) => !others.some((o) => o.tasks.has(k))).map(([, t]) => t);
    return Work.of(connectors, tasks.sort(compareTasks));
  }

  /** What is in both, in `this`'s order. */
  and(other: Work): Work {
    return Work.of(
      [...this.connectors].filter((c) => other.connectors.has(c)),
      [...this.tasks.entries()].filter(([k]) => other.tasks.has(k)).map(([, t]) => t),
    );
  }
}

/** One worker's connectors and tasks in an assignment being built, as ordered lists. */
export class WorkerLoad {
  readonly worker: string;
  connectors: string[];
  tasks: ConnectorTaskId[];

  constructor(worker: string, connectors: Iterable<string> = [], tasks: Iterable<ConnectorTaskId> = []) {
    this.worker = worker;
    this.connectors = [...connectors];
    this.tasks = [...tasks];
  }

  static from(worker: string, work: Work, excluding?: Work): WorkerLoad {
    const connectors = [...work.connectors].filter((c) => !excluding?.connectors.has(c));
    const tasks = [...work.tasks.entries()].filter(([k]) => !excluding?.tasks.has(k)).map(([, t]) => t);
    return new WorkerLoad(worker, connectors, tasks);
  }

  isEmpty(): boolean {
    return this.connectors.length === 0 && this.tasks.length === 0;
  }

  remove(work: Work): void {
    this.connectors = this.connectors.filter((c) => !work.connectors.has(c));
    this.tasks = this.tasks.filter((t) => !work.hasTask(t));
  }

  asWork(): Work {
    return Work.of(this.connectors, this.tasks);
  }
}

/** Least loaded first, ties by worker id (Kafka's `WorkerLoad` comparators). */
export function byLoad(count: (load: WorkerLoad) => number): (a: WorkerLoad, b: WorkerLoad) => number {
  return (a, b) => count(a) - count(b) || (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0);
}
