import { afterEach, beforeEach, vi } from 'vitest';

// A test that writes to the console hides noise or a real warning: make it fail instead.
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
const calls: string[] = [];

beforeEach(() => {
  calls.length = 0;
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      calls.push(`console.${method}: ${args.map(String).join(' ')}`);
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  if (calls.length > 0) {
    const lines = calls.splice(0);
    throw new Error(`Test wrote to the console:\n${lines.join('\n')}`);
  }
});
