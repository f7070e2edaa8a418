import { SluiceError } from '@sluice/core';

/** The HTTP answers Kafka Connect gives for herder refusals that no core error code names. */
export type HerderStatus = 400 | 401 | 403 | 409 | 503;

/**
 * A refusal with the HTTP status Kafka Connect's herder answers it with, as its
 * `BadRequestException` and `ConnectRestException` do: a connector that must be STOPPED first
 * (400), a feature switched off by the worker config or a badly signed internal request (403),
 * a conflicting operation (409), a worker not ready for an internal request yet (503).
 * The code is `ILLEGAL_STATE`: the request is valid, the worker's state refuses it.
 */
export function herderError(status: HerderStatus, message: string): SluiceError {
  return new SluiceError('ILLEGAL_STATE', message, { context: { status } });
}

/** The status a {@link herderError} asks for, if `error` is one. */
export function herderStatusOf(error: unknown): HerderStatus | undefined {
  const status = (error as { context?: { status?: unknown } } | null)?.context?.status;
  return status === 400 || status === 401 || status === 403 || status === 409 || status === 503 ? status : undefined;
}
