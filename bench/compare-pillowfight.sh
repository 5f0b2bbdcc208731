#!/usr/bin/env bash
# Client CPU per operation against Couchbase's own C client: cbc-pillowfight (libcouchbase's load generator) and
# Akka.Couchbase.Bench in tell and task modes, on the same workload against one in-process cluster
# (Akka.Couchbase.TestKit.Runner, one node, bucket "default"): 32 in flight (pillowfight: one thread, -B 32),
# 90% gets / 10% sets, 1 KiB values, 32768 keys. The clients take turns for --rounds rounds; each counts its best
# run. For every run it prints ops/s and the client's CPU µs per operation, measured the same way for each client:
# the client process's utime + stime from /proc/<pid>/stat over the timed window, divided by the operations it
# completed in that window. Last line:
#   ratio tell/pillowfight ops=X cpu=Y task/pillowfight ops=Z cpu=W
#
# Usage: bench/compare-pillowfight.sh [--tools DIR] [--rounds N] [--duration SECONDS] [--warmup SECONDS]
#                                     [--concurrency N] [--lock FILE] [--no-build] [--keep-logs DIR]
#                                     [--transport akka-io|socket]
#
# --tools DIR (or the environment variable LIBCOUCHBASE_TOOLS): a directory holding libcouchbase's tools, either
#   with a `run` wrapper (run cbc-pillowfight ...) or with bin/cbc-pillowfight. Without it the script looks for
#   cbc-pillowfight on the PATH; where none is found it says so and exits 0 (nothing was compared).
# --lock FILE: each run holds an exclusive flock on FILE, so other benchmarks on a shared machine never overlap it.
# --transport T: our tool's plain transport, akka.couchbase.transport (default akka-io; socket: the client's own).
#
# The windows: pillowfight prints a line each 10,000 operations; its operations in the window are the lines
# printed in it times 10,000, and the window is --duration seconds starting --warmup seconds after its start. Our
# tool prints `timed part: start` / `timed part: end` on stderr around its timed part and reports that part's
# operations; /proc is read when each marker appears (polled every 10 ms).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
project="$here/Akka.Couchbase.Bench"
bench_bin="$project/bin/Release/net10.0/Akka.Couchbase.Bench"
runner_project="$repo/src/Akka.Couchbase.TestKit.Runner"
runner_bin="$runner_project/bin/Release/net10.0/Akka.Couchbase.TestKit.Runner"
# shellcheck source=lib/runner.sh
. "$here/lib/runner.sh"

tools="${LIBCOUCHBASE_TOOLS:-}"
rounds=2
duration=10
warmup=3
concurrency=32
value_size=1024
set_pct=10
keys=32768
lock=""
build=1
keep_logs=""
transport=akka-io

die() { echo "compare-pillowfight: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --tools) tools="${2:?--tools needs a directory}"; shift 2 ;;
    --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
    --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
    --warmup) warmup="${2:?--warmup needs seconds}"; shift 2 ;;
    --concurrency) concurrency="${2:?--concurrency needs a number}"; shift 2 ;;
    --lock) lock="${2:?--lock needs a file}"; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep-logs) keep_logs="${2:?--keep-logs needs a directory}"; shift 2 ;;
    --transport) transport="${2:?--transport needs akka-io or socket}"; shift 2 ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$transport" == akka-io || "$transport" == socket ]] || die "--transport must be akka-io or socket, not '$transport'"
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -ge 1 ]] || die "--rounds must be a whole number of at least 1"
[[ "$duration" =~ ^[0-9]+$ && "$duration" -ge 1 ]] || die "--duration must be a whole number of seconds"
[[ "$warmup" =~ ^[0-9]+$ && "$warmup" -ge 1 ]] || die "--warmup must be a whole number of at least 1 second"
[[ "$concurrency" =~ ^[0-9]+$ && "$concurrency" -ge 1 ]] || die "--concurrency must be a positive number"

# --- cbc-pillowfight ---------------------------------------------------------------------------------------
pillowfight=()
if [[ -n "$tools" ]]; then
  if [[ -x "$tools/run" ]]; then pillowfight=("$tools/run" cbc-pillowfight)
  elif [[ -x "$tools/bin/cbc-pillowfight" ]]; then pillowfight=(env "LD_LIBRARY_PATH=$tools/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "LIBCOUCHBASE_PLUGIN_PATH=$tools/lib" "$tools/bin/cbc-pillowfight")
  elif [[ -x "$tools/cbc-pillowfight" ]]; then pillowfight=("$tools/cbc-pillowfight")
  fi
elif command -v cbc-pillowfight >/dev/null 2>&1; then
  pillowfight=("$(command -v cbc-pillowfight)")
fi
if [[ ${#pillowfight[@]} -eq 0 ]]; then
  echo "compare-pillowfight: SKIPPED: libcouchbase's cbc-pillowfight was not found (${tools:+not in '$tools'; }give its directory with --tools DIR or LIBCOUCHBASE_TOOLS, or put cbc-pillowfight on the PATH); nothing was compared" >&2
  exit 0
fi
"${pillowfight[@]}" --help >/dev/null 2>&1 || die "'${pillowfight[*]} --help' failed: the tools in '$tools' do not run on this machine"
command -v dotnet >/dev/null 2>&1 || die "dotnet not found: the .NET 10 SDK is needed to build the load tool and the runner"

# --- cleanup of whatever this script starts ---------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/compare-pillowfight.XXXXXX")"
runner_pid="" client_pid=""
cleanup() {
  if [[ -n "$client_pid" ]] && kill -0 "$client_pid" 2>/dev/null; then kill "$client_pid" 2>/dev/null || true; wait "$client_pid" 2>/dev/null || true; fi
  end_runner_work "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

lock_fd=""
take_lock() { if [[ -n "$lock" ]]; then exec {lock_fd}>>"$lock"; flock "$lock_fd"; fi; }
drop_lock() { if [[ -n "$lock_fd" ]]; then flock -u "$lock_fd"; exec {lock_fd}>&-; lock_fd=""; fi; }

build_runner_and "$work" "$project" "$bench_bin"

# --- the in-process cluster --------------------------------------------------------------------------------
start_runner "$work" --nodes 1 --bucket default
kv_port="$(ready_field kv)"
user="$(ready_field user)"
[[ -n "$kv_port" && -n "$user" ]] || die "could not read the KV port and user from the runner's ready line: $ready"
password=password
echo "started the in-process cluster (pid $runner_pid): KV on 127.0.0.1:$kv_port, bucket default" >&2

# --- measuring a client from outside -----------------------------------------------------------------------
ticks="$(getconf CLK_TCK)"
cpu_ticks() { # pid: utime + stime of the process (every thread), in clock ticks
  # Fields after the command name (which may hold spaces) start at field 3: utime is field 14, stime 15.
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
now() { date +%s.%N; }
wait_for_line() { # file pattern pid: polls every 10 ms until the file holds the pattern (or the process ended)
  while ! grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.01
  done
}
field() { sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p" <<<"$1"; }
spec="couchbase://127.0.0.1:$kv_port/default"
pf_args=(-U "$spec" -u "$user" -P "$password" -t 1 -B "$concurrency" -I "$keys" -m "$value_size" -M "$value_size" -r "$set_pct" -p pf:)

# Each run writes "ops_per_sec cpu_us_per_op sys_share" into $work/<name>.row.
run_pillowfight() { # name
  local name="$1" c0 c1 t0 t1 l0 l1
  echo "running cbc-pillowfight ${pf_args[*]/#$password/***} -n" >&2
  take_lock
  "${pillowfight[@]}" "${pf_args[@]}" -n >"$work/$name.out" 2>"$work/$name.err" &
  client_pid=$!
  # The run wrapper execs the binary, so the pid is pillowfight's own; check it is the process doing the work.
  sleep "$warmup"
  kill -0 "$client_pid" 2>/dev/null || { cat "$work/$name.err" >&2; die "cbc-pillowfight exited early"; }
  c0="$(cpu_ticks "$client_pid")" s0="$(sys_ticks "$client_pid")" l0="$(grep -c 'OPS/SEC' "$work/$name.err" || true)" t0="$(now)"
  sleep "$duration"
  c1="$(cpu_ticks "$client_pid")" s1="$(sys_ticks "$client_pid")" l1="$(grep -c 'OPS/SEC' "$work/$name.err" || true)" t1="$(now)"
  kill -INT "$client_pid" 2>/dev/null || true
  wait "$client_pid" 2>/dev/null || true
  client_pid=""
  drop_lock
  [[ "$l1" -gt "$l0" ]] || { cat "$work/$name.err" >&2; die "cbc-pillowfight reported no operations in its window"; }
  awk -v c="$((c1 - c0))" -v s="$((s1 - s0))" -v l="$((l1 - l0))" -v t0="$t0" -v t1="$t1" -v hz="$ticks" '
    BEGIN { ops = l * 10000; secs = t1 - t0; printf "%.0f %.3f %.2f\n", ops / secs, c / hz * 1e6 / ops, (c > 0 ? s / c : 0) }' >"$work/$name.row"
  echo "$name: $(cat "$work/$name.row")  (ops/s, client cpu us/op, system share of it)" >&2
}
sys_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $13 }'; }

run_tool() { # name mode [args...]
  local name="$1" mode="$2" c0 c1 s0 s1 json rc=0
  shift 2
  echo "running Akka.Couchbase.Bench --mode $mode $*" >&2
  take_lock
  "$bench_bin" --servers "127.0.0.1:$kv_port" --bucket-type couchbase --bucket default --username "$user" --password "$password" \
    --mode "$mode" --duration "$duration" --warmup "$warmup" --concurrency "$concurrency" --value-size "$value_size" \
    --set-ratio "0.$set_pct" --keys "$keys" --json --hocon "akka.couchbase.transport = $transport" "$@" >"$work/$name.out" 2>"$work/$name.err" &
  client_pid=$!
  wait_for_line "$work/$name.err" '^timed part: start' "$client_pid" || { cat "$work/$name.err" >&2; die "$name ended before its timed part"; }
  c0="$(cpu_ticks "$client_pid")" s0="$(sys_ticks "$client_pid")"
  wait_for_line "$work/$name.err" '^timed part: end' "$client_pid" || { cat "$work/$name.err" >&2; die "$name ended inside its timed part"; }
  c1="$(cpu_ticks "$client_pid")" s1="$(sys_ticks "$client_pid")"
  wait "$client_pid" || rc=$?
  client_pid=""
  drop_lock
  if [[ "$rc" -ne 0 && "$rc" -ne 3 ]]; then cat "$work/$name.out" "$work/$name.err" >&2; die "$name failed (exit code $rc)"; fi
  json="$(tail -n 1 "$work/$name.out")"
  [[ "$json" == "{"* ]] || { cat "$work/$name.out" "$work/$name.err" >&2; die "no JSON line from $name"; }
  awk -v c="$((c1 - c0))" -v s="$((s1 - s0))" -v ops="$(field "$json" ops)" -v rate="$(field "$json" ops_per_sec)" -v hz="$ticks" '
    BEGIN { printf "%.0f %.3f %.2f\n", rate, c / hz * 1e6 / ops, (c > 0 ? s / c : 0) }' >"$work/$name.row"
  echo "$name: $(cat "$work/$name.row")  (ops/s, client cpu us/op, system share of it); its own cpu_us_per_op $(field "$json" cpu_us_per_op), errors $(field "$json" errors), p50 $(field "$json" p50_us) us, p99 $(field "$json" p99_us) us" >&2
  [[ "$(field "$json" errors)" == 0 ]] || echo "$name: counted errors" >&2
}

# --- runs --------------------------------------------------------------------------------------------------
echo "workload: $concurrency in flight (pillowfight -t 1 -B $concurrency), ${set_pct}% sets, ${value_size}-byte values, $keys keys, ${duration} s windows after ${warmup} s, $rounds rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "pillowfight I/O loop: ${LCB_IOPS_NAME:-its default (libevent where libevent_core-2.1 is installed, else select)}" >&2
echo "populating pillowfight's keys (cbc-pillowfight --populate-only)..." >&2
"${pillowfight[@]}" "${pf_args[@]}" --populate-only >"$work/populate.out" 2>"$work/populate.err" \
  || { cat "$work/populate.err" >&2; die "cbc-pillowfight --populate-only failed"; }
populate=()
for round in $(seq 1 "$rounds"); do
  run_pillowfight "pillowfight-r$round"
  run_tool "tell-r$round" tell "${populate[@]}"
  populate=(--no-populate)
  run_tool "task-r$round" task --no-populate
done

best() { cat "$work/$1"-r*.row | sort -k1,1nr | head -n 1; }      # the run with the most ops/s
lowest_cpu() { cat "$work/$1"-r*.row | sort -k2,2g | head -n 1 | cut -d' ' -f2; } # the lowest CPU per op
echo
echo "| client | runs: ops/s, cpu µs/op (system share) | best ops/s | lowest cpu µs/op |"
echo "|---|---|---:|---:|"
for c in pillowfight tell task; do
  runs="$(for f in "$work/$c"-r*.row; do read -r o u s <"$f"; printf '%s, %s (%s); ' "$o" "$u" "$s"; done)"
  echo "| $c | ${runs%; } | $(best "$c" | cut -d' ' -f1) | $(lowest_cpu "$c") |"
done
echo
awk -v po="$(best pillowfight | cut -d' ' -f1)" -v pc="$(lowest_cpu pillowfight)" \
    -v lo="$(best tell | cut -d' ' -f1)" -v lc="$(lowest_cpu tell)" -v ko="$(best task | cut -d' ' -f1)" -v kc="$(lowest_cpu task)" '
  function r(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
  BEGIN {
    printf "target: client cpu per op <= 1.2x cbc-pillowfight'"'"'s: tell %s, task %s\n", r(lc, pc), r(kc, pc)
    printf "ratio tell/pillowfight ops=%s cpu=%s task/pillowfight ops=%s cpu=%s\n", r(lo, po), r(lc, pc), r(ko, po), r(kc, pc)
  }'
