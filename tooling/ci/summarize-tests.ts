// Sums every package's vitest JSON report into the one closing line CI reads: "N passed, N failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTests: number;
}

const root = new URL('../../', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing: string[] = [];
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const report = join(root, group, name, 'test-results', 'vitest.json');
    if (!existsSync(report)) {
      missing.push(`${group}/${name}`);
      continue;
    }
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
    passed += parsed.numPassedTests;
    failed += parsed.numFailedTests;
    skipped += parsed.numPendingTests;
  }
}
if (missing.length > 0) {
  process.stderr.write(`no test report from: ${missing.join(', ')}\n`);
  failed += missing.length;
}
process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
