import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { between, configError, custom, defineConfig } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';

/**
 * Signing of internal worker-to-worker REST requests (KIP-507), as Kafka Connect does it: the
 * leader puts a session key in the config topic; a worker signs the body of an internal request
 * (`POST /connectors/{c}/tasks`, `PUT /connectors/{c}/fence`) with an HMAC of that key and
 * sends it in `X-Connect-Authorization` (base64), naming the MAC in
 * `X-Connect-Request-Signature-Algorithm`; the receiving worker checks it against the key it
 * has read. The signature covers the body bytes exactly as sent, so a route must verify the raw
 * body, not JSON parsed and written again.
 */
export const SIGNATURE_HEADER = 'X-Connect-Authorization';
export const SIGNATURE_ALGORITHM_HEADER = 'X-Connect-Request-Signature-Algorithm';

/** Java's MAC and key generator names, and the Node digest and default key length (Java's KeyGenerator defaults) of each. */
const MACS: ReadonlyMap<string, { digest: string; keyBytes: number }> = new Map([
  ['HmacMD5', { digest: 'md5', keyBytes: 64 }],
  ['HmacSHA1', { digest: 'sha1', keyBytes: 64 }],
  ['HmacSHA224', { digest: 'sha224', keyBytes: 28 }],
  ['HmacSHA256', { digest: 'sha256', keyBytes: 32 }],
  ['HmacSHA384', { digest: 'sha384', keyBytes: 48 }],
  ['HmacSHA512', { digest: 'sha512', keyBytes: 64 }],
  ['HmacSHA512/224', { digest: 'sha512-224', keyBytes: 28 }],
  ['HmacSHA512/256', { digest: 'sha512-256', keyBytes: 32 }],
  ['HmacSHA3-224', { digest: 'sha3-224', keyBytes: 28 }],
  ['HmacSHA3-256', { digest: 'sha3-256', keyBytes: 32 }],
  ['HmacSHA3-384', { digest: 'sha3-384', keyBytes: 48 }],
  ['HmacSHA3-512', { digest: 'sha3-512', keyBytes: 64 }],
]);

/** Like Java's JCA lookup, names match in any case. */
function mac(algorithm: string): { name: string; digest: string; keyBytes: number } | undefined {
  for (const [name, spec] of MACS) if (name.toLowerCase() === algorithm.toLowerCase()) return { name, ...spec };
  return undefined;
}

const knownMac = custom(`one of ${[...MACS.keys()].join(', ')}`, (value) => {
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  for (const v of values) if (typeof v !== 'string' || mac(v) === undefined) return `\`${String(v)}\` is not a MAC algorithm Sluice knows`;
});

/** The `inter.worker.*` keys of a distributed worker, with Kafka's defaults; merge into the distributed worker spec. */
export const interWorkerKeyConfig = defineConfig({
  'inter.worker.key.generation.algorithm': { type: 'string', default: 'HmacSHA256', validate: knownMac, importance: 'low', doc: 'The algorithm of the session keys the leader generates for signing internal requests.' },
  'inter.worker.key.size': { type: 'int', default: null, importance: 'low', doc: 'The size in bits of those keys (at least 40); unset means the algorithm’s usual size, e.g. 256 for HmacSHA256.' },
  'inter.worker.key.ttl.ms': { type: 'int', default: 3_600_000, validate: between(0, 2_147_483_647), importance: 'low', doc: 'How long a session key lives before the leader replaces it.' },
  'inter.worker.signature.algorithm': { type: 'string', default: 'HmacSHA256', validate: knownMac, importance: 'low', doc: 'The MAC this worker signs internal requests with.' },
  'inter.worker.verification.algorithms': {
    type: 'list',
    default: 'HmacSHA256',
    validate: knownMac,
    importance: 'low',
    doc: 'The MACs this worker accepts on internal requests; must include inter.worker.signature.algorithm.',
  },
});

export type InterWorkerKeyConfig = ConfigOf<typeof interWorkerKeyConfig>;

/** A session key as the config topic's `session-key` record holds it (key in base64 there). */
export interface SessionKey {
  readonly key: Uint8Array;
  readonly algorithm: string;
  readonly creationTimestamp: number;
}

export type Verification = { readonly ok: true } | { readonly ok: false; readonly status: 400 | 403 | 503; readonly message: string };

/** How long past its TTL a session key is still accepted: time for the leader to write the next one and the workers to read it. */
export const DEFAULT_KEY_GRACE_MS = 5 * 60_000;

/**
 * Generates session keys, signs internal requests and verifies them, with a worker's
 * `inter.worker.*` settings.
 */
export class RequestSigner {
  readonly #config: InterWorkerKeyConfig;
  readonly #keyGraceMs: number;

  /**
   * @param keyGraceMs how long past `inter.worker.key.ttl.ms` a key is still accepted;
   *   `Infinity` accepts a key until it is replaced, as Kafka Connect does
   */
  constructor(config: InterWorkerKeyConfig, options: { keyGraceMs?: number } = {}) {
    const signing = config['inter.worker.signature.algorithm'];
    const verifying = config['inter.worker.verification.algorithms'];
    if (verifying.length === 0) throw configError('inter.worker.verification.algorithms', 'must name at least one algorithm');
    if (!verifying.includes(signing)) throw configError('inter.worker.signature.algorithm', `\`${signing}\` must be one of inter.worker.verification.algorithms (${verifying.join(', ')})`);
    const size = config['inter.worker.key.size'];
    if (size !== null && size < 40) throw configError('inter.worker.key.size', `must be at least 40 bits, got ${size}`);
    this.#config = config;
    this.#keyGraceMs = options.keyGraceMs ?? DEFAULT_KEY_GRACE_MS;
  }

  /** A new random session key, as the leader makes one when the last has lived `inter.worker.key.ttl.ms`. */
  generateKey(now: number = Date.now()): SessionKey {
    const algorithm = mac(this.#config['inter.worker.key.generation.algorithm'])!;
    const size = this.#config['inter.worker.key.size'];
    const bytes = size === null ? algorithm.keyBytes : Math.ceil(size / 8);
    return { key: randomBytes(bytes), algorithm: this.#config['inter.worker.key.generation.algorithm'], creationTimestamp: now };
  }

  /** Whether the leader should replace `key` now. */
  keyExpired(key: SessionKey, now: number = Date.now()): boolean {
    return now >= key.creationTimestamp + this.#config['inter.worker.key.ttl.ms'];
  }

  /** The headers that sign `body` (the exact bytes to be sent; empty for a request without one). */
  sign(key: SessionKey, body: Uint8Array | string): Record<string, string> {
    const algorithm = this.#config['inter.worker.signature.algorithm'];
    return { [SIGNATURE_HEADER]: hmac(algorithm, key, body).toString('base64'), [SIGNATURE_ALGORITHM_HEADER]: algorithm };
  }

  /**
   * Checks an internal request against the session key this worker holds. The answer says
   * which HTTP status to refuse with, as Kafka Connect refuses: 400 for a missing or malformed
   * signature or an algorithm this worker does not accept, 503 while no key has been read yet,
   * 403 for a wrong signature or an expired key.
   */
  verify(request: { body: Uint8Array | string; headers: Readonly<Record<string, string | readonly string[] | undefined>> }, key: SessionKey | null, now: number = Date.now()): Verification {
    const header = (name: string) => {
      const lower = name.toLowerCase();
      const found = Object.entries(request.headers).find(([k]) => k.toLowerCase() === lower)?.[1];
      return Array.isArray(found) ? (found[0] as string | undefined) : (found as string | undefined);
    };
    const algorithm = header(SIGNATURE_ALGORITHM_HEADER);
    const signature = header(SIGNATURE_HEADER);
    if (algorithm === undefined || signature === undefined) return { ok: false, status: 400, message: `Internal request missing required signature (${SIGNATURE_HEADER} and ${SIGNATURE_ALGORITHM_HEADER})` };
    if (mac(algorithm) === undefined) return { ok: false, status: 400, message: `internal request signed with \`${algorithm}\`, which is not a MAC algorithm` };
    if (!this.#config['inter.worker.verification.algorithms'].includes(algorithm)) {
      return {
        ok: false,
        status: 400,
        message: `internal request signed with ${algorithm}, which this worker does not accept (inter.worker.verification.algorithms=${this.#config['inter.worker.verification.algorithms'].join(',')}); give every worker the same set of algorithms`,
      };
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(signature)) return { ok: false, status: 400, message: `${SIGNATURE_HEADER} is not base64` };
    if (key === null) return { ok: false, status: 503, message: 'this worker has not read a session key from the config topic yet' };
    if (now > key.creationTimestamp + this.#config['inter.worker.key.ttl.ms'] + this.#keyGraceMs) {
      return { ok: false, status: 403, message: 'internal request checked against an expired session key; the leader has not replaced it' };
    }
    const expected = hmac(algorithm, key, request.body);
    const given = Buffer.from(signature, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 403, message: 'internal request has an invalid signature' };
    return { ok: true };
  }
}

function hmac(algorithm: string, key: SessionKey, body: Uint8Array | string): Buffer {
  const spec = mac(algorithm);
  if (spec === undefined) throw configError('inter.worker.signature.algorithm', `\`${algorithm}\` is not a MAC algorithm Sluice knows`);
  return createHmac(spec.digest, key.key).update(body).digest();
}
