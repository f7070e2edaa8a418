import { createHmac, randomBytes, scrypt, timingSafeEqual, createHash } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { configError } from '@sluice/core';
import type { FastifyInstance } from 'fastify';
import { parseProperties } from '../config/properties.ts';

/**
 * One user's password as the users file holds it: the plain text (what Kafka's
 * PropertyFileLoginModule reads, the whole value after the separator) or an scrypt hash.
 */
export type Credential = { readonly kind: 'plain'; readonly password: Buffer } | ({ readonly kind: 'scrypt' } & ScryptHash);

export interface ScryptHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** What `sluice users hash` writes: N = 2^15, r = 8, p = 1, 16 bytes of salt, 32 of hash. */
const DEFAULT_SCRYPT = { N: 2 ** 15, r: 8, p: 1, saltBytes: 16, hashBytes: 32 } as const;
/** Bounds on what a users file may ask of scrypt, so a typo cannot make every request take a gigabyte. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

/** The answer Kafka's basic auth filter gives, as Kafka's JSON error body. */
export const UNAUTHORIZED_MESSAGE = 'User cannot access the resource.';

/**
 * `scrypt$N$r$p$salt$hash` with salt and hash in base64, e.g.
 * `scrypt$32768$8$1$q1Y…==$Jb0…=`: Node's built-in `crypto.scrypt`, nothing to install.
 */
export async function hashPassword(password: string, options: { N?: number; r?: number; p?: number } = {}): Promise<string> {
  const params = { N: options.N ?? DEFAULT_SCRYPT.N, r: options.r ?? DEFAULT_SCRYPT.r, p: options.p ?? DEFAULT_SCRYPT.p };
  const salt = randomBytes(DEFAULT_SCRYPT.saltBytes);
  const hash = await scryptHash(Buffer.from(password, 'utf8'), { ...params, salt, hash: Buffer.alloc(DEFAULT_SCRYPT.hashBytes) });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function scryptHash(password: Buffer, params: ScryptHash): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 2 * 128 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password, params.salt, params.hash.length, options, (error, key) => (error ? reject(error) : resolve(key))));
}

function parseScrypt(value: string): ScryptHash | string {
  const parts = value.split('$');
  if (parts.length !== 6) return 'an scrypt password must read scrypt$N$r$p$salt$hash';
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const [N, R, P] = [n, r, p].map((part) => (/^\d+$/.test(part) ? Number(part) : NaN)) as [number, number, number];
  if (!(N > 1 && (N & (N - 1)) === 0)) return `scrypt N must be a power of 2 above 1, got ${n}`;
  if (!(R >= 1 && P >= 1 && P <= 16)) return `scrypt r must be at least 1 and p between 1 and 16, got r=${r} p=${p}`;
  if (128 * N * R > MAX_SCRYPT_MEMORY) return `scrypt N=${N}, r=${R} needs more than ${MAX_SCRYPT_MEMORY / 1024 / 1024} MiB per check`;
  const base64 = /^[A-Za-z0-9+/]+={0,2}$/;
  if (!base64.test(salt) || !base64.test(hash)) return 'scrypt salt and hash must be base64';
  const hashBytes = Buffer.from(hash, 'base64');
  if (hashBytes.length < 16) return 'an scrypt hash must be at least 16 bytes';
  return { N, r: R, p: P, salt: Buffer.from(salt, 'base64'), hash: hashBytes };
}

/** `Authorization: Basic base64(user:password)` as Kafka's filter reads it; anything else is no credentials. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  if (space <= 0 || header.slice(0, space).toLowerCase() !== 'basic') return undefined;
  const encoded = header.slice(space + 1).trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Checks basic-auth credentials against a users file, in time that does not depend on how much
 * of a password was right or whether the user exists. Passwords are never logged or kept in
 * error messages.
 */
export class BasicAuthenticator {
  readonly #users: ReadonlyMap<string, Credential>;
  /** Recently accepted credentials, so a client polling the API does not pay scrypt on every call. */
  readonly #accepted = new Map<string, string>();
  readonly #cacheKey = randomBytes(32);
  readonly #decoy: Credential;

  constructor(users: ReadonlyMap<string, Credential>) {
    this.#users = users;
    const hashed = [...users.values()].find((c) => c.kind === 'scrypt');
    this.#decoy = hashed ?? { kind: 'plain', password: randomBytes(32) };
  }

  /**
   * Reads a users file: a `.properties` file of `user=password` (or `user: password`) lines, as
   * Kafka's PropertyFileLoginModule reads it. A password may instead be `scrypt$N$r$p$salt$hash`.
   *
   * @param key the config key that named the file, for error messages
   */
  static async fromFile(path: string, key: string): Promise<BasicAuthenticator> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw configError(key, `cannot read the users file ${path}: ${(error as Error).message}`, { cause: error });
    }
    let entries: Map<string, string>;
    try {
      entries = parseProperties(text);
    } catch (error) {
      throw configError(key, `users file ${path}: ${(error as Error).message}`, { cause: error });
    }
    // Kafka lets every request through when the file is empty; an empty file is far more likely a mistake.
    if (entries.size === 0) throw configError(key, `the users file ${path} has no users; basic auth would refuse everyone`);
    const users = new Map<string, Credential>();
    for (const [user, value] of entries) {
      if (value.startsWith('scrypt$')) {
        const parsed = parseScrypt(value);
        if (typeof parsed === 'string') throw configError(key, `users file ${path}, user \`${user}\`: ${parsed}`);
        users.set(user, { kind: 'scrypt', ...parsed });
      } else {
        users.set(user, { kind: 'plain', password: Buffer.from(value, 'utf8') });
      }
    }
    return new BasicAuthenticator(users);
  }

  /** Every plain-text password of the file, for the worker's secret scrubber. */
  plainPasswords(): string[] {
    return [...this.#users.values()].flatMap((c) => (c.kind === 'plain' ? [c.password.toString('utf8')] : []));
  }

  /** The user an `Authorization` header proves, or undefined. */
  async authenticate(header: string | undefined): Promise<string | undefined> {
    const credentials = basicCredentials(header);
    if (credentials === undefined) return undefined;
    const known = this.#users.get(credentials.user);
    const cacheKey = createHmac('sha256', this.#cacheKey).update(credentials.user).update('\0').update(credentials.password).digest('base64');
    if (known !== undefined && this.#accepted.get(cacheKey) === credentials.user) return credentials.user;
    // An unknown user costs the same work as a known one.
    const ok = await matches(known ?? this.#decoy, Buffer.from(credentials.password, 'utf8'));
    if (!ok || known === undefined) return undefined;
    this.#accepted.set(cacheKey, credentials.user);
    if (this.#accepted.size > 256) this.#accepted.delete(this.#accepted.keys().next().value!);
    return credentials.user;
  }
}

async function matches(credential: Credential, given: Buffer): Promise<boolean> {
  if (credential.kind === 'plain') {
    // Equal-length digests, so the comparison neither leaks the length nor stops at the first difference.
    const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest();
    return timingSafeEqual(digest(credential.password), digest(given));
  }
  return timingSafeEqual(await scryptHash(given, credential), credential.hash);
}

/**
 * Kafka's internal worker-to-worker endpoints, which its basic auth filter lets through because
 * they carry a request signature instead (see request-signing.ts): the routes that serve them
 * must verify that signature.
 */
const INTERNAL_REQUESTS: readonly { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/connectors\/[^/]+\/tasks\/?$/ },
  { method: 'PUT', path: /^\/connectors\/[^/]+\/fence\/?$/ },
];

export function isInternalRequest(method: string, url: string): boolean {
  const path = url.split('?', 1)[0]!;
  return INTERNAL_REQUESTS.some((internal) => internal.method === method && internal.path.test(path));
}

/**
 * Answers every request without valid credentials with 401, `WWW-Authenticate: Basic` and
 * Kafka's error body. CORS preflights are answered before this hook runs (browsers send them
 * without credentials).
 */
export function requireBasicAuth(app: FastifyInstance, authenticator: BasicAuthenticator, realm = 'Sluice'): void {
  app.addHook('onRequest', async (request, reply) => {
    if (isInternalRequest(request.method, request.url)) return;
    if ((await authenticator.authenticate(request.headers.authorization)) !== undefined) return;
    return reply
      .code(401)
      .header('www-authenticate', `Basic realm="${realm}", charset="UTF-8"`)
      .send({ error_code: 401, message: UNAUTHORIZED_MESSAGE });
  });
}
