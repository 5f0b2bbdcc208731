#!/usr/bin/env bash
# The two plain transports side by side: Akka.Couchbase.Bench with akka.couchbase.transport = akka-io (Akka.IO's
# TCP, the default) and = socket (the client's own socket), in turns, against one `memcached -t 1`, 90% gets / 10%
# sets, 1 KiB values, at each in-flight count, tell and task modes. Prints every run and, per in-flight count and
# mode, the best ops/s of each transport, their ratio socket/akka-io, p50 and CPU per operation.
#
# Usage: bench/compare-transports.sh [--in-flight "1 4 8 32"] [--modes "tell task"] [--rounds N] [--duration S]
#                                    [--lock FILE] [--no-build]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$here/Akka.Couchbase.Bench"
bench_bin="$project/bin/Release/net10.0/Akka.Couchbase.Bench"
in_flight="1 4 8 32"
modes="tell task"
rounds=2
duration=5
lock=""
build=1

die() { echo "compare-transports: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --in-flight) in_flight="${2:?--in-flight needs a list of numbers}"; shift 2 ;;
    --modes) modes="${2:?--modes needs a list}"; shift 2 ;;
    --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
    --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
    --lock) lock="${2:?--lock needs a file}"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -ge 1 ]] || die "--rounds must be a whole number of at least 1"
[[ "$duration" =~ ^[0-9]+$ && "$duration" -ge 1 ]] || die "--duration must be a whole number of seconds"
for n in $in_flight; do [[ "$n" =~ ^[0-9]+$ && "$n" -ge 1 ]] || die "--in-flight: '$n' is not a positive number"; done
for m in $modes; do [[ "$m" == tell || "$m" == task ]] || die "--modes: '$m' is neither tell nor task"; done
command -v memcached >/dev/null 2>&1 || die "memcached is not installed (Debian: apt-get install memcached)"

if [[ "$build" -eq 1 ]]; then dotnet build "$project" -c Release -nologo -v quiet >&2 || die "build failed"; fi
[[ -x "$bench_bin" ]] || die "$bench_bin is missing (build it, or drop --no-build)"

work="$(mktemp -d)"
port=$(( 20000 + RANDOM % 20000 ))
memcached -u nobody -p "$port" -U 0 -l 127.0.0.1 -t 1 -m 1024 &
memcached_pid=$!
trap 'kill "$memcached_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 0.5
kill -0 "$memcached_pid" 2>/dev/null || die "memcached did not start on port $port"

locked() { if [[ -n "$lock" ]]; then flock "$lock" "$@"; else "$@"; fi; }
field() { sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p" <<<"$1"; }

echo "compare-transports: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown), ${duration} s per run, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for n in $in_flight; do
    for m in $modes; do
      for t in akka-io socket; do
        json="$(locked "$bench_bin" --servers "127.0.0.1:$port" --bucket-type memcached --mode "$m" --concurrency "$n" \
          --keys $(( n * 1024 )) --duration "$duration" --warmup 2 --hocon "akka.couchbase.transport = $t" --json 2>"$work/err" | tail -n 1)" \
          || { cat "$work/err" >&2; die "the tool failed ($m, $n in flight, $t)"; }
        [[ "$json" == "{"* ]] || { cat "$work/err" >&2; die "no JSON line ($m, $n in flight, $t)"; }
        row="$(field "$json" ops_per_sec) $(field "$json" p50_us) $(field "$json" cpu_us_per_op) $(field "$json" alloc_bytes_per_op)"
        echo "$n $m $t $row" >>"$work/runs"
        echo "run: $n in flight, $m, $t: ops/s p50_us cpu_us/op alloc_B/op = $row"
      done
    done
  done
done

echo
echo "| in flight | mode | akka-io ops/s | socket ops/s | socket/akka-io | p50 µs akka-io / socket | cpu µs/op akka-io / socket |"
echo "|---:|---|---:|---:|---:|---|---|"
for n in $in_flight; do
  for m in $modes; do
    a="$(awk -v n="$n" -v m="$m" '$1 == n && $2 == m && $3 == "akka-io"' "$work/runs" | sort -k4,4nr | head -n 1)"
    s="$(awk -v n="$n" -v m="$m" '$1 == n && $2 == m && $3 == "socket"' "$work/runs" | sort -k4,4nr | head -n 1)"
    awk -v a="$a" -v s="$s" -v n="$n" -v m="$m" 'BEGIN { split(a, x, " "); split(s, y, " ")
      printf "| %s | %s | %d | %d | %.2f | %.0f / %.0f | %.2f / %.2f |\n", n, m, x[4], y[4], (x[4] > 0 ? y[4] / x[4] : 0), x[5], y[5], x[6], y[6] }'
  done
done
