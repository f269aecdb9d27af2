import type pg from 'pg';

/**
 * Cancels whatever the backend `pid` is running when `signal` fires, so an abort also stops a
 * long merge query; returns the function that stops listening.
 */
export function cancelOnAbort(
  pool: pg.Pool,
  pid: number,
  signal: AbortSignal | undefined,
): () => void {
  if (signal === undefined) return () => undefined;
  const cancel = () => {
    pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  return () => {
    signal.removeEventListener('abort', cancel);
  };
}
