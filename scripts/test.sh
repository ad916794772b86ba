#!/usr/bin/env bash
# The whole test run, the same on a laptop and in CI: lint, type-check, unit and server tests on
# SQLite, the server tests again on PostgreSQL, the build, then end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

TEST_PG_URL=$(bash scripts/test-env.sh)
export TEST_PG_URL

step() { printf '\n==> %s\n' "$*"; }

step lint
npx eslint .
step type-check
npm run typecheck
step "unit and server tests (SQLite)"
env -u TEST_PG_URL npx vitest run --project unit --project server
step "server tests (PostgreSQL)"
npx vitest run --project server
step build
npx vite build
step "end-to-end tests (Chromium)"
npx vitest run --project e2e
