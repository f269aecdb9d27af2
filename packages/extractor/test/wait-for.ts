/** Polls `condition` until it holds (a state to reach, not a timing to assert); fails after `timeoutMs`. */
export async function waitFor(
  condition: () => Promise<boolean>,
  options: { what: string; timeoutMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
