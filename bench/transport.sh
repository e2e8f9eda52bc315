#!/usr/bin/env bash
# What TLS and compression cost (issue #23): one fresh node per configuration, in one run, the same load on each.
#
#   bench/transport.sh                       # 1000 WebSockets x 100 events of 1 KiB at 20/s, 200 history pages
#   bench/transport.sh --connections 2000 --events 200 --rounds 2
#
# Cells: plain (no TLS, nothing compressed), tls (https/wss, JDK engine), deflate (SB_WS_COMPRESSION=true and a
# client offering permessage-deflate), tls+deflate, and gzip (plain WebSockets, SB_HTTP_COMPRESSION=true: history
# pages gzip-encoded). Each line of results.jsonl is one cell; results.md puts each beside plain as a ratio. The
# server runs on core 0, the generator on core 1, as in bench/run-all.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
connections=1000 events=100 rate=20 payload=1024 history=200 rounds=1 build=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --connections) connections=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --payload) payload=$2; shift 2 ;;
    --history) history=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $build == 1 ]]; then
  (cd "$root" && mvn -B -q install -DskipTests -pl server,bench -am ${MAVEN_ARGS:-})
fi
out=$root/bench/results/transport-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
certs=$(mktemp -d)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$certs/tls.key" -out "$certs/tls.crt" 2>/dev/null
tls_env=(SB_TLS_CERT_FILE="$certs/tls.crt" SB_TLS_KEY_FILE="$certs/tls.key")
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/progress.log"

cell() { # label client-tls client-deflate history env...
  local label=$1 tls=$2 deflate=$3 pages=$4; shift 4
  local port=$((18600 + RANDOM % 300)) data
  data=$(mktemp -d)
  local pid
  pid=$(env "$@" SB_EDGE_LOOPS=1 SB_CANARY_INTERVAL=0 SB_ACCESS_LOG=false \
    "$root/bench/start-switchboard.sh" "$data" "$port" "$out/server-$label.log")
  local scheme=http
  [[ $tls == true ]] && scheme=https
  for _ in $(seq 1 150); do curl -skf "$scheme://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
  # A warm-up pass first on the same node (JIT, heap growth, TLS session setup), its line kept apart.
  taskset -c 1 java -jar "$root/bench/target/switchboard-bench.jar" transport --port "$port" --server-pid "$pid" \
    --tls "$tls" --deflate "$deflate" --connections 200 --events 20 --rate "$rate" --payload "$payload" \
    --history "$((pages > 0 ? 20 : 0))" --label "$label-warmup" >>"$out/warmup.jsonl"
  taskset -c 1 java -jar "$root/bench/target/switchboard-bench.jar" transport --port "$port" --server-pid "$pid" \
    --tls "$tls" --deflate "$deflate" --connections "$connections" --events "$events" --rate "$rate" \
    --payload "$payload" --history "$pages" --label "$label" | tee -a "$out/results.jsonl"
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -rf "$data"
}

for round in $(seq 1 "$rounds"); do
  echo "round $round" >>"$out/progress.log"
  cell plain false false "$history"
  cell tls true false 0 "${tls_env[@]}"
  cell deflate false true 0 SB_WS_COMPRESSION=true
  cell tls+deflate true true 0 "${tls_env[@]}" SB_WS_COMPRESSION=true
  cell gzip false false "$history" SB_HTTP_COMPRESSION=true
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/progress.log"
rm -rf "$certs"
echo "results in $out"
