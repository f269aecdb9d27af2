import { ReelhouseError } from '@reelhouse/core';
import type { BuildResult } from '@reelhouse/model-compiler';

/**
 * The error of a failed model build: `query_failed` when a model could not be built,
 * `data_test_failed` when only data tests failed; never retryable (the same data fails again).
 */
export function modelBuildError(result: BuildResult): ReelhouseError {
  const failed = result.models.filter((m) => m.status === 'error');
  const problems = failed.map((m) => {
    const tests = m.tests
      .filter((t) => t.status === 'error')
      .map((t) => `${t.name} (${t.failures} rows)`);
    return `${m.name}: ${m.error?.message ?? tests.join(', ')}`;
  });
  const code =
    result.error !== undefined || failed.some((m) => m.error !== undefined)
      ? 'query_failed'
      : 'data_test_failed';
  return new ReelhouseError({
    code,
    retryable: false,
    message: `model build failed (${result.publishedModels.length === 0 ? 'nothing' : `only ${result.publishedModels.join(', ')}`} published): ${result.error?.message ?? problems.join('; ')}`,
    context: { models: problems },
  });
}
