/** The levels `/admin/loggers` accepts, as log4j names them, lowest first. */
const RANKS = { ALL: 0, TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, FATAL: 5, OFF: 6 } as const;
export type LevelName = keyof typeof RANKS;

/** The rank of a message level, for comparison with a logger's level. */
export function messageRank(level: 'debug' | 'info' | 'warn' | 'error'): number {
  return RANKS[level.toUpperCase() as LevelName];
}

/** A level name in any case, or `undefined` when log4j would not know it. */
export function parseLevel(text: string): LevelName | undefined {
  const upper = text.trim().toUpperCase();
  return Object.hasOwn(RANKS, upper) ? (upper as LevelName) : undefined;
}

const ROOT = 'root';

interface Explicit {
  readonly level: LevelName;
  readonly lastModified: number | null;
}

/**
 * The worker's named loggers and their levels, as log4j keeps them for Kafka Connect's
 * `/admin/loggers`: `root` has the start-up level (`SLUICE_LOG_LEVEL`); a logger without a
 * level of its own takes its nearest dotted ancestor's (`sluice.connector.orders.task.0` takes
 * `sluice.connector.orders`'s). Setting a namespace sets it and every known logger under it.
 * Levels live in this process only.
 */
export class LogLevels {
  readonly #explicit = new Map<string, Explicit>();
  readonly #known = new Set<string>();
  readonly #now: () => number;

  /** @param rootLevel the root logger's level; an unknown name means INFO */
  constructor(rootLevel: string = 'info', now: () => number = Date.now) {
    this.#explicit.set(ROOT, { level: parseLevel(rootLevel) ?? 'INFO', lastModified: null });
    this.#now = now;
  }

  /** Makes a logger known (it is created when first used), so it can be looked up and set. */
  register(name: string): void {
    if (name.toLowerCase() !== ROOT) this.#known.add(name);
  }

  /** Whether a message of `level` from logger `name` is printed. */
  enabled(name: string, level: 'debug' | 'info' | 'warn' | 'error'): boolean {
    return messageRank(level) >= RANKS[this.#effective(name)];
  }

  #effective(name: string): LevelName {
    for (let current = name; ; current = current.slice(0, current.lastIndexOf('.'))) {
      const explicit = this.#explicit.get(current);
      if (explicit) return explicit.level;
      if (!current.includes('.')) return this.#explicit.get(ROOT)!.level;
    }
  }

  /** A known logger's level (its effective one when it has none of its own), or `undefined`. */
  level(name: string): { level: LevelName; last_modified: number | null } | undefined {
    const key = name.toLowerCase() === ROOT ? ROOT : name;
    if (key !== ROOT && !this.#known.has(key) && !this.#explicit.has(key)) return undefined;
    return { level: this.#effective(key), last_modified: this.#explicit.get(key)?.lastModified ?? null };
  }

  /** Every logger with a level of its own, and `root`, by name. */
  all(): Record<string, { level: LevelName; last_modified: number | null }> {
    const names = [...this.#explicit.keys()].sort();
    return Object.fromEntries(names.map((name) => [name, this.level(name)!]));
  }

  /**
   * Sets `namespace` and every known logger under it (all of them for `root`) to `level`;
   * answers their names, sorted. A logger already at that level keeps its `last_modified`.
   */
  set(namespace: string, level: LevelName): string[] {
    const isRoot = namespace.toLowerCase() === ROOT;
    const key = isRoot ? ROOT : namespace;
    const names = new Set([key]);
    for (const name of [...this.#known, ...this.#explicit.keys()]) {
      if (isRoot || name.startsWith(`${namespace}.`)) names.add(name);
    }
    const now = this.#now();
    for (const name of names) {
      if (this.#explicit.get(name)?.level === level) continue;
      this.#explicit.set(name, { level, lastModified: now });
    }
    if (!isRoot) this.#known.add(key);
    return [...names].sort();
  }
}
