#!/usr/bin/env bash
# Fault drills on loopback: double clicks, kill -9 gunicorn workers during submissions, and stop/start
# PostgreSQL during load.
# Needs a local PostgreSQL cluster (pg_ctlcluster) and root or the postgres user's rights to stop/start it.
# Uses its own database (faults_roundtable), bounded in time; PostgreSQL is ALWAYS started again on exit.
# Usage: scripts/faults.sh [REPORT.json]   (KEEP_FAULT_LOGS=DIR keeps the gunicorn log there)
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
export PGHOST PGPORT PGUSER
DB=faults_roundtable
REPORT="${1:-}"
WORK="$(mktemp -d)"
VERSION="$(ls /etc/postgresql | sort | tail -1)"

restart_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
}
cleanup() {
  status=$?
  restart_postgres
  dropdb --if-exists --force "$DB" >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ] && [ -f "$WORK/gunicorn.log" ]; then
    echo "== last lines of the gunicorn log"; tail -n 40 "$WORK/gunicorn.log"
  fi
  [ -n "${KEEP_FAULT_LOGS:-}" ] && cp "$WORK"/*.log "$KEEP_FAULT_LOGS"/ 2>/dev/null; rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

restart_postgres
dropdb --if-exists --force "$DB"
createdb "$DB"

echo "== fault drills (kill -9 workers; stop/start PostgreSQL)"
timeout --kill-after=10 300 .venv/bin/python scripts/faults.py \
  --database-url "postgresql+psycopg://postgres@127.0.0.1:5432/$DB" \
  --workdir "$WORK" ${REPORT:+--report "$REPORT"}
