import { readFile } from 'node:fs/promises';
import { configError } from '@sluice/core';
import { parseProperties } from '../config/properties.ts';

function stringValues(source: string, map: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => {
      if (value !== null && typeof value === 'object') throw configError(key, `in ${source}: expected a string, number or boolean value`);
      return [key, String(value)];
    }),
  );
}

/**
 * Reads a worker or connector file as Kafka Connect's standalone mode does: `.properties`, or
 * JSON — either a flat map of keys, or `{"name": …, "config": {…}}` as `POST /connectors` takes.
 */
export async function readConfigFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!path.endsWith('.json')) return Object.fromEntries(parseProperties(text));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${path}: expected a JSON object of connector configs`);
  const body = json as { name?: unknown; config?: unknown };
  if (typeof body.config === 'object' && body.config !== null) {
    const config = stringValues(path, body.config as Record<string, unknown>);
    if (typeof body.name === 'string') {
      if (config.name !== undefined && config.name !== body.name) throw configError('name', `in ${path}: \`${config.name}\` differs from the request's name \`${body.name}\``);
      config.name = body.name;
    }
    return config;
  }
  return stringValues(path, json as Record<string, unknown>);
}
