#!/usr/bin/env bash
# Makes the machine ready for the full test run: Chromium and CJK fonts for the browser tests,
# a running PostgreSQL with a test role for the second server run. Installs Debian's packages
# when missing (needs root), waits until PostgreSQL accepts connections, and prints TEST_PG_URL
# (only that, on stdout) for the caller to export. Everything else goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "test-env: $*" >&2; }
die() { say "$*"; exit 1; }

# A TEST_PG_URL given by the caller is used as it is (e.g. a PostgreSQL elsewhere on loopback).
given_url=${TEST_PG_URL:-}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
{ command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; } || missing+=(fonts-noto-cjk)
if [ -z "$given_url" ]; then
  { command -v pg_lsclusters >/dev/null 2>&1 && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; } || missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    die "missing ${missing[*]}; install them as root: apt-get update && apt-get install -y ${missing[*]}"
  fi
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and there is no apt-get to install them"
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed; is the Debian mirror reachable?"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >&2 || die "apt-get install ${missing[*]} failed"
  [ -x /usr/bin/chromium ] || die "chromium was installed but /usr/bin/chromium is missing"
fi

# node's pg client is always there after npm ci; psql may not be (and needs no root to answer).
pg_ready() {
  node -e "const c = new (require('pg').Client)({ connectionString: process.argv[1], connectionTimeoutMillis: 2000 });
    c.connect().then(() => c.query('select 1')).then(() => process.exit(0), () => process.exit(1))" "$1" >/dev/null 2>&1
}

if [ -n "$given_url" ]; then
  pg_ready "$given_url" || die "cannot connect to TEST_PG_URL=$given_url"
  echo "$given_url"
  exit 0
fi

cluster_line() { pg_lsclusters -h 2>/dev/null | awk 'NR==1'; }
if [ -z "$(cluster_line)" ]; then
  [ "$(id -u)" = 0 ] || die "no PostgreSQL cluster; create one as root: pg_createcluster <version> main --start"
  version=$(basename "$(compgen -G '/usr/lib/postgresql/*' | sort -V | tail -1)")
  say "creating PostgreSQL cluster $version/main"
  pg_createcluster "$version" main >&2 || die "pg_createcluster $version main failed"
fi
read -r version cluster port status _ <<<"$(cluster_line)"
url="postgres://xf_test:xf_test@127.0.0.1:${port}/postgres"

if [[ $status != online* ]]; then
  [ "$(id -u)" = 0 ] || die "PostgreSQL $version/$cluster is $status; start it as root: pg_ctlcluster $version $cluster start"
  say "starting PostgreSQL $version/$cluster"
  pg_ctlcluster "$version" "$cluster" start >&2 || die "pg_ctlcluster $version $cluster start failed; see /var/log/postgresql/postgresql-$version-$cluster.log"
fi

as_postgres() { runuser -u postgres -- psql -p "$port" -qtAX "$@"; }

# The cluster answers on its socket a moment after start; wait for it, bounded.
if [ "$(id -u)" = 0 ]; then
  for _ in $(seq 1 60); do
    as_postgres -c 'select 1' >/dev/null 2>&1 && break
    sleep 0.5
  done
  as_postgres -c 'select 1' >/dev/null 2>&1 || die "PostgreSQL $version/$cluster did not accept connections within 30 s"
  if ! as_postgres -c "select 1 from pg_roles where rolname = 'xf_test'" | grep -q 1; then
    say "creating the xf_test role"
    as_postgres -c "create role xf_test login createdb password 'xf_test'" >&2
  fi
fi

for _ in $(seq 1 60); do
  pg_ready "$url" && break
  sleep 0.5
done
pg_ready "$url" || die "cannot log in to PostgreSQL as xf_test on 127.0.0.1:$port (as root this script creates that role)"
echo "$url"
