import { SECRET_BRAND, hasBrand } from '../brands.ts';

const HIDDEN = '[hidden]';

/**
 * A secret config value (a `password` key or a key marked `secret: true`). Every way of
 * printing it — `String()`, template literals, `JSON.stringify`, `util.inspect`,
 * `console.log` — shows `[hidden]`; only {@link Secret.reveal} returns the real value.
 *
 * @since 0.1.0
 */
export class Secret {
  static readonly HIDDEN = HIDDEN;
  readonly #value: string;
  declare readonly [SECRET_BRAND]: true;

  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  /** The real value. Call it only where the secret is used, never to log. */
  reveal(): string {
    return this.#value;
  }

  /** Compares the hidden values without revealing them. */
  equals(other: unknown): boolean {
    return isSecret(other) && other.reveal() === this.#value;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [Symbol.toPrimitive](): string {
    return HIDDEN;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return HIDDEN;
  }
}
Object.defineProperty(Secret.prototype, SECRET_BRAND, { value: true, enumerable: false });

/**
 * True when `value` is a {@link Secret} from any copy of this package.
 *
 * @since 0.1.0
 */
export function isSecret(value: unknown): value is Secret {
  return hasBrand(value, SECRET_BRAND);
}
