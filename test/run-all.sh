#!/usr/bin/env bash
# Runs every test of the repo in one vitest run and prints the closing line CI counts.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
report=".data/test-report.json"
mkdir -p .data
rm -f "$report"
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
if [[ -f "$report" ]]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
    if (r.numTotalTests === 0) process.exitCode = 1;
  ' "$report" || status=1
else
  echo "0 passed, 1 failed"
  status=1
fi
exit "$status"
