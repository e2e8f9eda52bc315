#!/usr/bin/env bash
# Every benchmark in one bounded run: Switchboard and Socket.IO side by side, the floor probe beside them.
#
#   bench/run-all.sh                 # the documented run (about 20 minutes on 2 cores)
#   bench/run-all.sh --quick         # a smoke run of about 5 minutes
#   bench/run-all.sh --scenarios fanout,maxrate --seconds 5 --rounds 3
#   bench/run-all.sh --server-cpus 0-7 --generator-cpus 8-15     # a 16-core machine: 8 cores each
#
# Options:
#   --scenarios LIST   fanout,maxrate,rooms,idle,storm,append,loops,metrics,hooks,txpublish,heartbeat (default: all)
#   --cells LIST       fanout cells NxR (default 100x10,100x50,100x150,100x1000,500x10,500x150,500x1000,
#                      2000x10,2000x150,10000x10)
#   --seconds S        seconds per measured round (default 4)    --warmup W  unmeasured seconds first (default 3)
#   --rounds K         measured rounds per fanout and rooms cell; figures are their medians (default 3)
#   --prewarm S        unmeasured seconds at 500 x 150 on each fresh server before its first cell (default 10)
#   --maxrate-rates L  events/s steps for maxrate (default 100,150,200,300,400,500,600,700,800,1000,1200)
#   --idle LIST        idle connection counts (default 1000,10000,19000)
#   --heartbeats LIST  heartbeat scenario: the SB_HEARTBEAT_SEC values to compare (default 30,10,5)
#   --storm N          subscribers in the reconnect storm (default 10000)
#   --server-cpus L    CPUs the servers are pinned to, as taskset takes them (default 0); a Switchboard edge runs
#                      one event loop per CPU it is given (SB_EDGE_LOOPS defaults to the available processors)
#   --generator-cpus L CPUs of the load generator and the floor probe's reader (default 1; the reader takes the
#                      first)
#   --loops LIST       loops scenario: the SB_EDGE_LOOPS values to compare (default 1 and the machine's CPUs)
#   --loops-cpus L     loops scenario: the server's CPUs (default all of them; the generator stays on its own)
#   --pg-url URL       txpublish: the PostgreSQL server to create a scratch database on, as
#                      postgresql://user@host:port (default postgresql://postgres@127.0.0.1:5432; needs psql)
#   --no-build         use the jars, node_modules and floor binary as they are
#
# Servers run pinned to --server-cpus, the generator (and the floor probe's reader) to --generator-cpus. The loops
# scenario (issue #18) lets the server use --loops-cpus, compares the edge on each --loops value at 2000 x 10 and
# 500 x 150 with Socket.IO beside it, and times one event's fan-out to 2000 subscribers at each value. The metrics
# scenario (issue #17) runs 500 x 150 and 2000 x 10 on a node with SB_METRICS on and on one with it off, five rounds
# each, for the CPU metrics cost per delivery. The hooks scenario (issue #24) publishes over WebSocket to sessions of
# a namespace with a publish hook (a loopback server that allows at once, bench/hooks/allow.mjs, beside the
# generator) and to sessions without, on one node, alternating for --rounds rounds. The txpublish scenario
# (issue #25) starts a node on a scratch PostgreSQL database and compares 8 application connections committing
# sb_publish with 8 REST publishers. Results go to
# bench/results/<UTC timestamp>/: results.jsonl (raw lines), results.json, results.md, *.png, progress.log.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scenarios=fanout,maxrate,rooms,idle,storm,append,loops,metrics,hooks,txpublish,heartbeat
heartbeats=30,10,5
pg_url=postgresql://postgres@127.0.0.1:5432
cells=100x10,100x50,100x150,100x1000,500x10,500x150,500x1000,2000x10,2000x150,10000x10
seconds=4 warmup=3 rounds=3 prewarm=10
maxrate_rates=100,150,200,300,400,500,600,700,800,1000,1200
idle_counts=1000,10000,19000
storm_subscribers=10000
rooms_subscribers=10000 rooms_sessions=1000 rooms_publishers=100 rooms_rate=2000
build=1
server_cpus=0 generator_cpus=1
loops_list=1,$(nproc) loops_cpus=0-$(($(nproc) - 1))
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick)
      cells=100x50,500x150 seconds=3 warmup=2 rounds=1 prewarm=5 maxrate_rates=100,200,400,600,800 idle_counts=1000
      storm_subscribers=1000 rooms_subscribers=2000 rooms_sessions=200 rooms_publishers=20 rooms_rate=500
      shift ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --cells) cells=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --prewarm) prewarm=$2; shift 2 ;;
    --maxrate-rates) maxrate_rates=$2; shift 2 ;;
    --idle) idle_counts=$2; shift 2 ;;
    --heartbeats) heartbeats=$2; shift 2 ;;
    --storm) storm_subscribers=$2; shift 2 ;;
    --server-cpus) server_cpus=$2; shift 2 ;;
    --generator-cpus) generator_cpus=$2; shift 2 ;;
    --loops) loops_list=$2; shift 2 ;;
    --loops-cpus) loops_cpus=$2; shift 2 ;;
    --pg-url) pg_url=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) sed -n '2,38p' "$0"; exit 2 ;;
  esac
done

sb_port=${SB_BENCH_PORT:-18480}
sio_port=${SIO_BENCH_PORT:-18490}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/bench/results/$stamp
mkdir -p "$out"
log=$out/progress.log
jar=$root/bench/target/switchboard-bench.jar
started=()

say() { echo "== $(date +%H:%M:%S) $*" | tee -a "$log" >&2; }

cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

if [[ $build == 1 ]]; then
  say "building the server and the generator, installing the Socket.IO peer, compiling the floor probe"
  mvn -B -q -pl bench,server -am package -DskipTests >>"$log" 2>&1
  (cd bench/peers/socketio && npm ci --no-audit --no-fund >>"$log" 2>&1)
  gcc -O2 -o bench/floor/floor bench/floor/floor.c
fi

cat >"$out/meta.json" <<EOF
{"timestamp": "$stamp", "commit": "$(git rev-parse --short HEAD)",
 "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc)",
 "memory": "$(free -g | awk '/Mem:/{print $2}') GiB", "kernel": "$(uname -r)",
 "java": "$(java -version 2>&1 | head -1 | tr -d '"')", "node": "$(node --version)",
 "socketio": "$(node -p 'require("./bench/peers/socketio/node_modules/socket.io/package.json").version')",
 "loadAverageAtStart": "$(cut -d' ' -f1-3 /proc/loadavg)",
 "options": "scenarios=$scenarios cells=$cells seconds=$seconds warmup=$warmup rounds=$rounds server-cpus=$server_cpus generator-cpus=$generator_cpus loops=$loops_list loops-cpus=$loops_cpus"}
EOF

wait_http() { # url
  for _ in $(seq 150); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "no answer from $1" >&2; return 1
}

server_pid=
start_switchboard() { # [heartbeatSec] [maxBatch] [cpus] [edgeLoops] [metrics]
  local data; data=$(mktemp -d /tmp/sb-bench-data.XXXX)
  server_pid=$(env SB_HEARTBEAT_SEC=${1:-30} ${2:+SB_APPEND_MAX_BATCH=$2} SB_BENCH_CPU=${3:-$server_cpus} \
    ${4:+SB_EDGE_LOOPS=$4} ${5:+SB_METRICS=$5} bench/start-switchboard.sh "$data" "$sb_port" "$out/switchboard.log")
  started+=("$server_pid")
  wait_http "http://127.0.0.1:$sb_port/ready"
  server_data=$data
}

start_socketio() { # [pingIntervalMs] [cpus]
  (cd bench/peers/socketio && PORT=$sio_port PING_INTERVAL_MS=${1:-25000} \
    exec setsid taskset -c "${2:-$server_cpus}" node --expose-gc server.js >>"$out/socketio.log" 2>&1 </dev/null) &
  server_pid=$!
  started+=("$server_pid")
  wait_http "http://127.0.0.1:$sio_port/health"
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$server_pid" 2>/dev/null || true
  [[ -n ${server_data:-} ]] && rm -rf "$server_data"
  server_data=
  sleep 1
}

first_cpu() { # a taskset list's first CPU
  local first=${1%%,*}; echo "${first%%-*}"
}

fanout_metric() { # the edge's switchboard_fanout_seconds: "count sum"
  curl -s "http://127.0.0.1:$sb_port/metrics" \
    | awk '/^switchboard_fanout_seconds_count /{c=$2} /^switchboard_fanout_seconds_sum /{s=$2} END{print c+0, s+0}'
}

port_of() { [[ $1 == switchboard ]] && echo "$sb_port" || echo "$sio_port"; }

gen() { # scenario args...: the generator on core 1, results to results.jsonl, progress to the terminal and the log
  timeout 900 taskset -c "$generator_cpus" java -jar "$jar" "$@" >>"$out/results.jsonl" 2> >(tee -a "$log" >&2)
}

has() { [[ ",$scenarios," == *",$1,"* ]]; }

# A fresh server per target for fanout and rooms, and another for maxrate (which ends by overloading it: Socket.IO
# then spends seconds writing out its backlog), each after an unmeasured pre-warm-up at 500 x 150 so that neither
# JIT (the JVM's C1/C2 threads, V8's TurboFan) is still compiling during the first measured cells; each cell then
# has its own warm-up of the same load.
prewarm_server() { # target
  say "pre-warm-up $1: 500 x 150 for ${prewarm}s, not measured"
  timeout 300 taskset -c "$generator_cpus" java -jar "$jar" fanout --target "$1" --port "$(port_of $1)" --subscribers 500 \
    --rates 150 --warmup "$prewarm" --seconds 1 >/dev/null 2>>"$log" || true
}

if has fanout || has rooms; then
  sizes=$(tr ',' '\n' <<<"$cells" | cut -dx -f1 | sort -nu)
  for target in switchboard socketio; do
    if [[ $target == switchboard ]]; then start_switchboard; else start_socketio; fi
    prewarm_server "$target"
    if has fanout; then
      for n in $sizes; do
        rates=$(tr ',' '\n' <<<"$cells" | awk -F x -v n="$n" '$1 == n {print $2}' | sort -n | paste -sd,)
        say "fanout $target: $n subscribers at $rates events/s"
        gen fanout --target "$target" --port "$(port_of $target)" --server-pid "$server_pid" --subscribers "$n" \
          --rates "$rates" --warmup "$warmup" --seconds "$seconds" --rounds "$rounds" --max-deliveries 100000000 || true
      done
    fi
    if has rooms; then
      say "rooms $target: $rooms_subscribers subscribers over $rooms_sessions sessions, $rooms_publishers publishers"
      gen rooms --target "$target" --port "$(port_of $target)" --server-pid "$server_pid" \
        --subscribers "$rooms_subscribers" --sessions "$rooms_sessions" --publishers "$rooms_publishers" \
        --rates "$rooms_rate" --warmup "$warmup" --seconds "$seconds" --rounds "$rounds" || true
    fi
    stop_server
  done
fi

if has maxrate; then
  for target in switchboard socketio; do
    if [[ $target == switchboard ]]; then start_switchboard; else start_socketio; fi
    prewarm_server "$target"
    say "maxrate $target: 500 subscribers, $maxrate_rates events/s until p99 > 100 ms or a loss"
    gen maxrate --target "$target" --port "$(port_of $target)" --server-pid "$server_pid" --subscribers 500 \
      --rates "$maxrate_rates" --warmup 2 --seconds "$seconds" || true
    stop_server
  done
fi

if has fanout; then
  bytes=$(grep '"scenario":"fanout"' "$out/results.jsonl" | grep -m1 '"target":"switchboard"' \
    | sed 's/.*"messageBytes":\([0-9]*\).*/\1/')
  for cell in ${cells//,/ }; do
    say "floor probe: ${cell%x*} sockets at ${cell#*x} events/s, ${bytes:-390}-byte messages"
    timeout 300 taskset -c "$server_cpus" bench/floor/floor --sockets "${cell%x*}" --rate "${cell#*x}" \
      --bytes "${bytes:-390}" --warmup "$warmup" --seconds "$seconds" --rounds "$rounds" \
      --reader-cpu "$(first_cpu "$generator_cpus")" >>"$out/results.jsonl" || true
  done
fi

if has idle; then
  for n in ${idle_counts//,/ }; do
    for target in switchboard socketio; do
      # heartbeats every 10 s on both, so the 12 s hold sees at least one round of them
      if [[ $target == switchboard ]]; then start_switchboard 10; else start_socketio 10000; fi
      say "idle $target: $n connections"
      gen idle --target "$target" --port "$(port_of $target)" --server-pid "$server_pid" --connections "$n" \
        --per-process 10000 --hold 12 || true
      stop_server
    done
  done
fi

if has heartbeat; then
  # What liveness costs (issue #20): 10,000 idle WebSockets held for 30 s (after 20 s to let the JIT settle) at each
  # SB_HEARTBEAT_SEC, each socket also sending {"type":"ping"} every interval as the JavaScript client does on a
  # quiet socket; Socket.IO beside it at its default ping interval (25 s) and at the shortest value compared here.
  for round in $(seq "$rounds"); do
    for hb in ${heartbeats//,/ }; do
      start_switchboard "$hb"
      say "heartbeat: round $round, SB_HEARTBEAT_SEC=$hb, 10000 idle connections pinging every $hb s"
      gen idle --target switchboard --port "$sb_port" --server-pid "$server_pid" --connections 10000 \
        --per-process 10000 --settle 20 --hold 30 --client-ping-sec "$hb" --label "heartbeat $hb s" || true
      stop_server
    done
    for ping_ms in 25000 $(( ${heartbeats##*,} * 1000 )); do
      start_socketio "$ping_ms"
      say "heartbeat: round $round, Socket.IO pingInterval $ping_ms ms, 10000 idle connections"
      gen idle --target socketio --port "$sio_port" --server-pid "$server_pid" --connections 10000 \
        --per-process 10000 --settle 20 --hold 30 --label "socket.io ping $((ping_ms / 1000)) s" || true
      stop_server
    done
  done
fi

if has storm; then
  # Issue #20: clients retrying every 250-500 ms (fixed), and clients behaving as the JavaScript client does (client)
  for round in $(seq "$rounds"); do
    for policy in fixed client; do
      start_switchboard
      say "reconnect storm, round $round, $policy retries: SIGKILL and restart under $storm_subscribers subscribers"
      gen storm --port "$sb_port" --server-pid "$server_pid" --subscribers "$storm_subscribers" --sessions 10 \
        --rate 50 --warmup 5 --policy "$policy" --restart-cmd "bench/start-switchboard.sh $server_data $sb_port \
          $out/switchboard.log | tee $out/restarted.pid" || true
      [[ -s $out/restarted.pid ]] && server_pid=$(cat "$out/restarted.pid") && started+=("$server_pid")
      stop_server
      rm -f "$out/restarted.pid"
    done
  done
fi

if has append; then
  for batch in 1000 1; do
    start_switchboard 30 "$batch"
    say "append: embedded store, at most $batch appends per commit"
    gen append --port "$sb_port" --server-pid "$server_pid" --connections 8 --inflight 32 --warmup 5 \
      --seconds "$seconds" --label "$([[ $batch == 1 ]] && echo 'off (1 per commit)' || echo "on (up to $batch)")" \
      || true
    stop_server
  done
fi

if has loops; then
  for n in ${loops_list//,/ }; do
    start_switchboard 30 "" "$loops_cpus" "$n"
    prewarm_server switchboard
    for cell in 2000x10 500x150; do
      say "loops: switchboard on $n event loops (CPUs $loops_cpus), ${cell%x*} subscribers at ${cell#*x} events/s"
      gen fanout --target switchboard --port "$sb_port" --server-pid "$server_pid" --subscribers "${cell%x*}" \
        --rates "${cell#*x}" --warmup "$warmup" --seconds "$seconds" --rounds "$rounds" --edge-loops "$n" || true
    done
    say "loops: one event's fan-out to 2000 subscribers on $n event loops"
    read -r count0 sum0 < <(fanout_metric)
    gen fanout --target switchboard --port "$sb_port" --server-pid "$server_pid" --subscribers 2000 --rates 2 \
      --warmup 2 --seconds $((seconds * rounds)) --edge-loops "$n" || true
    read -r count1 sum1 < <(fanout_metric)
    awk -v n="$n" -v c0="$count0" -v s0="$sum0" -v c1="$count1" -v s1="$sum1" 'BEGIN {
      c = c1 - c0; printf "{\"scenario\":\"loops-fanout\",\"target\":\"switchboard\",\"edgeLoops\":%d,", n;
      printf "\"subscribers\":2000,\"rate\":2,\"events\":%d,\"meanFanoutMs\":%.3f}\n", c, (c > 0 ? 1000 * (s1 - s0) / c : 0)
    }' >>"$out/results.jsonl"
    stop_server
  done
  start_socketio 25000 "$loops_cpus"
  prewarm_server socketio
  for cell in 2000x10 500x150; do
    say "loops: socketio (CPUs $loops_cpus), ${cell%x*} subscribers at ${cell#*x} events/s"
    gen fanout --target socketio --port "$sio_port" --server-pid "$server_pid" --subscribers "${cell%x*}" \
      --rates "${cell#*x}" --warmup "$warmup" --seconds "$seconds" --rounds "$rounds" --edge-loops 0 || true
  done
  stop_server
fi


if has metrics; then
  for metrics in true false; do
    start_switchboard 30 "" "" "" "$metrics"
    prewarm_server switchboard
    for cell in 500x150 2000x10; do
      say "metrics: SB_METRICS=$metrics, ${cell%x*} subscribers at ${cell#*x} events/s, 5 rounds"
      gen fanout --target switchboard --port "$sb_port" --server-pid "$server_pid" --subscribers "${cell%x*}" \
        --rates "${cell#*x}" --warmup "$warmup" --seconds "$seconds" --rounds 5 --metrics "$metrics" || true
    done
    stop_server
  done
fi

if has hooks; then
  hook_port=$((sb_port + 7))
  (exec setsid taskset -c "$generator_cpus" node bench/hooks/allow.mjs "$hook_port" >>"$out/hook.log" 2>&1 </dev/null) &
  started+=("$!")
  wait_http "http://127.0.0.1:$hook_port/health"
  printf '{"SB_HOOK_SECRET":"%s","namespaces":{"hooked":{"hooks":{"publish":{"url":"%s","maxConcurrent":512}}}}}\n' \
    "switchboard-benchmark-hook-secret-0123456789" "http://127.0.0.1:$hook_port/hook" >"$out/hooks-config.json"
  SB_BENCH_CONFIG=$out/hooks-config.json start_switchboard
  for round in $(seq "$rounds"); do
    for namespace in plain hooked; do
      label=$([[ $namespace == hooked ]] && echo 'publish hook on' || echo 'publish hook off')
      say "hooks: round $round, publishes to namespace $namespace ($label)"
      gen append --port "$sb_port" --server-pid "$server_pid" --connections 8 --inflight 32 --warmup 3 \
        --seconds "$seconds" --namespace "$namespace" --label "$label" || true
    done
  done
  stop_server
fi

if has txpublish; then
  pg_db=sb_bench_$stamp pg_db=${pg_db,,}
  if psql "$pg_url/postgres" -qc "CREATE DATABASE $pg_db" >>"$log" 2>&1; then
    SB_PG_URL=$pg_url/$pg_db start_switchboard
    pg_host=${pg_url#*@} pg_user=${pg_url#postgresql://} pg_user=${pg_user%@*}
    say "txpublish: 8 application connections committing sb_publish, then 8 REST publishers (PostgreSQL)"
    gen txpublish --port "$sb_port" --server-pid "$server_pid" --connections 8 --warmup "$warmup" \
      --seconds "$seconds" --rounds "$rounds" --jdbc-url "jdbc:postgresql://$pg_host/$pg_db?user=$pg_user" || true
    stop_server
    psql "$pg_url/postgres" -qc "DROP DATABASE $pg_db WITH (FORCE)" >>"$log" 2>&1 || true
  else
    say "txpublish: skipped, no PostgreSQL at $pg_url"
  fi
fi

sed -i "s/}\$/, \"loadAverageAtEnd\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}/" "$out/meta.json"
java -jar "$jar" report --results "$out" 2>>"$log"
say "done: $out/results.md"
