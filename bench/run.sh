#!/usr/bin/env bash
# Benchmark on PostgreSQL with years of data; writes docs/benchmarks.md. Not run in CI.
# Needs: a local PostgreSQL on 127.0.0.1:5432 (user postgres), wrk (apt-get install -y wrk).
# Usage: bench/run.sh [FAULTS_REPORT.json]   (the JSON written by scripts/faults.sh, to include its figures)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
DB=bench_roundtable
WORK="$(mktemp -d)"
cleanup() { dropdb --if-exists --force "$DB" >/dev/null 2>&1 || true; mkdir -p /tmp/roundtable-bench-logs; cp "$WORK"/*.log /tmp/roundtable-bench-logs/ 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
dropdb --if-exists --force "$DB"
createdb "$DB"
.venv/bin/python bench/run.py --database-url "postgresql+psycopg://postgres@127.0.0.1:5432/$DB" \
  --workdir "$WORK" ${1:+--faults-json "$1"} "${@:2}"
