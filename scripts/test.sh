#!/usr/bin/env bash
# The whole test run, the same on a laptop and in CI (.ci/run): lint, type-check, unit and server
# tests on SQLite, the server tests again on PostgreSQL, the build, then end-to-end tests in
# Chromium against the built app served by the real server. Ends with one line
# "tests: N passed, N failed" summing every vitest run.
set -euo pipefail
cd "$(dirname "$0")/.."

results=tmp/test-results
rm -rf "$results"
mkdir -p "$results"
current=setup
started=$SECONDS

summary() {
  local code=$?
  node -e '
    const fs = require("fs"), dir = process.argv[1]
    let passed = 0, failed = 0, skipped = 0
    for (const f of fs.readdirSync(dir).filter(f => f.endsWith(".json"))) {
      const r = JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8"))
      passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0)
    }
    console.log(`\ntests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""))
  ' "$results" || true
  if [ "$code" != 0 ]; then
    echo "FAILED at step: $current (exit $code) after $((SECONDS - started)) s" >&2
  else
    echo "all steps passed in $((SECONDS - started)) s"
  fi
}
trap summary EXIT

step() {
  current=$*
  printf '\n==> %s (%d s)\n' "$*" "$((SECONDS - started))"
}

# vitest with its usual output plus a JSON report the summary adds up. $2 says which database.
run_vitest() {
  local name=$1 database=$2
  shift 2
  local cmd=(npx vitest run --reporter=default --reporter=json --outputFile.json="$results/$name.json" "$@")
  if [ "$database" = postgres ]; then "${cmd[@]}"; else env -u TEST_PG_URL "${cmd[@]}"; fi
}

step "test environment (Chromium, CJK fonts, PostgreSQL)"
TEST_PG_URL=$(bash scripts/test-env.sh)
export TEST_PG_URL

step lint
npx eslint .
step type-check
npm run typecheck
# Two workers: vitest's default on a 2-core machine is one, and the server tests wait on the
# database as much as they compute (points and pledges folders: SQLite 112 s → 63 s, PostgreSQL
# 154 s → 130 s). Each test file has its own database, so files never share state.
step "unit and server tests (SQLite)"
run_vitest sqlite sqlite --project unit --project server --maxWorkers=2
step "server tests (PostgreSQL)"
run_vitest postgres postgres --project server --maxWorkers=2
step build
npm run build
step "end-to-end tests (Chromium, built app, real server)"
run_vitest e2e sqlite --project e2e
