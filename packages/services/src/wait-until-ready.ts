import { setTimeout as sleep } from 'node:timers/promises';

/** Calls `probe` until it resolves, or fails with the last error after `timeoutMs`. */
export async function waitUntilReady(probe: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await sleep(100);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
