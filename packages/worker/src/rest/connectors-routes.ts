import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest, preParsingAsyncHookHandler } from 'fastify';
import type { ConnectorOffset, Herder, TargetState } from '../herder/herder.ts';
import { badRequest, booleanParam, listParam, stringMap, taskId } from './request.ts';

type Named = { Params: { connector: string } };
type Task = { Params: { connector: string; task: string } };

const INITIAL_STATES: Readonly<Record<string, TargetState>> = { RUNNING: 'STARTED', PAUSED: 'PAUSED', STOPPED: 'STOPPED' };

/** Where a created connector lives, as the `Location` Kafka Connect answers 201 with. */
function location(request: FastifyRequest, name: string): string {
  return `${request.protocol}://${request.host}/connectors/${encodeURIComponent(name)}`;
}

/** A connector config whose `name`, when given, must be the URL's; it is added when missing, as Kafka does. */
function namedConfig(name: string, body: unknown, what: string): Record<string, string> {
  const config = stringMap(body, what);
  if (config.name !== undefined && config.name !== name) {
    throw badRequest(`Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`);
  }
  return { ...config, name };
}

/** `POST /connectors`' body: `{name, config, initial_state}` (KIP-980). */
function createRequest(body: unknown): { name: string; config: Record<string, string>; initialState: TargetState } {
  if (typeof body !== 'object' || body === null) throw badRequest('the request body must be a JSON object {"name", "config", "initial_state"}');
  const { name, config, initial_state: initial } = body as { name?: unknown; config?: unknown; initial_state?: unknown };
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '') throw badRequest('Connector name must not be empty');
  let initialState: TargetState = 'STARTED';
  if (initial !== undefined && initial !== null) {
    const state = typeof initial === 'string' ? INITIAL_STATES[initial.toUpperCase()] : undefined;
    if (!state) throw badRequest(`initial_state must be one of RUNNING, PAUSED or STOPPED, got ${JSON.stringify(initial)}`);
    initialState = state;
  }
  return { name: trimmed, config: namedConfig(trimmed, config ?? {}, 'config'), initialState };
}

/** `PATCH …/offsets`' body: `{"offsets":[{"partition":{…},"offset":{…}|null}]}`, at least one. */
function offsetsRequest(body: unknown): ConnectorOffset[] {
  const offsets = (body as { offsets?: unknown } | null)?.offsets;
  if (!Array.isArray(offsets) || offsets.length === 0) throw badRequest('Partitions / offsets need to be provided for an alter offsets request');
  return offsets.map((entry: unknown) => {
    const { partition, offset } = (entry ?? {}) as { partition?: unknown; offset?: unknown };
    const isMap = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
    if (!isMap(partition)) throw badRequest('every entry of offsets needs a partition object');
    if (offset !== null && offset !== undefined && !isMap(offset)) throw badRequest('an offset must be an object or null');
    return { partition: partition as Record<string, unknown>, offset: (offset ?? null) as Record<string, unknown> | null };
  });
}

/** The raw body bytes of internal requests, kept by {@link keepRawBody} before the JSON parser reads them. */
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/**
 * A signed internal request's signature covers the body bytes exactly as sent (KIP-507), so
 * they are kept before the JSON parser turns them into objects, which cannot give them back.
 */
const keepRawBody: preParsingAsyncHookHandler = async (request, _reply, payload) => {
  // Read before any credentials are checked, so held to the route's body limit as the parser would hold it.
  const limit = request.routeOptions.bodyLimit ?? 1024 * 1024;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > limit) throw Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    chunks.push(bytes);
  }
  const raw = Buffer.concat(chunks);
  rawBodies.set(request, raw);
  return Readable.from([raw]);
};

/** Kafka Connect's `/connectors` resource: thin wrappers over the {@link Herder}. */
export function connectorsRoutes(app: FastifyInstance, herder: Herder): void {
  app.get<{ Querystring: { expand?: string | string[] } }>('/connectors', async (request) => {
    const expand = listParam(request.query.expand);
    const names = await herder.connectors();
    if (expand.length === 0) return names;
    const out: Record<string, Record<string, unknown>> = {};
    for (const name of names) {
      try {
        const expansions: Record<string, unknown> = {};
        if (expand.includes('status')) expansions.status = await herder.connectorStatus(name);
        if (expand.includes('info')) expansions.info = await herder.connectorInfo(name);
        out[name] = expansions;
      } catch {
        // deleted while being listed: left out, as Kafka Connect leaves it out
      }
    }
    return out;
  });
  app.post('/connectors', async (request, reply) => {
    const { name, config, initialState } = createRequest(request.body);
    const { result } = await herder.putConnectorConfig(name, config, { allowReplace: false, initialState });
    return reply.status(201).header('location', location(request, name)).send(result);
  });
  app.get<Named>('/connectors/:connector', (request) => herder.connectorInfo(request.params.connector));
  app.delete<Named>('/connectors/:connector', async (request, reply) => {
    await herder.deleteConnector(request.params.connector);
    return reply.status(204).send();
  });

  app.get<Named>('/connectors/:connector/config', (request) => herder.connectorConfig(request.params.connector));
  app.put<Named>('/connectors/:connector/config', async (request, reply) => {
    const name = request.params.connector;
    const { created, result } = await herder.putConnectorConfig(name, namedConfig(name, request.body, 'the connector config'), { allowReplace: true });
    if (created) void reply.status(201).header('location', location(request, name));
    return reply.send(result);
  });
  app.patch<Named>('/connectors/:connector/config', (request) =>
    herder.patchConnectorConfig(request.params.connector, stringMap(request.body, 'the config patch', true)),
  );

  app.get<Named>('/connectors/:connector/status', (request) => herder.connectorStatus(request.params.connector));
  app.post<Named & { Querystring: { includeTasks?: string; onlyFailed?: string } }>('/connectors/:connector/restart', async (request, reply) => {
    const includeTasks = booleanParam(request.query.includeTasks, 'includeTasks', false);
    const onlyFailed = booleanParam(request.query.onlyFailed, 'onlyFailed', false);
    if (!includeTasks && !onlyFailed) {
      await herder.restartConnector(request.params.connector);
      return reply.status(204).send();
    }
    return reply.status(202).send(await herder.restartConnectorAndTasks(request.params.connector, { includeTasks, onlyFailed }));
  });
  app.put<Named>('/connectors/:connector/pause', async (request, reply) => {
    await herder.pauseConnector(request.params.connector);
    return reply.status(202).send();
  });
  app.put<Named>('/connectors/:connector/resume', async (request, reply) => {
    await herder.resumeConnector(request.params.connector);
    return reply.status(202).send();
  });
  app.put<Named>('/connectors/:connector/stop', async (request, reply) => {
    await herder.stopConnector(request.params.connector);
    return reply.status(204).send();
  });

  app.get<Named>('/connectors/:connector/tasks', (request) => herder.taskConfigs(request.params.connector));
  // Internal, between workers of a cluster: a connector's task configs published through the
  // leader, signed; basic auth lets it through for the herder to check the signature.
  app.post<Named>('/connectors/:connector/tasks', { preParsing: keepRawBody }, async (request, reply) => {
    if (!herder.putTaskConfigs) throw badRequest('this worker takes no task configs from other workers (it is not in a cluster)');
    if (!Array.isArray(request.body)) throw badRequest('the request body must be a JSON array of task configs');
    const configs = request.body.map((config, i) => stringMap(config, `task config ${i}`));
    await herder.putTaskConfigs(request.params.connector, configs, { body: rawBodies.get(request) ?? Buffer.alloc(0), headers: request.headers });
    return reply.status(204).send();
  });
  app.get<Named>('/connectors/:connector/tasks-config', (request) => herder.tasksConfig(request.params.connector));
  app.get<Task>('/connectors/:connector/tasks/:task/status', (request) =>
    herder.taskStatus(request.params.connector, taskId(request.params.connector, request.params.task)),
  );
  app.post<Task>('/connectors/:connector/tasks/:task/restart', async (request, reply) => {
    await herder.restartTask(request.params.connector, taskId(request.params.connector, request.params.task));
    return reply.status(204).send();
  });

  app.get<Named>('/connectors/:connector/topics', async (request) => {
    const name = request.params.connector;
    return { [name]: { topics: await herder.connectorActiveTopics(name) } };
  });
  app.put<Named>('/connectors/:connector/topics/reset', async (request, reply) => {
    await herder.resetConnectorActiveTopics(request.params.connector);
    return reply.status(202).send();
  });

  app.get<Named>('/connectors/:connector/offsets', (request) => herder.connectorOffsets(request.params.connector));
  app.patch<Named>('/connectors/:connector/offsets', (request) => herder.alterConnectorOffsets(request.params.connector, offsetsRequest(request.body)));
  app.delete<Named>('/connectors/:connector/offsets', (request) => herder.resetConnectorOffsets(request.params.connector));
}
