#!/usr/bin/env bash
# Where the edge allocates under fan-out (issue #17: metrics must not allocate on the delivery path): one node under
# one fan-out cell with Java Flight Recorder's allocation sampling on, then every sampled allocation of the node's
# event loops attributed to the first frame of the project's own code on its stack, and the samples whose stack holds
# a metrics frame (Micrometer, vertx-micrometer-metrics, the project's metrics classes) counted apart.
#
#   bench/jfr-alloc.sh [--subscribers 500] [--rate 150] [--seconds 30] [--metrics true|false] [--no-build]
#
# The server runs on core 0 and the generator on core 1, as in run-all.sh. Results go to
# bench/results/<UTC timestamp>-jfr/: fanout.jfr, allocations.txt (the attribution) and results.jsonl (one line).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
subscribers=500 rate=150 seconds=30 metrics=true build=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --subscribers) subscribers=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --metrics) metrics=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
  esac
done
out=$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-jfr
mkdir -p "$out"
port=${SB_BENCH_PORT:-18480}
jar=$root/bench/target/switchboard-bench.jar
[[ $build == 1 ]] && mvn -B -q -pl bench,server -am package -DskipTests >"$out/build.log" 2>&1
data=$(mktemp -d /tmp/sb-bench-data.XXXX)
pid=$(SB_METRICS=$metrics SB_BENCH_JAVA_OPTS="-XX:StartFlightRecording=settings=profile,filename=$out/fanout.jfr,dumponexit=true" \
  bench/start-switchboard.sh "$data" "$port" "$out/switchboard.log")
cleanup() { kill "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.2; done
timeout 600 taskset -c 1 java -jar "$jar" fanout --target switchboard --port "$port" --server-pid "$pid" \
  --subscribers "$subscribers" --rates "$rate" --warmup 5 --seconds "$seconds" >"$out/fanout.jsonl" 2>"$out/generator.log"
kill "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
# One block per sampled allocation: its thread, its weight in bytes, the first project frame, whether a metrics frame.
jfr print --events jdk.ObjectAllocationSample --stack-depth 64 "$out/fanout.jfr" | awk -v out="$out" '
  function bytes(v, u) { return u == "kB" ? v * 1024 : u == "MB" ? v * 1048576 : u == "GB" ? v * 1073741824 : v }
  /^jdk.ObjectAllocationSample/ { thread = ""; weight = 0; first = ""; metered = 0; inStack = 0; next }
  /eventThread = / { thread = $0 }
  /weight = / { weight = bytes($3, $4) }
  /stackTrace = \[/ { inStack = 1; next }
  inStack && /micrometer|\.metrics\.|Metrics\(|Meters\./ { metered = 1 }
  inStack && first == "" && /dev\.switchboard\./ { first = $1 }
  /^}/ {
    if (thread ~ /eventloop/) {
      total += weight; samples++
      if (metered) { meteredWeight += weight; meteredSamples++ }
      byFrame[first == "" ? "(no project frame)" : first] += weight
    }
  }
  END {
    for (f in byFrame) printf "%14.0f  %5.1f%%  %s\n", byFrame[f], 100 * byFrame[f] / total, f | "sort -rn > \"" out "/allocations.txt\""
    printf "{\"scenario\":\"jfr-alloc\",\"eventLoopSamples\":%d,\"eventLoopBytes\":%.0f,\"metricsSamples\":%d,\"metricsBytes\":%.0f}\n",
      samples, total, meteredSamples + 0, meteredWeight + 0
  }' | tee "$out/results.jsonl"
head -15 "$out/allocations.txt"
echo "results: $out" >&2
