#!/usr/bin/env bash
# A crowd on a local cluster (issue #20): --connections WebSocket subscribers of one session spread over --edges edge
# processes (no sticky routing), from generator worker processes on 127.0.0.x addresses, while one publisher sends
# --rate events/s for --seconds; reports the cluster's RSS per connection, the time for one event to reach everyone
# (p50 / p99), CPU per delivery, and that nothing was lost or repeated. One process may hold at most 20,000 open files
# here, so each edge takes at most about 17,000 connections and each worker as many.
#
#   bench/crowd.sh                                   # 100,000 subscribers over 6 edges, 1 event/s for 60 s
#   bench/crowd.sh --connections 6000 --edges 3 --seconds 10     # a smoke run
#
# Options: --connections N (100000) --edges E (ceil(N / 17000), at least 2) --rate R (1) --seconds S (60)
#          --pg-url URL (postgresql://postgres@127.0.0.1:5432/sb_crowd; created when missing) --redis-url URL
#          (redis://127.0.0.1:6379, or none) --base-port P (8181) --no-build
# The cluster is started by bench/cluster.sh (node 1 with every role, the others edge and auth) and stopped at the end,
# whatever happens. Results: bench/results/crowd-<UTC timestamp>/results.jsonl, and the nodes' logs beside it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

connections=100000 edges="" rate=1 seconds=60 base_port=8181 build=1
pg_url=postgresql://postgres@127.0.0.1:5432/sb_crowd redis_url=redis://127.0.0.1:6379
while [[ $# -gt 0 ]]; do
  case $1 in
    --connections) connections=$2; shift 2 ;;
    --edges) edges=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --pg-url) pg_url=$2; shift 2 ;;
    --redis-url) redis_url=$2; shift 2 ;;
    --base-port) base_port=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done
per_edge_max=17000
edges=${edges:-$(( (connections + per_edge_max - 1) / per_edge_max ))}
(( edges < 2 )) && edges=2
processes=$(( (connections + per_edge_max - 1) / per_edge_max ))
per_process=$(( (connections + processes - 1) / processes ))

if (( build )); then
  mvn -B -q -o install -DskipTests -pl protocol,auth-verticle,presence-verticle,persistence-verticle,realtime-verticle,server,bench \
    || mvn -B -q install -DskipTests -pl protocol,auth-verticle,presence-verticle,persistence-verticle,realtime-verticle,server,bench
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/bench/results/crowd-$stamp
mkdir -p "$out"
roles="edge,auth,presence,persistence"
for _ in $(seq 2 "$edges"); do roles="$roles;edge,auth"; done

# Limits meant for the open internet are lifted as every load test behind one address needs (bench/start-switchboard.sh).
export SB_PUBLISH_RATE=0 SB_MAX_FRAMES_PER_SEC=1000000 SB_MAX_INBOUND_BYTES_PER_SEC=1000000000 \
  SB_MAX_CONNECTIONS_PER_IP=1000000 SB_HANDSHAKES_PER_SEC=1000000
cleanup() { bench/cluster.sh stop --dir "$out" >/dev/null 2>&1 || true; }
trap cleanup EXIT
echo "== $(date -u +%T) crowd: $connections subscribers over $edges edges, $processes worker processes" | tee "$out/progress.log"
bench/cluster.sh --nodes "$edges" --base-port "$base_port" --pg-url "$pg_url" --redis-url "$redis_url" \
  --roles "$roles" --dir "$out" | tee -a "$out/progress.log"
pids=$(cat "$out"/node-*.pid | paste -sd,)
ports=$(seq -s, "$base_port" $((base_port + edges - 1)))
timeout 1800 java -jar bench/target/switchboard-bench.jar crowd --port "$base_port" --ports "$ports" --node-pids "$pids" \
  --connections "$connections" --per-process "$per_process" --rate "$rate" --seconds "$seconds" \
  >"$out/results.jsonl" 2> >(tee -a "$out/progress.log" >&2)
cat "$out/results.jsonl"
echo "== $(date -u +%T) done: $out" | tee -a "$out/progress.log"
