import { notFoundError } from '@sluice/core';
import type { FastifyInstance } from 'fastify';
import type { Herder } from '../herder/herder.ts';
import { parseLevel } from '../log-levels.ts';
import { badRequest } from './request.ts';

type Logger = { Params: { logger: string } };

/**
 * Kafka Connect's `/admin/loggers` resource (KIP-495, KIP-976). `scope=cluster` answers 204 and
 * applies to every worker of the cluster — on a standalone worker, this one; any other scope
 * is taken as `worker`, as Kafka Connect takes it.
 */
export function loggersRoutes(app: FastifyInstance, herder: Herder): void {
  app.get('/admin/loggers', () => herder.loggerLevels());
  app.get<Logger>('/admin/loggers/:logger', async (request) => {
    const level = await herder.loggerLevel(request.params.logger);
    if (!level) throw notFoundError(`Logger ${request.params.logger} not found.`);
    return level;
  });
  app.put<Logger & { Querystring: { scope?: string } }>('/admin/loggers/:logger', async (request, reply) => {
    const given = (request.body as { level?: unknown } | null)?.level;
    if (given === undefined || given === null) throw badRequest("Desired 'level' parameter was not specified in request.");
    const text = typeof given === 'string' ? given : JSON.stringify(given);
    const level = parseLevel(text);
    if (!level) throw notFoundError(`invalid log level '${text}'.`);
    if ((request.query.scope ?? 'worker').toLowerCase() === 'cluster') {
      await herder.setClusterLoggerLevel(request.params.logger, level);
      return reply.status(204).send();
    }
    return herder.setWorkerLoggerLevel(request.params.logger, level);
  });
}
