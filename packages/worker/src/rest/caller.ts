import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/** Who made the REST request being handled: what a follower passes on when it forwards it. */
interface Caller {
  readonly authorization: string | undefined;
}

const current = new AsyncLocalStorage<Caller>();

/** Keeps each request's `Authorization` header for the work it starts (Kafka Connect forwards it to the leader). */
export function rememberCallers(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    current.run({ authorization: request.headers.authorization }, done);
  });
}

/** The `Authorization` header of the REST request this code runs for, if any. */
export function callerAuthorization(): string | undefined {
  return current.getStore()?.authorization;
}
