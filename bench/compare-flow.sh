#!/usr/bin/env bash
# The stream path beside the Tell path in one run: Akka.Couchbase.Bench --mode flow (the KV flows of
# Akka.Couchbase.Streams) and --mode tell, taking turns, at the same concurrency against one memcached, for three
# workloads: gets only (CouchbaseFlow.Get), upserts only (CouchbaseFlow.Upsert), and the 90/10 mix (CouchbaseFlow.Send).
# Each mode's best run of --rounds counts (the median is printed beside it: on a shared machine one run of a mode
# can be 30% off). Prints each run, one line per workload, then last:
#   ratio flow/tell get=X upsert=Y mix=Z
# The target is flow/tell >= 0.8 for each (best against best).
#
# Usage: bench/compare-flow.sh [--server host:port] [--duration SECONDS] [--concurrency N] [--rounds N] [--no-build]
#
# Without --server it starts `memcached -t 1 -p PORT -U 0 -l 127.0.0.1 -m 1024` on a free port and stops it on exit.
# It installs nothing: memcached must be on the PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$here/Akka.Couchbase.Bench"
bench_bin="$project/bin/Release/net10.0/Akka.Couchbase.Bench"

server=""
duration=10
concurrency=32
rounds=2
build=1

die() { echo "compare-flow: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --server) server="${2:?--server needs host:port}"; shift 2 ;;
    --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
    --concurrency) concurrency="${2:?--concurrency needs a number}"; shift 2 ;;
    --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$duration" =~ ^[0-9]+$ ]] || die "--duration must be a whole number of seconds"
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -ge 1 ]] || die "--rounds must be a whole number of at least 1"
keys=$((concurrency * 1024))

if [[ -z "$server" ]]; then
  command -v memcached >/dev/null 2>&1 || die "memcached not found: install the Debian/Ubuntu package memcached (apt-get install memcached), or pass --server host:port"
fi
command -v dotnet >/dev/null 2>&1 || die "dotnet not found: the .NET 10 SDK is needed to build bench/Akka.Couchbase.Bench"

work="$(mktemp -d "${TMPDIR:-/tmp}/compare-flow.XXXXXX")"
memcached_pid=""
cleanup() {
  if [[ -n "$memcached_pid" ]] && kill -0 "$memcached_pid" 2>/dev/null; then
    kill "$memcached_pid" 2>/dev/null || true
    wait "$memcached_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [[ "$build" -eq 1 ]]; then
  echo "building $project (Release)..." >&2
  dotnet build "$project" -c Release --nologo -v quiet >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; die "build failed"; }
fi
[[ -x "$bench_bin" ]] || die "$bench_bin is missing (build it, or drop --no-build)"

if [[ -z "$server" ]]; then
  port=""
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    port_in_use "$candidate" || { port="$candidate"; break; }
  done
  [[ -n "$port" ]] || die "found no free port for memcached"
  user_args=()
  [[ "$(id -u)" -eq 0 ]] && user_args=(-u nobody) # memcached refuses to run as root without -u
  memcached "${user_args[@]}" -t 1 -p "$port" -U 0 -l 127.0.0.1 -m 1024 >"$work/memcached.log" 2>&1 &
  memcached_pid=$!
  for _ in $(seq 1 100); do
    port_in_use "$port" && break
    kill -0 "$memcached_pid" 2>/dev/null || { cat "$work/memcached.log" >&2; die "memcached exited at start"; }
    sleep 0.05
  done
  port_in_use "$port" || die "memcached did not listen on 127.0.0.1:$port"
  server="127.0.0.1:$port"
  echo "started memcached (pid $memcached_pid) on $server: one worker thread" >&2
fi

field() { sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p" <<<"$1"; }
populate=()

run() { # name mode set_ratio: runs the tool once, prints its report prefixed with the name, echoes nothing else
  local name="$1" mode="$2" ratio="$3" rc=0
  echo "running Akka.Couchbase.Bench --mode $mode --set-ratio $ratio" >&2
  "$bench_bin" --servers "$server" --bucket-type memcached --mode "$mode" --duration "$duration" \
    --concurrency "$concurrency" --value-size 1024 --keys "$keys" --set-ratio "$ratio" "${populate[@]}" \
    --json >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  if [[ "$rc" -ne 0 && "$rc" -ne 3 ]]; then
    cat "$work/$name.out" "$work/$name.err" >&2
    die "Akka.Couchbase.Bench --mode $mode --set-ratio $ratio failed (exit code $rc)"
  fi
  populate=(--no-populate) # the key space is written once, by the first run
  tail -n 1 "$work/$name.out" >"$work/$name.json"
  grep -q '^{' "$work/$name.json" || { cat "$work/$name.out" "$work/$name.err" >&2; die "no JSON line from --mode $mode"; }
  sed '$d' "$work/$name.out" | sed "s/^/$name: /"
}

echo "workload: concurrency $concurrency, ${duration}s per run, 1024-byte values, $keys keys, $rounds rounds" >&2
declare -A best runs
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
summary=""
for workload in get:0 upsert:1 mix:0.1; do
  name="${workload%%:*}" ratio="${workload#*:}"
  best["$name-tell"]=0 best["$name-flow"]=0 runs["$name-tell"]="" runs["$name-flow"]=""
  for round in $(seq 1 "$rounds"); do
    for mode in tell flow; do
      run "$name-$mode-$round" "$mode" "$ratio"
      ops=$(field "$(cat "$work/$name-$mode-$round.json")" ops_per_sec)
      errors=$(field "$(cat "$work/$name-$mode-$round.json")" errors)
      echo "$name-$mode-$round: $ops ops/s, $errors errors" >&2
      runs["$name-$mode"]="${runs[$name-$mode]} $ops"
      best["$name-$mode"]=$(awk -v a="${best[$name-$mode]}" -v b="$ops" 'BEGIN{print (b>a)?b:a}')
    done
  done
  ratio_value=$(awk -v f="${best[$name-flow]}" -v t="${best[$name-tell]}" 'BEGIN{printf "%.2f", f/t}')
  median_tell=$(median <<<"${runs[$name-tell]}") median_flow=$(median <<<"${runs[$name-flow]}")
  median_ratio=$(awk -v f="$median_flow" -v t="$median_tell" 'BEGIN{printf "%.2f", f/t}')
  echo "$name (set ratio $ratio): best tell ${best[$name-tell]} ops/s, flow ${best[$name-flow]} ops/s, flow/tell $ratio_value (target >= 0.8); median tell $median_tell, flow $median_flow, flow/tell $median_ratio"
  summary="$summary $name=$ratio_value"
done
echo "ratio flow/tell$summary"
