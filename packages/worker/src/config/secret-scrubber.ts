/** What a scrubbed secret is replaced with: the text Kafka Connect shows for a password. */
export const HIDDEN = '[hidden]';

/**
 * Secrets shorter than this are not searched for inside longer text. A provider value such as
 * `1`, `true` or a port number would otherwise blank every occurrence of that token in every
 * log line and trace, destroying the log while protecting nothing: a secret of five characters
 * or fewer is guessable anyway. Such values are still hidden where they are a config value of
 * their own (see {@link SecretScrubber.isSecret}).
 */
export const MIN_SCRUBBED_LENGTH = 6;

/**
 * The secret values a worker knows — values of secret config keys and every value a config
 * provider returned — and the one place that hides them in text bound for a log, a status
 * trace or a REST response. Values only accumulate: a secret seen once stays hidden for the
 * life of the process.
 */
export class SecretScrubber {
  readonly #exact = new Set<string>();
  readonly #searched = new Set<string>();
  #pattern: RegExp | null = null;

  /**
   * Registers a secret. Besides the value itself, its trimmed form and, for a multi-line value
   * (a PEM key, a file read by a directory provider), each of its lines are searched for too,
   * since those are the pieces an error message tends to quote; and each piece as it reads
   * inside a JSON string, for REST bodies scrubbed after serialisation.
   */
  add(value: string | null | undefined): void {
    if (value === null || value === undefined || value === '' || this.#exact.has(value)) return;
    this.#exact.add(value);
    const lines = [value, value.trim(), ...value.split(/\r\n|\r|\n/).map((line) => line.trim())];
    const pieces = new Set(lines.flatMap((line) => [line, JSON.stringify(line).slice(1, -1)]));
    for (const piece of pieces) {
      if (piece.length >= MIN_SCRUBBED_LENGTH && !this.#searched.has(piece)) {
        this.#searched.add(piece);
        this.#pattern = null;
      }
    }
  }

  /** True when `value` is a registered secret, whatever its length. */
  isSecret(value: string): boolean {
    return this.#exact.has(value);
  }

  /** True when `value` is a registered secret or holds one long enough to be searched for. */
  exposes(value: string): boolean {
    return this.isSecret(value) || this.scrub(value) !== value;
  }

  /** `text` with every occurrence of a registered secret replaced by `[hidden]`. */
  scrub(text: string): string {
    if (this.#searched.size === 0) return text;
    this.#pattern ??= searchPattern(this.#searched);
    return text.replace(this.#pattern, HIDDEN);
  }
}

/** One alternation, longest first, so a secret that contains another is hidden whole. */
function searchPattern(secrets: ReadonlySet<string>): RegExp {
  const sorted = [...secrets].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}
