import { configError, errorCodeOf } from '@sluice/core';
import type { ErrorCode } from '@sluice/core';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import { herderStatusOf } from '../herder/errors.ts';
import { rememberCallers } from './caller.ts';
import type { Herder } from '../herder/herder.ts';
import { connectorsRoutes } from './connectors-routes.ts';
import { loggersRoutes } from './loggers-routes.ts';
import { pluginsRoutes } from './plugins-routes.ts';
import { applyRestSecurity } from './security.ts';
import type { RestSecurity } from './security.ts';
import { parseJson, stringifyJson } from '../storage/json.ts';
import { httpsServer } from './tls.ts';
import type { TlsSettings } from './tls.ts';

const STATUS_OF: Partial<Record<ErrorCode, number>> = { NOT_FOUND: 404, ALREADY_EXISTS: 409, CONFIG: 400, DATA: 400, ILLEGAL_STATE: 409 };
const HEALTH_STATUS = { healthy: 200, starting: 503, unhealthy: 500 } as const;

export interface RestOptions {
  readonly version: string;
  readonly commit: string;
  readonly kafkaClusterId: string;
  /** Hides known secrets in every response body, error messages included: the last guard after the herder's masking. */
  readonly scrub?: (text: string) => string;
  /** Serve https with these (an `https://` listener); plain http without. */
  readonly https?: TlsSettings;
  /** CORS and basic auth, checked before every route. */
  readonly security?: RestSecurity;
}

/**
 * Kafka Connect's REST API over a herder: same paths, JSON shapes and error body
 * (`{"error_code","message"}`). Handlers parse, call the herder, map errors — nothing else.
 */
export function restServer(herder: Herder, options: RestOptions): FastifyInstance {
  const tls = options.https;
  const serverFactory: FastifyServerFactory | undefined = tls ? (handler) => httpsServer(tls, handler) : undefined;
  const app = Fastify(serverFactory ? { logger: false, serverFactory } : { logger: false });
  if (options.security) applyRestSecurity(app, options.security);
  const scrub = options.scrub;
  rememberCallers(app);
  // offsets may hold 64-bit integers (a JDBC source's ids): written as plain JSON numbers, read back exactly
  app.setReplySerializer((payload) => stringifyJson(payload));
  if (scrub) app.addHook('onSend', (_request, _reply, payload) => Promise.resolve(typeof payload === 'string' ? scrub(payload) : payload));
  app.setErrorHandler((error: unknown, _request, reply) => {
    const { statusCode, message } = error as { statusCode?: number; message?: string };
    const status = herderStatusOf(error) ?? STATUS_OF[errorCodeOf(error) ?? 'INTERNAL'] ?? (statusCode !== undefined && statusCode < 500 ? statusCode : 500);
    void reply.status(status).send({ error_code: status, message: message ?? String(error) });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error_code: 404, message: `HTTP 404 Not Found: ${request.method} ${request.url}` });
  });
  // Kafka Connect takes a PUT or POST without a body (pause, restart …) whatever its Content-Type.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? undefined : parseJson(body as string));
    } catch {
      done(Object.assign(new Error('Request body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.get('/', () => ({ version: options.version, commit: options.commit, kafka_cluster_id: options.kafkaClusterId }));
  app.get('/health', async (_request, reply) => {
    const health = await herder.health();
    return reply.status(HEALTH_STATUS[health.status]).send(health);
  });
  connectorsRoutes(app, herder);
  pluginsRoutes(app, herder);
  loggersRoutes(app, herder);
  return app;
}

/** One entry of Kafka Connect's `listeners`. */
export interface Listener {
  readonly protocol: 'http' | 'https';
  readonly host: string;
  readonly port: number;
}

/** Kafka Connect's `listeners` entry `http://host:port` or `https://host:port` (any case); an empty host listens on every interface. */
export function parseListener(listener: string): Listener {
  const match = /^(https?):\/\/(\[[^\]]*\]|[^:/]*):(\d+)\/?$/i.exec(listener.trim());
  if (!match) throw configError('listeners', `\`${listener}\` is not of the form http://host:port or https://host:port`);
  const protocol = match[1]!.toLowerCase() as Listener['protocol'];
  return { protocol, host: match[2] === '' ? '0.0.0.0' : match[2]!.replace(/^\[|\]$/g, ''), port: Number(match[3]) };
}
