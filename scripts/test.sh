#!/usr/bin/env bash
# The project's one gate (`npm test`): system packages, npm packages, typecheck, lint (zero
# warnings), format check, then every vitest layer. Extra arguments go to vitest, e.g.
#   npm test -- src/report
# Stops at the first failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-system-deps.sh

if [[ ! -d node_modules ]]; then
  echo '==> npm ci'
  npm ci --no-audit --no-fund
fi

echo '==> typecheck: tsc --noEmit -p tsconfig.json'
npx tsc --noEmit -p tsconfig.json

echo '==> lint: eslint --max-warnings 0 .'
npx eslint --max-warnings 0 .

echo '==> format: prettier --check .'
npx prettier --check .

echo '==> tests: vitest run' "$@"
mkdir -p test-artifacts
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@"

# One plain closing line that any CI reads: "N passed, N failed".
node -e '
const r = JSON.parse(require("fs").readFileSync("test-artifacts/vitest.json", "utf8"));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
'
