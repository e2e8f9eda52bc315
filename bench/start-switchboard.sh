#!/usr/bin/env bash
# Starts a Switchboard node for the benchmarks on core 0 (or $SB_BENCH_CPU), detached, and prints its pid.
# usage: bench/start-switchboard.sh DATA_DIR PORT LOG_FILE
# The same data directory and JWT secret make a restarted node serve the same events and accept the same tokens
# (the reconnect storm). Limits meant for the open internet are lifted the way a load test behind one address needs:
# no per-user publish limit, and all clients come from 127.0.0.x instead of thousands of addresses.
# SB_BENCH_LIMITS=node keeps the node's own limits instead, lifting only the per-user publish limit (a steady
# publisher of 50 events/s is far over it): the abuse benchmark (bench/abuse.sh) measures those limits at work.
# SB_BENCH_CONFIG names a configuration file (--config) for the node: namespaces and hooks.
set -euo pipefail
data=$1 port=$2 log=$3
root=$(cd "$(dirname "$0")/.." && pwd)
limits=(SB_PUBLISH_RATE=0)
if [[ ${SB_BENCH_LIMITS:-lifted} != node ]]; then
  limits+=(SB_MAX_FRAMES_PER_SEC=1000000 SB_MAX_INBOUND_BYTES_PER_SEC=1000000000 SB_MAX_CONNECTIONS_PER_IP=100000
    SB_HANDSHAKES_PER_SEC=1000000)
fi
env "${limits[@]}" \
SB_JWT_SECRET=${SB_JWT_SECRET:-switchboard-benchmark-secret-not-for-production} \
SB_DEV_TOKENS=true \
SB_DATA_DIR="$data" \
SB_HEARTBEAT_SEC=${SB_HEARTBEAT_SEC:-30} \
  setsid taskset -c "${SB_BENCH_CPU:-0}" java ${SB_BENCH_JAVA_OPTS:-} -jar "$root/server/target/switchboard.jar" \
  --port "$port" ${SB_BENCH_CONFIG:+--config "$SB_BENCH_CONFIG"} >>"$log" 2>&1 </dev/null &
echo $!
