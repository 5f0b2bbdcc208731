#!/usr/bin/env bash
# Side-by-side throughput of memaslap (libmemcached's load generator, C) and Akka.Couchbase.Bench (Tell and Ask
# paths) on the same workload against one memcached: binary protocol, 32 commands in flight, 90% gets / 10% sets,
# 1 KiB values. Prints each tool's figures, then one last line:
#   ratio tell/memaslap=X ask/tell=Y
#
# Usage: bench/compare-memcached.sh [--server host:port] [--duration SECONDS] [--concurrency N]
#                                    [--memaslap-threads T] [--with-task] [--no-build]
#
# Without --server it starts `memcached -t 1 -p PORT -U 0 -l 127.0.0.1 -m 1024` (one worker thread) on a free
# port and stops it on exit. It installs nothing: memcached and memcaslap/memaslap must be on the PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
project="$here/Akka.Couchbase.Bench"
bench_bin="$project/bin/Release/net10.0/Akka.Couchbase.Bench"

server=""
duration=10
concurrency=32
value_size=1024
set_ratio=0.1
memaslap_threads=2
window_k=1 # memaslap task window per connection, in units of 1024 keys; both tools use concurrency * window keys
with_task=0
build=1

die() { echo "compare-memcached: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --server) server="${2:?--server needs host:port}"; shift 2 ;;
    --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
    --concurrency) concurrency="${2:?--concurrency needs a number}"; shift 2 ;;
    --memaslap-threads) memaslap_threads="${2:?--memaslap-threads needs a number}"; shift 2 ;;
    --with-task) with_task=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$duration" =~ ^[0-9]+$ ]] || die "--duration must be a whole number of seconds"
keys=$((concurrency * window_k * 1024))

# --- what must already be installed -------------------------------------------------------------------------
memaslap=""
for candidate in memcaslap memaslap; do
  if command -v "$candidate" >/dev/null 2>&1; then memaslap="$(command -v "$candidate")"; break; fi
done
[[ -n "$memaslap" ]] || die "memcaslap (memaslap) not found: install the Debian/Ubuntu package libmemcached-tools (apt-get install libmemcached-tools)"
if [[ -z "$server" ]]; then
  command -v memcached >/dev/null 2>&1 || die "memcached not found: install the Debian/Ubuntu package memcached (apt-get install memcached), or pass --server host:port"
fi
command -v dotnet >/dev/null 2>&1 || die "dotnet not found: the .NET 10 SDK is needed to build bench/Akka.Couchbase.Bench"

# --- cleanup of whatever this script starts ---------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/compare-memcached.XXXXXX")"
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

# --- build -------------------------------------------------------------------------------------------------
if [[ "$build" -eq 1 ]]; then
  echo "building $project (Release)..." >&2
  dotnet build "$project" -c Release --nologo -v quiet >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; die "build failed"; }
fi
[[ -x "$bench_bin" ]] || die "$bench_bin is missing (build it, or drop --no-build)"

# --- memcached ---------------------------------------------------------------------------------------------
if [[ -z "$server" ]]; then
  port=""
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! port_in_use "$candidate"; then port="$candidate"; break; fi
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
  echo "started memcached (pid $memcached_pid) on $server: one worker thread, 1024 MB" >&2
fi

echo "workload: binary protocol, concurrency $concurrency, ${duration}s, set ratio $set_ratio, ${value_size}-byte values, $keys keys" >&2

# --- memaslap ----------------------------------------------------------------------------------------------
# memaslap has no ratio option: the get/set mix, key and value sizes come from a configuration file
# (set = command 0, get = command 1). Keys are 16 bytes, its shortest; ours ("bench:<i>") are 7 to 11.
cat >"$work/memaslap.cfg" <<EOF
key
16 16 1
value
$value_size $value_size 1
cmd
0 $set_ratio
1 $(awk -v r="$set_ratio" 'BEGIN { printf "%.4f", 1 - r }')
EOF
echo "running $(basename "$memaslap") -s $server -B -T $memaslap_threads -c $concurrency -t ${duration}s -w ${window_k}k -F <cfg>" >&2
"$memaslap" -s "$server" -B -T "$memaslap_threads" -c "$concurrency" -t "${duration}s" -S "${duration}s" \
  -w "${window_k}k" -F "$work/memaslap.cfg" >"$work/memaslap.out" 2>&1 \
  || { cat "$work/memaslap.out" >&2; die "memaslap failed"; }
memaslap_tps="$(sed -n 's/^Run time: .* TPS: \([0-9][0-9]*\).*/\1/p' "$work/memaslap.out" | tail -n 1)"
[[ -n "$memaslap_tps" ]] || { cat "$work/memaslap.out" >&2; die "could not read TPS from memaslap's output"; }
# Percentiles from memaslap's log2 latency histogram (Total Statistics): only the power-of-two range is known.
memaslap_latency="$(awk '
  /^Total Statistics \(/ { total = 1; next }
  total && /Avg:/ { avg = $2 }
  total && /^ *[0-9]+:/ { base = $1 + 0; for (i = 2; i <= NF; i++) { n[base + i - 2] = $i; sum += $i; if (base + i - 2 > top) top = base + i - 2 } }
  total && /^$/ && sum > 0 { total = 0 }
  function pct(p,   c, b, want) { want = p * sum; c = 0; for (b = 0; b <= top; b++) { c += n[b]; if (c >= want) return sprintf("%d-%d", 2 ^ b, 2 ^ (b + 1)) } return "?" }
  END { if (sum > 0) printf "avg %s us, p50 in [%s) us, p99 in [%s) us", avg, pct(0.5), pct(0.99) }
' "$work/memaslap.out")"
echo "memaslap: $(grep '^Run time:' "$work/memaslap.out" | tail -n 1)"
echo "memaslap: ${memaslap_latency:-latency not reported}"

# --- Akka.Couchbase.Bench ----------------------------------------------------------------------------------
field() { sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p" <<<"$1"; }

run_bench() { # mode: runs the tool, prints its report (prefixed with the mode), keeps the JSON line in $work/mode.json
  local mode="$1" rc=0
  echo "running Akka.Couchbase.Bench --mode $mode" >&2
  "$bench_bin" --servers "$server" --bucket-type memcached --mode "$mode" --duration "$duration" \
    --concurrency "$concurrency" --value-size "$value_size" --set-ratio "$set_ratio" --keys "$keys" \
    --json >"$work/$mode.out" 2>"$work/$mode.err" || rc=$?
  # Exit code 3 means the run finished but counted errors: they are in the report.
  if [[ "$rc" -ne 0 && "$rc" -ne 3 ]]; then
    cat "$work/$mode.out" "$work/$mode.err" >&2
    die "Akka.Couchbase.Bench --mode $mode failed (exit code $rc)"
  fi
  tail -n 1 "$work/$mode.out" >"$work/$mode.json"
  grep -q '^{' "$work/$mode.json" || { cat "$work/$mode.out" "$work/$mode.err" >&2; die "no JSON line from --mode $mode"; }
  sed '$d' "$work/$mode.out" | sed "s/^/$mode: /"
}

run_bench tell
run_bench ask
[[ "$with_task" -eq 0 ]] || run_bench task
tell_json="$(cat "$work/tell.json")"
ask_json="$(cat "$work/ask.json")"

summary() { # mode json
  echo "$1: ops/s $(field "$2" ops_per_sec)  p50 $(field "$2" p50_us) us  p90 $(field "$2" p90_us) us  p99 $(field "$2" p99_us) us  alloc/op $(field "$2" alloc_bytes_per_op) B  errors $(field "$2" errors)"
}
summary tell "$tell_json"
summary ask "$ask_json"
[[ "$with_task" -eq 0 ]] || summary task "$(cat "$work/task.json")"

tell_ops="$(field "$tell_json" ops_per_sec)"
ask_ops="$(field "$ask_json" ops_per_sec)"
awk -v t="$tell_ops" -v a="$ask_ops" -v m="$memaslap_tps" \
  'BEGIN { printf "ratio tell/memaslap=%.2f ask/tell=%.2f\n", (m > 0 ? t / m : 0), (t > 0 ? a / t : 0) }'
