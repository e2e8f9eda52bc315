#!/usr/bin/env bash
# A bounded chaos run on loopback (stops by itself): a cluster of N processes on PostgreSQL and Redis, subscribers
# spread over the nodes, steady publishing, one random node killed (alternately kill -9 and SIGTERM) and restarted
# every minute. At the end: acknowledged events lost, duplicates, gaps, subscribers behind (all must be 0), resume
# times, and each node's heap and RSS over time. Results in bench/results/chaos-<time>/ (chaos.json, chaos.md).
#
#   bench/chaos.sh [--minutes 10] [--subscribers 2000] [--nodes 3] [--rate 50] [--sessions 20] [--kill-every 60]
#                  [--sse-percent 10] [--pg-url URL] [--redis-url URL|none] [--base-port 18401]
#   bench/chaos.sh --minutes 120        # a two-hour soak
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pg_url=postgresql://postgres@127.0.0.1:5432/switchboard_chaos
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    --pg-url) pg_url=$2; shift 2 ;;
    *) args+=("$1" "$2"); shift 2 ;;
  esac
done
if [ ! -f server/target/switchboard.jar ] || [ ! -f bench/target/switchboard-bench.jar ]; then
  mvn -B -q -pl server,bench -am package -DskipTests
fi
# A fresh database for each run, so the log holds exactly this run's events.
db=${pg_url##*/}; db=${db%%\?*}
admin_url=${pg_url%/*}/postgres
psql "$admin_url" -qc "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\""
ulimit -n 20000 2>/dev/null || true
exec java -Xmx1g -cp bench/target/switchboard-bench.jar dev.switchboard.bench.cluster.Chaos \
  --jar server/target/switchboard.jar --pg-url "$pg_url" "${args[@]}"
