import { describe, expect, it } from 'vitest';

import { ReelhouseError, classifyError, isRetryable } from '../src/index.ts';

function pgError(code: string): Error {
  return Object.assign(new Error(`pg failed with ${code}`), { code });
}

describe('classifyError', () => {
  it.each([
    ['08006', 'connection_lost', true],
    ['40001', 'serialization_conflict', true],
    ['40P01', 'deadlock', true],
    ['57P01', 'service_unavailable', true],
    ['57014', 'timeout', false],
    ['23505', 'constraint_violation', false],
    ['22P02', 'invalid_input', false],
    ['42P01', 'query_failed', false],
  ] as const)('maps SQLSTATE %s to %s (retryable %s)', (sqlState, code, retryable) => {
    const error = classifyError(pgError(sqlState));
    expect(error).toBeInstanceOf(ReelhouseError);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.context).toMatchObject({ sqlState });
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE'])(
    'treats the socket error %s as a retryable lost connection',
    (errno) => {
      const error = classifyError(Object.assign(new Error('socket'), { code: errno }));
      expect(error.code).toBe('connection_lost');
      expect(error.retryable).toBe(true);
    },
  );

  it('issue 12: labels an EPERM from the file system file_access_denied, not an SQLSTATE', () => {
    const fsError = Object.assign(new Error("EPERM: operation not permitted, mkdir '/x'"), {
      code: 'EPERM',
      errno: -1,
      syscall: 'mkdir',
      path: '/x',
    });
    const error = classifyError(fsError);
    expect(error.code).toBe('file_access_denied');
    expect(error.retryable).toBe(false);
    expect(error.context).toEqual({ errno: 'EPERM', syscall: 'mkdir', path: '/x' });
  });

  it('issue 12: treats a pg client broken by a terminated backend as a retryable lost connection', () => {
    const broken = new Error('Client has encountered a connection error and is not queryable');
    expect(classifyError(broken).code).toBe('connection_lost');
    expect(isRetryable(broken)).toBe(true);
  });

  it('treats MongoDB errors labelled RetryableWriteError as retryable', () => {
    const mongo = Object.assign(new Error('not primary'), {
      name: 'MongoServerError',
      code: 10107,
      errorLabels: ['RetryableWriteError'],
    });
    expect(isRetryable(mongo)).toBe(true);
  });

  it('treats an unlabelled MongoDB server error as not retryable and keeps its numeric code', () => {
    const mongo = Object.assign(new Error('duplicate key'), {
      name: 'MongoServerError',
      code: 11000,
    });
    const error = classifyError(mongo);
    expect(error.retryable).toBe(false);
    expect(error.context).toMatchObject({ mongoCode: 11000 });
  });

  it('treats an abort as final', () => {
    const abort = new DOMException('stop', 'AbortError');
    expect(classifyError(abort).code).toBe('aborted');
    expect(isRetryable(abort)).toBe(false);
  });

  it('keeps a ReelhouseError as it is and wraps anything else with its cause', () => {
    const own = new ReelhouseError({
      code: 'file_malformed',
      message: 'bad',
      context: { file: 'x.csv' },
    });
    expect(classifyError(own)).toBe(own);
    const wrapped = classifyError('a string was thrown', { task: 't1' });
    expect(wrapped.code).toBe('internal');
    expect(wrapped.context).toEqual({ task: 't1' });
  });

  it('derives retryability from the code unless told otherwise', () => {
    expect(new ReelhouseError({ code: 'deadlock', message: 'x' }).retryable).toBe(true);
    expect(new ReelhouseError({ code: 'deadlock', message: 'x', retryable: false }).retryable).toBe(
      false,
    );
    expect(new ReelhouseError({ code: 'config_invalid', message: 'x' }).retryable).toBe(false);
  });
});
