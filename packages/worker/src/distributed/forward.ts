import { internalError, notFoundError } from '@sluice/core';
import type { SluiceError } from '@sluice/core';
import { herderError } from '../herder/errors.ts';
import { callerAuthorization } from '../rest/caller.ts';

/** The answer of a request forwarded to the leader: its status and JSON body. */
export interface Forwarded<T> {
  readonly status: number;
  readonly body: T;
}

export interface ForwardOptions {
  /**
   * Signs an internal request: the headers for the exact body bytes sent (empty for a request
   * without a body), as Kafka Connect's `InternalRequestSignature.addToRequest`.
   */
  readonly sign?: (body: Uint8Array) => Readonly<Record<string, string>>;
}

/**
 * Sends a REST write that reached a follower on to the group's leader, which alone writes the
 * config topic (Kafka Connect's `?forward=` requests); the leader's error answers come back as
 * the same HTTP status and message.
 */
export async function forwardToLeader<T>(leaderUrl: string, method: string, path: string, body?: unknown, options: ForwardOptions = {}): Promise<Forwarded<T>> {
  const url = `${leaderUrl.replace(/\/$/, '')}${path}${path.includes('?') ? '&' : '?'}forward=false`;
  // The bytes are fixed here so that a signature covers exactly what goes on the wire.
  const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  const signature = options.sign?.(bytes ?? new Uint8Array()) ?? {};
  // The caller's credentials go along, so a leader with basic auth accepts what the follower accepted.
  const authorization = callerAuthorization();
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { ...(bytes === undefined ? {} : { 'content-type': 'application/json' }), ...(authorization ? { authorization } : {}), ...signature },
      ...(bytes === undefined ? {} : { body: bytes }),
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
  if (status === 400 || status === 401 || status === 403 || status === 409 || status === 503) return herderError(status, message);
  return internalError(`the leader failed: ${message}`);
}
