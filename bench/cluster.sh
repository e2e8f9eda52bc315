#!/usr/bin/env bash
# A local Switchboard cluster for developers: N processes on 127.0.0.1, one Hazelcast cluster, one PostgreSQL database.
#
#   bench/cluster.sh [--nodes 3] [--base-port 8081] [--pg-url URL] [--redis-url URL|none] [--roles R1;R2;...] [--dir DIR]
#   bench/cluster.sh stop [--dir DIR]
#
# Node i (from 1) serves HTTP on base-port+i-1 and Hazelcast on 5801+i-1. --roles gives each node's roles in order,
# separated by ';' (e.g. "edge,auth,presence,persistence;edge,auth,persistence;edge,auth"); the default is every role
# everywhere. Logs and pids go to --dir (default /tmp/switchboard-cluster). The script waits until every node's /ready
# answers 200, prints the endpoints and a dev token, and leaves the nodes running; Ctrl-C while it waits, or
# `bench/cluster.sh stop`, stops them (SIGTERM: each drains and leaves the cluster).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
nodes=3
base_port=8081
hazelcast_base=5801
pg_url=postgresql://postgres@127.0.0.1:5432/switchboard_dev
redis_url=redis://127.0.0.1:6379
roles=""
dir=/tmp/switchboard-cluster
action=start
secret=${SB_JWT_SECRET:-local-cluster-secret-local-cluster-secret}

while [ $# -gt 0 ]; do
  case "$1" in
    stop) action=stop ;;
    --nodes) nodes=$2; shift ;;
    --base-port) base_port=$2; shift ;;
    --pg-url) pg_url=$2; shift ;;
    --redis-url) redis_url=$2; shift ;;
    --roles) roles=$2; shift ;;
    --dir) dir=$2; shift ;;
    *) echo "unknown argument $1 (see the top of $0)" >&2; exit 2 ;;
  esac
  shift
done

stop_all() {
  for pidfile in "$dir"/node-*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pidfile in "$dir"/node-*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    for _ in $(seq 1 250); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "$action" = stop ]; then
  stop_all
  echo "stopped"
  exit 0
fi

mkdir -p "$dir"
if [ -n "$(ls "$dir"/node-*.pid 2>/dev/null)" ]; then
  echo "a cluster seems to run already (pids in $dir); run: $0 stop --dir $dir" >&2
  exit 1
fi
jar=$root/server/target/switchboard.jar
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -pl server -am package -DskipTests)
fi

# The database: created when it does not exist (trust auth on the local PostgreSQL).
db=${pg_url##*/}; db=${db%%\?*}
admin_url=${pg_url%/*}/postgres
if command -v psql >/dev/null; then
  if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
    psql "$admin_url" -qc "CREATE DATABASE \"$db\""
  fi
fi

members=""
for i in $(seq 1 "$nodes"); do
  members="$members${members:+,}127.0.0.1:$((hazelcast_base + i - 1))"
done
IFS=';' read -r -a role_list <<<"$roles"
cluster_name=local-$(date +%s)

trap 'echo; echo "stopping"; stop_all; exit 130' INT TERM
for i in $(seq 1 "$nodes"); do
  node_roles=${role_list[$((i - 1))]:-edge,auth,presence,persistence}
  env SB_CLUSTER=true SB_CLUSTER_NAME="$cluster_name" SB_CLUSTER_MEMBERS="$members" \
    SB_CLUSTER_PORT=$((hazelcast_base + i - 1)) SB_HTTP_HOST=127.0.0.1 SB_HTTP_PORT=$((base_port + i - 1)) \
    SB_PG_URL="$pg_url" SB_JWT_SECRET="$secret" SB_DEV_TOKENS=true SB_NODE_ID="node-$i" SB_ROLES="$node_roles" \
    $( [ "$redis_url" != none ] && echo "SB_REDIS_URL=$redis_url" ) \
    setsid java ${SB_JAVA_OPTS:-} -jar "$jar" >"$dir/node-$i.log" 2>&1 </dev/null &
  echo $! >"$dir/node-$i.pid"
done

for i in $(seq 1 "$nodes"); do
  port=$((base_port + i - 1))
  for _ in $(seq 1 600); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")" = 200 ]; then break; fi
    if ! kill -0 "$(cat "$dir/node-$i.pid")" 2>/dev/null; then
      echo "node $i exited; see $dir/node-$i.log" >&2; stop_all; exit 1
    fi
    sleep 0.2
  done
done
trap - INT TERM

token=$(curl -s -X POST "http://127.0.0.1:$base_port/dev/token" -H 'Content-Type: application/json' \
  -d '{"sub":"dev","sessions":["*"],"publish":["*"]}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
echo "cluster '$cluster_name' ready: $nodes nodes, logs in $dir"
for i in $(seq 1 "$nodes"); do
  echo "  node $i: http://127.0.0.1:$((base_port + i - 1))  roles ${role_list[$((i - 1))]:-all}  pid $(cat "$dir/node-$i.pid")"
done
echo "dev token: $token"
echo "stop with: $0 stop --dir $dir"
