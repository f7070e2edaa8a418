import type { FastifyInstance } from 'fastify';

/** Cross-origin access to the REST API, from Kafka's `access.control.allow.origin` and `access.control.allow.methods`. */
export interface CorsPolicy {
  readonly origins: readonly string[];
  readonly methods: readonly string[];
}

/** Jetty's CrossOriginFilter defaults, which Kafka Connect keeps, plus `Authorization` for basic auth from a browser. */
const DEFAULT_METHODS = ['GET', 'POST', 'HEAD'];
const ALLOWED_HEADERS = ['X-Requested-With', 'Content-Type', 'Accept', 'Origin', 'Authorization'];
const MAX_AGE_SECONDS = '1800';

/** The policy of the two keys, or undefined when `access.control.allow.origin` is empty (same origin only, as in Kafka). */
export function corsPolicy(allowOrigin: string, allowMethods: string): CorsPolicy | undefined {
  const split = (text: string) =>
    text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  const origins = split(allowOrigin);
  if (origins.length === 0) return undefined;
  const methods = split(allowMethods).map((m) => m.toUpperCase());
  return { origins, methods: methods.length > 0 ? methods : DEFAULT_METHODS };
}

/** `*` allows any origin; inside an entry (`https://*.example.com`) it matches any text, as in Jetty. */
function originAllowed(policy: CorsPolicy, origin: string): boolean {
  return policy.origins.some((allowed) => {
    if (allowed === '*') return true;
    if (!allowed.includes('*')) return allowed === origin;
    const pattern = allowed.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${pattern.join('.*')}$`).test(origin);
  });
}

/**
 * Adds CORS headers for allowed origins and answers their preflights with 204, before any other
 * hook: a browser sends a preflight without credentials, so it must not meet basic auth. A
 * request from an origin (or a preflight for a method or header) that is not allowed gets no
 * CORS headers, and the browser keeps the answer from the page.
 */
export function allowCors(app: FastifyInstance, policy: CorsPolicy): void {
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    void reply.header('vary', 'Origin');
    if (!originAllowed(policy, origin)) return;
    const requestedMethod = request.headers['access-control-request-method'];
    if (request.method !== 'OPTIONS' || typeof requestedMethod !== 'string') {
      void reply.header('access-control-allow-origin', origin).header('access-control-allow-credentials', 'true');
      return;
    }
    if (!policy.methods.includes(requestedMethod.toUpperCase())) return;
    const requestedHeaders = (request.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== '');
    const allowedHeaders = new Set(ALLOWED_HEADERS.map((h) => h.toLowerCase()));
    if (!requestedHeaders.every((h) => allowedHeaders.has(h))) return;
    return reply
      .code(204)
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-credentials', 'true')
      .header('access-control-allow-methods', policy.methods.join(','))
      .header('access-control-allow-headers', ALLOWED_HEADERS.join(','))
      .header('access-control-max-age', MAX_AGE_SECONDS)
      .send();
  });
}
