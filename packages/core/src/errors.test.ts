import { describe, expect, it } from 'vitest';
import {
  SLUICE_ERROR_BRAND,
  SluiceError,
  configError,
  dataError,
  errorCodeOf,
  hasErrorCode,
  isRetriable,
  isSluiceError,
  retriableError,
  timeoutError,
} from './errors.ts';
import { assertErrorCode, assertRejectsWithCode } from './testing.ts';

describe('errors', () => {
  it('carries code, cause and context', () => {
    const cause = new Error('socket closed');
    const e = retriableError('write to table `orders` failed', { cause, context: { table: 'orders' } });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('RETRIABLE');
    expect(e.cause).toBe(cause);
    expect(e.context).toEqual({ table: 'orders' });
    expect(e.name).toBe('SluiceError');
    expect(isRetriable(e)).toBe(true);
    expect(isRetriable(timeoutError('slow'))).toBe(true);
    expect(isRetriable(dataError('bad'))).toBe(false);
  });

  it('configError names the key in the message and the context', () => {
    const e = configError('batch.size', 'must be at least 1, got `0`');
    expect(e.message).toBe('config key `batch.size`: must be at least 1, got `0`');
    expect(e.context['key']).toBe('batch.size');
    expect(hasErrorCode(e, 'CONFIG')).toBe(true);
    expect(hasErrorCode(e, 'DATA')).toBe(false);
  });

  it('recognises errors from a duplicated copy of the package by brand, not class', () => {
    const foreign = Object.assign(new Error('from another copy'), {
      code: 'NOT_FOUND',
      [Symbol.for('@sluice/core/SluiceError')]: true,
    });
    expect(foreign instanceof SluiceError).toBe(false);
    expect(isSluiceError(foreign)).toBe(true);
    expect(hasErrorCode(foreign, 'NOT_FOUND')).toBe(true);
    expect(errorCodeOf(foreign)).toBe('NOT_FOUND');
    expect(Symbol.for('@sluice/core/SluiceError')).toBe(SLUICE_ERROR_BRAND);
  });

  it('rejects look-alikes without the brand or with an unknown code', () => {
    expect(isSluiceError(Object.assign(new Error('x'), { code: 'CONFIG' }))).toBe(false);
    expect(isSluiceError({ code: 'NOPE', [SLUICE_ERROR_BRAND]: true })).toBe(false);
    expect(isSluiceError(null)).toBe(false);
    expect(errorCodeOf('CONFIG')).toBeUndefined();
  });

  it('test helpers return the error or explain the mismatch', async () => {
    const e = assertErrorCode(() => {
      throw dataError('boom');
    }, 'DATA');
    expect(e.message).toBe('boom');
    expect(() => assertErrorCode(() => 1, 'DATA')).toThrow(/nothing was thrown/);
    expect(() =>
      assertErrorCode(() => {
        throw dataError('boom');
      }, 'CONFIG'),
    ).toThrow(/expected a Sluice error with code CONFIG, got code DATA: boom/);
    const r = await assertRejectsWithCode(Promise.reject(retriableError('later')), 'RETRIABLE');
    expect(r.code).toBe('RETRIABLE');
    await expect(assertRejectsWithCode(Promise.resolve(1), 'RETRIABLE')).rejects.toThrow(/resolved/);
  });
});
