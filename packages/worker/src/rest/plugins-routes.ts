import type { FastifyInstance } from 'fastify';
import type { Herder } from '../herder/herder.ts';
import { booleanParam, stringMap } from './request.ts';

type Plugin = { Params: { plugin: string } };

/** Kafka Connect's `/connector-plugins` resource: thin wrappers over the {@link Herder}. */
export function pluginsRoutes(app: FastifyInstance, herder: Herder): void {
  app.get<{ Querystring: { connectorsOnly?: string } }>('/connector-plugins', (request) =>
    herder.plugins(booleanParam(request.query.connectorsOnly, 'connectorsOnly', true)),
  );
  app.get<Plugin>('/connector-plugins/:plugin/config', (request) => herder.pluginConfig(request.params.plugin));
  app.put<Plugin>('/connector-plugins/:plugin/config/validate', (request) =>
    herder.validateConnectorConfig(request.params.plugin, stringMap(request.body, 'the connector config')),
  );
}
