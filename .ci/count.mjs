#!/usr/bin/env node
// Reads vitest's JSON report and prints the closing line of a CI run: `N passed, N failed`.
//
// Usage: node .ci/count.mjs <report.json> <vitest exit code>
//
// Failed counts every failed test; every test that was skipped, pending or todo (the suite has none on purpose,
// so one means something stopped it, e.g. a failing beforeAll); and every test file that failed on its own: its
// failure message is set (beforeAll/afterAll threw, the file did not load) or it failed with no failing test in it.
// The line never reads `0 failed` when vitest exited non-zero, and a missing or unreadable report counts as one
// failure. Exits 1 when anything failed, else 0.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const NOT_RUN = new Set(['skipped', 'pending', 'todo', 'disabled']);

/** `{ passed, failed }` for a parsed report and vitest's exit code. */
export function count(report, exitCode) {
  let passed = 0;
  let failed = 0;
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    const failedTests = tests.filter((t) => t.status === 'failed').length;
    passed += tests.filter((t) => t.status === 'passed').length;
    failed += failedTests + tests.filter((t) => NOT_RUN.has(t.status)).length;
    const ownFailure = (typeof file.message === 'string' && file.message !== '') || (file.status === 'failed' && failedTests === 0);
    if (ownFailure) failed += 1;
  }
  if (exitCode !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

function main([reportPath, code]) {
  const exitCode = Number(code ?? 0);
  let result;
  try {
    result = count(JSON.parse(readFileSync(reportPath, 'utf8')), exitCode);
  } catch (e) {
    process.stderr.write(`cannot read the test report \`${reportPath}\`: ${e instanceof Error ? e.message : String(e)}\n`);
    result = { passed: 0, failed: 1 };
  }
  process.stdout.write(`${result.passed} passed, ${result.failed} failed\n`);
  process.exitCode = result.failed > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
