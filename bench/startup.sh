#!/usr/bin/env bash
# How long a node takes to start, with and without a class data sharing archive (issue #20): a training run
# (java -XX:ArchiveClassesAtExit=... -jar switchboard.jar --exit-when-ready) writes the archive, then plain starts and
# starts with -XX:SharedArchiveFile take turns; each is timed from exec to the first 200 of /ready, with the CPU the
# process used until then, on a fresh data directory. Medians of --rounds (default 5).
#
#   bench/startup.sh [--rounds 5] [--port 18777] [--no-build]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=5 port=18777 build=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done
if (( build )); then
  mvn -B -q -o package -DskipTests -pl server -am || mvn -B -q package -DskipTests -pl server -am
fi
jar=$root/server/target/switchboard.jar
out=$root/bench/results/startup-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
archive=$out/switchboard.jsa
export SB_JWT_SECRET=startup-benchmark-secret-startup-benchmark SB_HTTP_HOST=127.0.0.1 SB_HTTP_PORT=$port

# One start: prints "<ms to ready> <cpu ms to ready>".
start() {
  local data; data=$(mktemp -d)
  local t0; t0=$(date +%s%N)
  SB_DATA_DIR=$data java "$@" -jar "$jar" >>"$out/nodes.log" 2>&1 &
  local pid=$!
  until curl -sf "http://127.0.0.1:$port/ready" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "the node exited; see $out/nodes.log" >&2; exit 1; }
    sleep 0.02
  done
  local t1; t1=$(date +%s%N)
  local ticks; ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  echo "$(( (t1 - t0) / 1000000 )) $(( ticks * 1000 / $(getconf CLK_TCK) ))"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}

echo "== training run: $archive"
SB_DATA_DIR=$(mktemp -d) java -XX:ArchiveClassesAtExit="$archive" -jar "$jar" --exit-when-ready >>"$out/nodes.log" 2>&1
ls -l "$archive"
: >"$out/rounds.txt"
for round in $(seq "$rounds"); do
  plain=$(start) cds=$(start -XX:SharedArchiveFile="$archive")
  echo "round $round: plain $plain, archive $cds (ms to ready, cpu ms)" | tee -a "$out/rounds.txt"
  echo "plain $plain" >>"$out/samples.txt"
  echo "cds $cds" >>"$out/samples.txt"
done
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
{
  echo "| start | ms to ready (median of $rounds) | CPU ms to ready |"
  echo "|---|---|---|"
  for kind in plain cds; do
    echo "| $kind | $(awk -v k=$kind '$1 == k {print $2}' "$out/samples.txt" | median) |" \
      "$(awk -v k=$kind '$1 == k {print $3}' "$out/samples.txt" | median) |"
  done
  echo
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg), archive $(du -h "$archive" | cut -f1), $(java -version 2>&1 | head -1)"
} | tee "$out/results.md"
