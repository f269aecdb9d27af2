import { describe, expect, it } from 'vitest';

import { triggerDecision } from '../src/index.ts';

describe('triggerDecision', () => {
  it('waits while any upstream is unfinished', () => {
    expect(triggerDecision('all_done', ['success', 'running'])).toBe('wait');
    expect(triggerDecision('all_success', ['up_for_retry'])).toBe('wait');
    expect(triggerDecision('none_failed', ['queued'])).toBe('wait');
  });

  it('all_success runs after successes, fails after a failure, skips after a skip', () => {
    expect(triggerDecision('all_success', [])).toBe('run');
    expect(triggerDecision('all_success', ['success', 'success'])).toBe('run');
    expect(triggerDecision('all_success', ['success', 'failed'])).toBe('upstream_failed');
    expect(triggerDecision('all_success', ['upstream_failed'])).toBe('upstream_failed');
    expect(triggerDecision('all_success', ['skipped', 'success'])).toBe('skipped');
  });

  it('none_failed accepts skipped upstreams; all_done runs whatever happened', () => {
    expect(triggerDecision('none_failed', ['skipped', 'success'])).toBe('run');
    expect(triggerDecision('none_failed', ['skipped', 'failed'])).toBe('upstream_failed');
    expect(triggerDecision('all_done', ['failed', 'upstream_failed', 'skipped'])).toBe('run');
  });
});
