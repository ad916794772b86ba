#!/usr/bin/env bash
# Makes the machine ready for the full test run: Chromium and CJK fonts for the browser tests,
# a running PostgreSQL with a test role for the second server run. Installs from Debian's
# packages when missing (needs root), and prints TEST_PG_URL for the caller to export.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test-env: missing ${missing[*]}; install them with apt-get (needs root)" >&2
    exit 1
  fi
  echo "test-env: installing ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

if [ -z "${TEST_PG_URL:-}" ]; then
  version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $2}')
  if [ -z "$version" ]; then
    echo "test-env: no PostgreSQL cluster found" >&2
    exit 1
  fi
  if ! pg_lsclusters -h | awk 'NR==1 {print $4}' | grep -q online; then
    pg_ctlcluster "$version" "$cluster" start >&2
  fi
  for _ in $(seq 1 30); do
    su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
    sleep 0.5
  done
  su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='xf_test'\"" | grep -q 1 \
    || su postgres -c "psql -qc \"create role xf_test login createdb password 'xf_test'\"" >&2
  port=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
  echo "postgres://xf_test:xf_test@127.0.0.1:${port}/postgres"
else
  echo "$TEST_PG_URL"
fi
