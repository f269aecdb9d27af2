import type { FileDigest } from './file-sink.ts';
import type { SessionCoverage } from './write-sessions.ts';

export interface DefectPassResult {
  readonly files: Readonly<Record<string, FileDigest>>;
  readonly count: number;
}

/** Placeholder until the defect pass lands. */
export function injectDefects(_options: { readonly dir: string; readonly seed: number; readonly defectRate: number; readonly partialSuffix: string; readonly coverage: SessionCoverage; readonly signal: AbortSignal | undefined }): Promise<DefectPassResult> {
  return Promise.resolve({ files: {}, count: 0 });
}
