#!/usr/bin/env bash
# The client at every load: memaslap (libmemcached's C load generator) against Akka.Couchbase.Bench's tell and task
# modes, against one `memcached -t 1`, 90% gets / 10% sets.
#
#  1. In-flight sweep, 1 KiB values: memaslap with N connections (N requests outstanding) against our tool with
#     --concurrency N, for N in --in-flight (default 1 4 8 16 32 128). The three clients take turns for --rounds
#     rounds (default 2), every run the same --duration; each client's best run per N counts.
#  2. Value sizes, 32 in flight: 128 B, 1 KiB, 16 KiB, 256 KiB (--sizes), each on a fresh memcached, with a key space
#     that fits its memory (so gets hit), the same turns and rounds; for our tool also the allocation beyond the
#     value bytes returned to callers (alloc_bytes_per_op - (gets that hit / ops) x value size).
#     With --pooled, each round also runs tell and task with --pooled-values (akka.couchbase.value-pooling on),
#     and a second table sets them beside the plain runs ("tell pooled", "task pooled").
#
# Prints one table per part (ops/s, p50, p99, ratios task/memaslap and tell/memaslap) and draws the sweep as an
# SVG chart with gnuplot (ops/s and p99 against the in-flight count, one line per client).
#
# Usage: bench/sweep.sh [--quick] [--duration SECONDS] [--warmup SECONDS] [--rounds N] [--in-flight "1 4 8 ..."]
#                       [--sizes "128 1024 ..."] [--no-sweep] [--no-sizes] [--pooled] [--svg PATH] [--lock FILE]
#                       [--no-build] [--keep-logs DIR] [--replot DIR] [--transport akka-io|socket]
#
# --quick: 3 s runs, one round, 1 s warmup (a check that everything works; too short to quote).
# --lock FILE: each run holds an exclusive flock on FILE, so benchmarks of other people on a shared machine never
#   overlap one of ours (the lock is released between runs).
# --svg PATH: where the chart goes (default bench/sweep.svg; "none" for no chart).
# --replot DIR: runs nothing; draws the chart again from a run kept with --keep-logs DIR (its n.dat).
# --transport T: our tool's plain transport, akka.couchbase.transport (default akka-io; socket: the client's own).
#
# It starts `memcached -t 1 -U 0 -l 127.0.0.1 -m 1024` on a free port and stops it on exit. memcached and
# memcaslap are installed from Debian/Ubuntu packages when absent (memcached, libmemcached-tools), and gnuplot
# (gnuplot-nox) when a chart is asked for; that needs root and apt-get.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$here/Akka.Couchbase.Bench"
bench_bin="$project/bin/Release/net10.0/Akka.Couchbase.Bench"

duration=10
warmup=2
rounds=2
in_flight="1 4 8 16 32 128"
sizes="128 1024 16384 262144"
sizes_in_flight=32
do_sweep=1
do_sizes=1
svg="$here/sweep.svg"
lock=""
build=1
keep_logs=""
set_ratio=0.1
sweep_value=1024
memcached_mb=1024
replot=""
pooled=0
transport=akka-io

die() { echo "sweep: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) duration=3; warmup=1; rounds=1; shift ;;
    --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
    --warmup) warmup="${2:?--warmup needs seconds}"; shift 2 ;;
    --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
    --in-flight) in_flight="${2:?--in-flight needs a list of numbers}"; shift 2 ;;
    --sizes) sizes="${2:?--sizes needs a list of byte counts}"; shift 2 ;;
    --no-sweep) do_sweep=0; shift ;;
    --no-sizes) do_sizes=0; shift ;;
    --pooled) pooled=1; shift ;;
    --svg) svg="${2:?--svg needs a path}"; shift 2 ;;
    --lock) lock="${2:?--lock needs a file}"; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep-logs) keep_logs="${2:?--keep-logs needs a directory}"; shift 2 ;;
    --replot) replot="${2:?--replot needs a directory}"; shift 2 ;;
    --transport) transport="${2:?--transport needs akka-io or socket}"; shift 2 ;;
    -h|--help) sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$duration" =~ ^[0-9]+$ && "$duration" -ge 1 ]] || die "--duration must be a whole number of seconds"
[[ "$transport" == akka-io || "$transport" == socket ]] || die "--transport must be akka-io or socket, not '$transport'"
[[ "$warmup" =~ ^[0-9]+$ ]] || die "--warmup must be a whole number of seconds"
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -ge 1 ]] || die "--rounds must be a whole number of at least 1"
for n in $in_flight; do [[ "$n" =~ ^[0-9]+$ && "$n" -ge 1 ]] || die "--in-flight: '$n' is not a positive number"; done
for s in $sizes; do [[ "$s" =~ ^[0-9]+$ && "$s" -ge 1 && "$s" -le 1048000 ]] || die "--sizes: '$s' is not a size in bytes below 1 MiB"; done

# --- what is needed, installed when absent -------------------------------------------------------------------
install_package() { # package: apt-get install, or stop naming the package
  [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1 || die "$1 is not installed and this is not a root shell with apt-get: install the package $1"
  echo "installing $1 (apt-get)..." >&2
  apt-get install -y "$1" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$1" >/dev/null 2>&1; } \
    || die "apt-get install $1 failed"
}
command -v memcached >/dev/null 2>&1 || install_package memcached
command -v memcaslap >/dev/null 2>&1 || command -v memaslap >/dev/null 2>&1 || install_package libmemcached-tools
memaslap="$(command -v memcaslap || command -v memaslap)"
if [[ "$svg" != none && "$do_sweep" -eq 1 ]]; then command -v gnuplot >/dev/null 2>&1 || install_package gnuplot-nox; fi
command -v dotnet >/dev/null 2>&1 || die "dotnet not found: the .NET 10 SDK is needed to build bench/Akka.Couchbase.Bench"

plot() { # data-file title: draws the in-flight chart into $svg
  gnuplot <<EOF
set terminal svg size 960,420 dynamic enhanced font "sans,12" background rgb "white"
set output "$svg"
set multiplot layout 1,2 title "$2"
set logscale x 2
set xrange [0.8:160]
set xlabel "commands in flight"
set grid
set xtics (1, 4, 8, 16, 32, 128)
set key top left
set ylabel "ops/s"
set format y "%.0s%c"
plot "$1" using 1:2 with linespoints lw 2 pt 7 ps 0.6 title "memaslap", \\
     "$1" using 1:3 with linespoints lw 2 pt 7 ps 0.6 title "tell", \\
     "$1" using 1:4 with linespoints lw 2 pt 7 ps 0.6 title "task"
set logscale y 10
set format y "%g"
set key bottom right
set ylabel "p99 latency (µs)"
plot "$1" using 1:5 with linespoints lw 2 pt 7 ps 0.6 title "memaslap (log2-bucket estimate)", \\
     "$1" using 1:6 with linespoints lw 2 pt 7 ps 0.6 title "tell", \\
     "$1" using 1:7 with linespoints lw 2 pt 7 ps 0.6 title "task"
unset multiplot
EOF
  echo "chart: $svg" >&2
}

if [[ -n "$replot" ]]; then
  [[ -f "$replot/n.dat" ]] || die "--replot: $replot/n.dat not found (a run kept with --keep-logs, with its in-flight part)"
  [[ "$svg" != none ]] || die "--replot needs a chart path (--svg)"
  command -v gnuplot >/dev/null 2>&1 || install_package gnuplot-nox
  plot "$replot/n.dat" "$(cat "$replot/title" 2>/dev/null || echo "memcached -t 1, 90/10 get/set, 1 KiB values")"
  exit 0
fi

# --- cleanup of whatever this script starts ---------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/sweep.XXXXXX")"
memcached_pid=""
stop_memcached() {
  if [[ -n "$memcached_pid" ]] && kill -0 "$memcached_pid" 2>/dev/null; then
    kill "$memcached_pid" 2>/dev/null || true
    wait "$memcached_pid" 2>/dev/null || true
  fi
  memcached_pid=""
}
cleanup() {
  stop_memcached
  if [[ -n "$keep_logs" ]]; then mkdir -p "$keep_logs" && cp -r "$work"/. "$keep_logs"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    port_in_use "$candidate" || { echo "$candidate"; return 0; }
  done
  die "found no free port for memcached"
}
server=""
start_memcached() { # starts a fresh memcached (one worker thread) on a free port and sets $server
  stop_memcached
  local port user_args=()
  port="$(free_port)"
  [[ "$(id -u)" -eq 0 ]] && user_args=(-u nobody) # memcached refuses to run as root without -u
  memcached "${user_args[@]}" -t 1 -p "$port" -U 0 -l 127.0.0.1 -m "$memcached_mb" >"$work/memcached.log" 2>&1 &
  memcached_pid=$!
  for _ in $(seq 1 100); do
    port_in_use "$port" && { server="127.0.0.1:$port"; echo "started memcached (pid $memcached_pid) on $server: -t 1, $memcached_mb MB" >&2; return 0; }
    kill -0 "$memcached_pid" 2>/dev/null || { cat "$work/memcached.log" >&2; die "memcached exited at start"; }
    sleep 0.05
  done
  die "memcached did not listen on 127.0.0.1:$port"
}

locked() { # command...: runs it holding --lock (when given)
  if [[ -n "$lock" ]]; then flock "$lock" "$@"; else "$@"; fi
}

# --- build -------------------------------------------------------------------------------------------------
if [[ "$build" -eq 1 ]]; then
  echo "building $project (Release)..." >&2
  dotnet build "$project" -c Release --nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build failed"; }
fi
[[ -x "$bench_bin" ]] || die "$bench_bin is missing (build it, or drop --no-build)"

# --- one run of each client; each leaves "ops p50 p99 alloc_beyond_values cpu_us_per_op" in $work/<name>.row ----
field() { sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p" <<<"$1"; }

server_stats() { # prints "get_hits get_misses cmd_set" from memcached's own counters (bash's /dev/tcp; no tool)
  local host="${server%:*}" port="${server##*:}" line hits=0 misses=0 sets=0
  exec 9<>"/dev/tcp/$host/$port" || die "cannot reach memcached at $server for its stats"
  printf 'stats\r\n' >&9
  while IFS=$' \r' read -r -t 5 line <&9; do
    case "$line" in
      "STAT get_hits "*) hits="${line##* }" ;;
      "STAT get_misses "*) misses="${line##* }" ;;
      "STAT cmd_set "*) sets="${line##* }" ;;
      END*) break ;;
    esac
  done
  exec 9<&-
  echo "$hits $misses $sets"
}

run_memaslap() { # name connections value_size window: one memaslap run
  local name="$1" conns="$2" value="$3" window="$4" before after
  printf 'key\n16 16 1\nvalue\n%s %s 1\ncmd\n0 %s\n1 %s\n' "$value" "$value" "$set_ratio" \
    "$(awk -v r="$set_ratio" 'BEGIN { printf "%.4f", 1 - r }')" >"$work/memaslap.cfg"
  echo "running $(basename "$memaslap") -s $server -B -T 1 -c $conns -t ${duration}s -w $window ($value B values)" >&2
  before="$(server_stats)"
  locked "$memaslap" -s "$server" -B -T 1 -c "$conns" -t "${duration}s" -S "${duration}s" -w "$window" \
    -F "$work/memaslap.cfg" >"$work/$name.out" 2>&1 || { cat "$work/$name.out" >&2; die "memaslap failed"; }
  after="$(server_stats)"
  local tps
  tps="$(sed -n 's/^Run time: .* TPS: \([0-9][0-9]*\).*/\1/p' "$work/$name.out" | tail -n 1)"
  [[ -n "$tps" ]] || { cat "$work/$name.out" >&2; die "could not read TPS from memaslap's output"; }
  # memaslap's own get_misses stays 0 even when its gets miss (its key window, at least 1k keys per connection,
  # does not fit in memcached's memory at large values, and memcached evicts), so the misses are counted from
  # memcached's counters. A miss is a 24-byte reply: memaslap's ops/s that count are its gets that hit and its sets
  # (its TPS times their share of the commands memcached saw); our tool's gets all hit (it reports its misses).
  # memaslap keeps a log2 histogram of its round trips (Total Statistics): a percentile is known to lie in one
  # power-of-two range; it is interpolated linearly inside it (so it is an estimate, up to 2x off).
  awk -v tps="$tps" -v before="$before" -v after="$after" '
    BEGIN { split(before, b, " "); split(after, a, " ")
            hits = a[1] - b[1]; misses = a[2] - b[2]; sets = a[3] - b[3]; all = hits + misses + sets
            useful = all > 0 ? tps * (hits + sets) / all : tps; missed = hits + misses > 0 ? 100 * misses / (hits + misses) : 0 }
    /^Total Statistics \(/ { total = 1; next }
    total && /^ *[0-9]+:/ { base = $1 + 0; for (i = 2; i <= NF; i++) { n[base + i - 2] = $i; sum += $i; if (base + i - 2 > top) top = base + i - 2 } }
    total && /^$/ && sum > 0 { total = 0 }
    function pct(p,   c, b, want, lo) { want = p * sum; c = 0
      for (b = 0; b <= top; b++) { if (c + n[b] >= want && n[b] > 0) { lo = (b == 0) ? 0 : 2 ^ b; return lo + (2 ^ (b + 1) - lo) * (want - c) / n[b] } c += n[b] }
      return 0 }
    END { printf "%d %.0f %.0f - - %d %.1f\n", useful, pct(0.5), pct(0.99), tps, missed }
  ' "$work/$name.out" >"$work/$name.row"
  echo "$name: $(grep '^Run time:' "$work/$name.out" | tail -n 1); get_misses $(sed -n 's/^get_misses: //p' "$work/$name.out") by its count, $(cut -d' ' -f7 "$work/$name.row")% of its gets by memcached's; $(cut -d' ' -f1 "$work/$name.row") ops/s that hit or set" >&2
}

run_tool() { # name mode concurrency value_size keys [tool options...]
  local name="$1" mode="$2" conc="$3" value="$4" keys="$5" rc=0 json
  local extra=("${@:6}")
  echo "running Akka.Couchbase.Bench --mode $mode --concurrency $conc --value-size $value --keys $keys${extra[*]:+ ${extra[*]}}" >&2
  locked "$bench_bin" --servers "$server" --bucket-type memcached --mode "$mode" --duration "$duration" --warmup "$warmup" \
    --concurrency "$conc" --value-size "$value" --set-ratio "$set_ratio" --keys "$keys" --json \
    --hocon "akka.couchbase.transport = $transport" "${extra[@]}" \
    >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  # Exit code 3: the run finished but counted errors (in the report); it is kept and flagged.
  if [[ "$rc" -ne 0 && "$rc" -ne 3 ]]; then cat "$work/$name.out" "$work/$name.err" >&2; die "Akka.Couchbase.Bench --mode $mode failed (exit code $rc)"; fi
  json="$(tail -n 1 "$work/$name.out")"
  [[ "$json" == "{"* ]] || { cat "$work/$name.out" "$work/$name.err" >&2; die "no JSON line from $name"; }
  # Allocation beyond the value bytes: a get that hits hands its caller value_size bytes; a set or a miss none.
  awk -v ops="$(field "$json" ops_per_sec)" -v p50="$(field "$json" p50_us)" -v p99="$(field "$json" p99_us)" \
      -v al="$(field "$json" alloc_bytes_per_op)" -v n="$(field "$json" ops)" -v miss="$(field "$json" misses)" \
      -v sr="$set_ratio" -v vs="$value" -v cpu="$(field "$json" cpu_us_per_op)" '
    BEGIN { hits = n > 0 ? (n * (1 - sr) - miss) / n : 0; if (hits < 0) hits = 0
            # With pooled values the value bytes are mostly not allocated at all (rented arrays): then every byte
            # allocated counts as beyond them.
            beyond = al - hits * vs; if (beyond < 0) beyond = al
            printf "%d %.0f %.0f %.0f %.2f\n", ops, p50, p99, beyond, cpu }' >"$work/$name.row"
  echo "$name: ops/s $(field "$json" ops_per_sec) p50 $(field "$json" p50_us) us p99 $(field "$json" p99_us) us alloc/op $(field "$json" alloc_bytes_per_op) B misses $(field "$json" misses) errors $(field "$json" errors) cpu/op $(field "$json" cpu_us_per_op) us" >&2
  [[ "$rc" -eq 0 ]] || echo "$name: counted errors" >&2
}

best_row() { # prefix: the row of the run with the most ops/s among $work/prefix-r<round>.row
  cat "$work/$1"-r*.row | sort -k1,1nr | head -n 1
}

clients="memaslap tell task"
run_turns() { # label conns value keys window round [clients]: every client once per round, in turns
  local label="$1" conns="$2" value="$3" keys="$4" window="$5" round="$6" turn_clients="${7:-$clients}" c
  for c in $turn_clients; do
    if [[ "$c" == memaslap ]]; then run_memaslap "$label-$c-r$round" "$conns" "$value" "$window"
    elif [[ "$c" == *-pooled ]]; then run_tool "$label-$c-r$round" "${c%-pooled}" "$conns" "$value" "$keys" --pooled-values
    else run_tool "$label-$c-r$round" "$c" "$conns" "$value" "$keys"; fi
  done
}

table() { # title label-prefix column-name values...: prints a markdown table of the best rows
  local title="$1" prefix="$2" colname="$3" v
  shift 3
  echo
  echo "$title"
  echo
  echo "| $colname | memaslap ops/s | tell ops/s | task ops/s | task/memaslap | tell/memaslap | task/tell | p50 µs memaslap / tell / task | p99 µs memaslap / tell / task | beyond values B/op tell / task | cpu µs/op tell / task |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|"
  for v in "$@"; do
    read -r mo m50 m99 _ _ mraw mmiss <<<"$(best_row "$prefix$v-memaslap")"
    read -r lo l50 l99 lb lc <<<"$(best_row "$prefix$v-tell")"
    read -r ko k50 k99 kb kc <<<"$(best_row "$prefix$v-task")"
    awk -v v="$v" -v mo="$mo" -v mraw="${mraw:-$mo}" -v mmiss="${mmiss:-0}" -v lo="$lo" -v ko="$ko" -v m50="$m50" -v l50="$l50" -v k50="$k50" \
        -v m99="$m99" -v l99="$l99" -v k99="$k99" -v lb="$lb" -v kb="$kb" -v lc="$lc" -v kc="$kc" '
      function r(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
      BEGIN { m = mmiss >= 1 ? sprintf("%d (of %d; %.0f%% of gets missed)", mo, mraw, mmiss) : sprintf("%d", mo)
              printf "| %s | %s | %d | %d | %s | %s | %s | ~%d / %d / %d | ~%d / %d / %d | %d / %d | %s / %s |\n",
              v, m, lo, ko, r(ko, mo), r(lo, mo), r(ko, lo), m50, l50, k50, m99, l99, k99, lb, kb, lc, kc }'
    printf '%s %s %s %s %s %s %s\n' "$v" "$mo" "$lo" "$ko" "$m99" "$l99" "$k99" >>"$work/$prefix.dat"
  done
  echo
  echo "(memaslap's p50/p99 are interpolated inside its log2 histogram's bucket: estimates, hence the ~. Its ops/s"
  echo "count its gets that hit and its sets, by memcached's counters; where its gets missed, its own TPS follows.)"
}

pooled_table() { # title label-prefix values...: our tool's runs with and without --pooled-values, best rows
  local title="$1" prefix="$2" v
  shift 2
  echo
  echo "$title"
  echo
  echo "| value bytes | tell ops/s | tell pooled ops/s | task ops/s | task pooled ops/s | beyond values B/op tell / tell pooled / task / task pooled | p99 µs tell / tell pooled / task / task pooled | cpu µs/op tell / tell pooled / task / task pooled |"
  echo "|---:|---:|---:|---:|---:|---|---|---|"
  for v in "$@"; do
    read -r lo _ l99 lb lc <<<"$(best_row "$prefix$v-tell")"
    read -r po _ p99 pb pc <<<"$(best_row "$prefix$v-tell-pooled")"
    read -r ko _ k99 kb kc <<<"$(best_row "$prefix$v-task")"
    read -r qo _ q99 qb qc <<<"$(best_row "$prefix$v-task-pooled")"
    printf '| %s | %d | %d | %d | %d | %d / %d / %d / %d | %d / %d / %d / %d | %s / %s / %s / %s |\n' \
      "$v" "$lo" "$po" "$ko" "$qo" "$lb" "$pb" "$kb" "$qb" "$l99" "$p99" "$k99" "$q99" "$lc" "$pc" "$kc" "$qc"
  done
}

when="$(date -u '+%Y-%m-%d %H:%M UTC')"
commit="$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "sweep: $when, commit $commit, transport $transport, ${duration} s per run (+${warmup} s warmup for our tool), best of $rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# --- 1. in-flight sweep -------------------------------------------------------------------------------------
if [[ "$do_sweep" -eq 1 ]]; then
  start_memcached
  for round in $(seq 1 "$rounds"); do
    for n in $in_flight; do run_turns "n$n" "$n" "$sweep_value" $((n * 1024)) 1k "$round"; done
  done
  stop_memcached
fi
# --- 2. value sizes -----------------------------------------------------------------------------------------
if [[ "$do_sizes" -eq 1 ]]; then
  for round in $(seq 1 "$rounds"); do
    for s in $sizes; do
      # A fresh memcached per size (its slabs are not taken by the last size's items), and a key space for our
      # tool of at most a quarter of its memory, so that gets hit. memaslap's window is at least 1k keys per
      # connection; its gets only ask for keys it has set.
      start_memcached
      keys=$(( memcached_mb * 1024 * 1024 / 4 / s )); [[ "$keys" -le 32768 ]] || keys=32768
      if [[ "$pooled" -eq 1 ]]; then run_turns "s$s" "$sizes_in_flight" "$s" "$keys" 1k "$round" "$clients tell-pooled task-pooled"
      else run_turns "s$s" "$sizes_in_flight" "$s" "$keys" 1k "$round"; fi
    done
  done
  stop_memcached
fi

# --- report --------------------------------------------------------------------------------------------------
{
  echo "sweep at $commit, $when: ${duration} s per run, best of $rounds, one memcached -t 1, $set_ratio sets, our transport $transport"
  # shellcheck disable=SC2086
  [[ "$do_sweep" -eq 0 ]] || table "In flight (1 KiB values):" n "in flight" $in_flight
  # shellcheck disable=SC2086
  [[ "$do_sizes" -eq 0 ]] || table "Value sizes ($sizes_in_flight in flight):" s "value bytes" $sizes
  # shellcheck disable=SC2086
  [[ "$do_sizes" -eq 0 || "$pooled" -eq 0 ]] || pooled_table "Value sizes with and without --pooled-values ($sizes_in_flight in flight):" s $sizes
} | tee "$work/report.md"

title="memcached -t 1, 90/10 get/set, 1 KiB values (commit $commit, $when)"
echo "$title" >"$work/title"
if [[ "$svg" != none && "$do_sweep" -eq 1 ]]; then plot "$work/n.dat" "$title"; fi
