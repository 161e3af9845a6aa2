#!/usr/bin/env bash
# Makes a local PostgreSQL available for the integration tests and prints the URL to use.
# Installs Debian's server when missing, starts the default cluster on loopback, and creates the
# role and database the tests use. Safe to run again. Needs root (as CI and dev machines here are).
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "postgres.sh: installing Debian's postgresql server" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | grep -q "^${version} main"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | grep "^${version} main" | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi

port="$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')"
runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -q >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tradepane') THEN
    CREATE ROLE tradepane LOGIN PASSWORD 'tradepane' CREATEDB;
  END IF;
END \$\$;
SQL
if ! runuser -u postgres -- psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname='tradepane_test'" | grep -q 1; then
  runuser -u postgres -- createdb -p "$port" -O tradepane tradepane_test >&2
fi

# The tests and the bench drop their scratch databases WITH (FORCE), which must be allowed to end
# an autovacuum worker that happens to be in it (a worker has no role, so only pg_signal_backend
# covers it; without it the drop fails with "must be a member of the role whose process is being
# terminated").
runuser -u postgres -- psql -p "$port" -q -c "GRANT pg_signal_backend TO tradepane" >&2

# Test data is thrown away: commits need not wait for the WAL to reach the disk (this database only).
runuser -u postgres -- psql -p "$port" -q -c "ALTER DATABASE tradepane_test SET synchronous_commit = off" >&2

echo "postgres://tradepane:tradepane@127.0.0.1:${port}/tradepane_test"
