#!/usr/bin/env bash
# Runs every test of EserSecurity on a fresh Debian machine: installs what is missing, restores, builds, tests,
# and ends with the plain summary line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

# The browser tests drive Debian's Chromium; Playwright must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
dotnet restore EserSecurity.sln
dotnet build EserSecurity.sln --no-restore -c Release

results="$(pwd)/TestResults"
rm -rf "$results"
status=0
# Tests that need PostgreSQL carry [Trait("Database", "PostgresOnly")] and run in the PostgreSQL pass below.
dotnet test EserSecurity.sln --no-build -c Release --filter "Database!=PostgresOnly" \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" || status=$?

# The Core tests again on PostgreSQL 15, in a throwaway cluster of this script's own: a temp folder, a free loopback
# port, never the system service, stopped and removed on exit. Each test database is copied from a template there.
pg_bin=/usr/lib/postgresql/15/bin
if [ ! -x "$pg_bin/initdb" ]; then
  echo "Installing Debian's PostgreSQL 15 for the Core tests' second pass..."
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql-15 >/dev/null
fi
pg_root=$(mktemp -d "${TMPDIR:-/tmp}/eser-postgres.XXXXXX")
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user, in a folder it owns.
  chown postgres "$pg_root"
  as_pg=(runuser -u postgres --)
fi
stop_postgres() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_root/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_root"
}
trap stop_postgres EXIT
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 40000 ))
    # Nothing answers on the port: it is free.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  return 1
}
pg_port=$(free_port)
pg_trx="$results/results-postgres.trx"
pg_status=0
pg_started=$(date +%s)
if "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_root/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$pg_root/initdb.log" 2>&1 \
  && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_root/data" -l "$pg_root/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_root -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
  # Tests that check a SQLite mechanism itself carry [Trait("Database", "SqliteOnly")], and tests that need PostgreSQL
  # (several console instances over one database, in Core and in the browser) [Trait("Database", "PostgresOnly")]
  # (see docs/conventions.md).
  ESER_TEST_DATABASE=postgres ESER_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres" \
    dotnet test EserSecurity.Tests --no-build -c Release \
    --filter "(FullyQualifiedName~EserSecurity.Tests.Core&Database!=SqliteOnly)|Database=PostgresOnly" \
    --logger "trx;LogFileName=results-postgres.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || pg_status=$?
  echo "PostgreSQL pass of the Core tests: $(( $(date +%s) - pg_started )) s"
else
  echo "The PostgreSQL cluster did not start:"
  cat "$pg_root/initdb.log" "$pg_root/server.log" 2>/dev/null || true
  pg_status=1
fi

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "No test results were written (the test run itself failed to start)."
  echo "0 passed, 1 failed"
  exit 1
fi
passed=0 failed=0 skipped=0
tally() {
  local counters
  counters=$(grep -o '<Counters [^>]*>' "$1" | head -n 1)
  count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$(( passed + $(count passed) ))
  failed=$(( failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
  skipped=$(( skipped + $(count notExecuted) ))
}
tally "$trx"
if [ -f "$pg_trx" ]; then
  tally "$pg_trx"
elif [ "$pg_status" -eq 0 ]; then
  pg_status=1
fi
if [ "$failed" -eq 0 ] && { [ "$status" -ne 0 ] || [ "$pg_status" -ne 0 ]; }; then failed=1; fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ] && [ "$pg_status" -eq 0 ]
