#!/usr/bin/env bash
# The bounded abuse benchmark (issue #16): single-address attacks against a node with its own limits, measured by
# the delivery latency of honest subscribers before, during and after each attack.
#
#   bench/abuse.sh                   # every attack, 5 s per phase (3.5-5 minutes on 2 cores)
#   bench/abuse.sh --quick           # every attack, 3 s per phase and smaller crowds (about 3 minutes)
#   bench/abuse.sh --attacks flood,presence --seconds 8
#
# Options:
#   --attacks LIST   half-open,silent,slow-body,flood,presence,poll (default: all)
#   --seconds S      seconds per measured phase: before, during and after each attack (default 5)
#   --warmup W       unmeasured seconds of honest traffic before the first phase (default 5)
#   --subscribers N  honest subscribers of one session (default 20)   --rate R  honest events/s (default 50)
#   --sockets N      half-open, silent and slow-body connections (default 2000; at most 3000 per attack)
#   --polls N        long polls held (default 2000)    --flood M  flooding WebSockets of one user (default 20)
#   --users K        presence-storm users (default 2000)
#   --no-build       use the jars as they are
#
# Each attack gets a fresh node, pinned to core 0, with its own limits (only the per-user publish limit is lifted,
# for the honest publisher); the generator runs on core 1, the attacker beside it at nice 10 from 127.0.0.2, the
# honest clients from 127.0.0.1. Results go to bench/results/<UTC timestamp>-abuse/: results.jsonl (one line per
# attack), results.json, results.md, progress.log and the node's log.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

attacks=half-open,silent,slow-body,flood,presence,poll
seconds=5 warmup=5 subscribers=20 rate=50 sockets=2000 polls=2000 flood=20 users=2000
build=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) seconds=3 warmup=3 sockets=1000 polls=1000 flood=10 users=1000; shift ;;
    --attacks) attacks=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --subscribers) subscribers=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --sockets) sockets=$2; shift 2 ;;
    --polls) polls=$2; shift 2 ;;
    --flood) flood=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) sed -n '2,24p' "$0"; exit 2 ;;
  esac
done

sb_port=${SB_BENCH_PORT:-18480}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/bench/results/$stamp-abuse
mkdir -p "$out"
log=$out/progress.log
jar=$root/bench/target/switchboard-bench.jar
server_pid= server_data=

say() { echo "== $(date +%H:%M:%S) $*" | tee -a "$log" >&2; }

stop_server() {
  [[ -n $server_pid ]] || return 0
  kill "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$server_pid" 2>/dev/null || true
  [[ -n $server_data ]] && rm -rf "$server_data"
  server_pid= server_data=
}
trap stop_server EXIT

if [[ $build == 1 ]]; then
  say "building the server and the generator"
  mvn -B -q -pl bench,server -am package -DskipTests >>"$log" 2>&1
fi

cat >"$out/meta.json" <<META
{"timestamp": "$stamp", "commit": "$(git rev-parse --short HEAD)",
 "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc)",
 "memory": "$(free -g | awk '/Mem:/{print $2}') GiB", "kernel": "$(uname -r)",
 "java": "$(java -version 2>&1 | head -1 | tr -d '"')",
 "loadAverageAtStart": "$(cut -d' ' -f1-3 /proc/loadavg)",
 "options": "attacks=$attacks seconds=$seconds warmup=$warmup subscribers=$subscribers rate=$rate sockets=$sockets polls=$polls flood=$flood users=$users"}
META

if curl -s -o /dev/null "http://127.0.0.1:$sb_port/health"; then
  say "something already listens on port $sb_port (another run?); set SB_BENCH_PORT"
  exit 1
fi

for attack in ${attacks//,/ }; do
  server_data=$(mktemp -d /tmp/sb-abuse-data.XXXX)
  server_pid=$(SB_BENCH_LIMITS=node bench/start-switchboard.sh "$server_data" "$sb_port" "$out/switchboard.log")
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$sb_port/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  if ! kill -0 "$server_pid" 2>/dev/null; then
    say "$attack: the node did not start (see $out/switchboard.log)"; stop_server; continue
  fi
  say "$attack: fresh node (pid $server_pid), $subscribers honest subscribers at $rate events/s, ${seconds}s phases"
  timeout $((warmup + 3 * seconds + 150)) taskset -c 1 java -jar "$jar" abuse --port "$sb_port" \
    --server-pid "$server_pid" --attacks "$attack" --seconds "$seconds" --warmup "$warmup" \
    --subscribers "$subscribers" --rate "$rate" --sockets "$sockets" --polls "$polls" --flood "$flood" \
    --users "$users" --server-core "${SB_BENCH_CPU:-0}" >>"$out/results.jsonl" 2> >(tee -a "$log" >&2) || say "$attack: the generator failed"
  stop_server
  sleep 1
done

sed -i "s/}\$/, \"loadAverageAtEnd\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}/" "$out/meta.json"
java -jar "$jar" report --results "$out" 2>>"$log"
say "done: $out/results.md"
