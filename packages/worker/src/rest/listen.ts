import type { FastifyInstance } from 'fastify';
import type { Listener } from './server.ts';
import type { TlsSettings } from './tls.ts';

/** The REST servers of a worker, one per `listeners` entry. */
export interface RestListeners {
  /** Where each listener answers, in the order of `listeners`, e.g. `https://127.0.0.1:8443`. */
  readonly urls: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts one server per listener, each from `app` (https listeners get `tls`). If one cannot
 * listen, those already started are closed before the error is thrown.
 */
export async function listenAll(listeners: readonly Listener[], tls: TlsSettings | undefined, app: (https: TlsSettings | undefined) => FastifyInstance): Promise<RestListeners> {
  const started: FastifyInstance[] = [];
  const urls: string[] = [];
  const close = async () => {
    await Promise.all(started.map((server) => server.close()));
  };
  try {
    for (const listener of listeners) {
      if (listener.protocol === 'https' && tls === undefined) throw new Error('an https listener needs TLS settings');
      const server = app(listener.protocol === 'https' ? tls : undefined);
      started.push(server);
      await server.listen({ host: listener.host, port: listener.port });
      const { port } = server.server.address() as { port: number };
      const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
      urls.push(`${listener.protocol}://${host}:${port}`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { urls, close };
}
