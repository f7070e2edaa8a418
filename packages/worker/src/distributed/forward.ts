import { internalError, notFoundError } from '@sluice/core';
import type { SluiceError } from '@sluice/core';
import { herderError } from '../herder/errors.ts';

/** The answer of a request forwarded to the leader: its status and JSON body. */
export interface Forwarded<T> {
  readonly status: number;
  readonly body: T;
}

/**
 * Sends a REST write that reached a follower on to the group's leader, which alone writes the
 * config topic (Kafka Connect's `?forward=` requests); the leader's error answers come back as
 * the same HTTP status and message.
 */
export async function forwardToLeader<T>(leaderUrl: string, method: string, path: string, body?: unknown): Promise<Forwarded<T>> {
  const url = `${leaderUrl.replace(/\/$/, '')}${path}${path.includes('?') ? '&' : '?'}forward=false`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(90_000),
    });
  } catch (error) {
    throw herderError(409, `Cannot complete request because the leader at ${leaderUrl} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (response.status >= 400) {
    const message = (parsed as { message?: unknown } | undefined)?.message;
    throw leaderError(response.status, typeof message === 'string' ? message : `the leader answered ${response.status}`);
  }
  return { status: response.status, body: parsed as T };
}

/** The leader's error answer as the error this worker answers with, so the client sees the same status. */
function leaderError(status: number, message: string): SluiceError {
  if (status === 404) return notFoundError(message);
  if (status === 400 || status === 403 || status === 409) return herderError(status, message);
  return internalError(`the leader failed: ${message}`);
}
