#!/usr/bin/env bash
# Side-by-side throughput of memaslap (libmemcached's load generator, C) and Akka.Couchbase.Bench (Tell, Ask and
# Task paths) on the same workload against one memcached: binary protocol, 32 commands in flight, 90% gets / 10%
# sets, 1 KiB values; then 10-key multi-gets against memaslap -d 10, and the Tell path at half its peak rate.
# Prints each tool's figures, the targets, then one last line:
#   ratio tell/memaslap=X ask/tell=Y task/tell=Z multiget/memaslap_d10=W
# With --tls it instead runs our Tell path over TLS and over plain TCP against one memcached that serves both
# (memcached -Z, a listener of each kind; a CA and certificate made with openssl), interleaved for --rounds, and
# prints the last line `ratio tls/plain=X` (best run of each).
#
# Usage: bench/compare-memcached.sh [--server host:port] [--duration SECONDS] [--concurrency N]
#                                    [--memaslap-threads "1 2"] [--multi-get K] [--rounds N] [--no-task] [--no-build]
#                                    [--tls]
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
memaslap_threads="1 2" # memaslap's own threads: each is run, the best TPS is the baseline
multi_get=10
window_k=1 # memaslap task window per connection, in units of 1024 keys; both tools use concurrency * window keys
with_task=1
build=1
tls=0
rounds=2 # tell, ask and task are run this many times, interleaved; each mode's best run counts (as for memaslap)

die() { echo "compare-memcached: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --server) server="${2:?--server needs host:port}"; shift 2 ;;
    --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
    --concurrency) concurrency="${2:?--concurrency needs a number}"; shift 2 ;;
    --memaslap-threads) memaslap_threads="${2:?--memaslap-threads needs a list of numbers}"; shift 2 ;;
    --multi-get) multi_get="${2:?--multi-get needs a number}"; shift 2 ;;
    --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
    --with-task) with_task=1; shift ;;
    --no-task) with_task=0; shift ;;
    --no-build) build=0; shift ;;
    --tls) tls=1; shift ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$duration" =~ ^[0-9]+$ ]] || die "--duration must be a whole number of seconds"
[[ "$multi_get" =~ ^[0-9]+$ && "$multi_get" -ge 2 ]] || die "--multi-get must be a whole number of at least 2"
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -ge 1 ]] || die "--rounds must be a whole number of at least 1"
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

free_port() { # [span]: prints a port P such that P .. P+span-1 are all free
  local span="${1:-1}" candidate i taken
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000)) taken=0
    for ((i = 0; i < span; i++)); do port_in_use $((candidate + i)) && { taken=1; break; }; done
    [[ "$taken" -eq 0 ]] && { echo "$candidate"; return 0; }
  done
  die "found no free port for memcached"
}

start_memcached() { # port to wait for, memcached args...: starts it (sets $memcached_pid) and waits until it listens
  local wait_port="$1"
  shift
  local user_args=()
  [[ "$(id -u)" -eq 0 ]] && user_args=(-u nobody) # memcached refuses to run as root without -u
  memcached "${user_args[@]}" "$@" >"$work/memcached.log" 2>&1 &
  memcached_pid=$!
  for _ in $(seq 1 100); do
    port_in_use "$wait_port" && return 0
    kill -0 "$memcached_pid" 2>/dev/null || { cat "$work/memcached.log" >&2; die "memcached $* exited at start"; }
    sleep 0.05
  done
  die "memcached did not listen on 127.0.0.1:$wait_port"
}

# --- build -------------------------------------------------------------------------------------------------
if [[ "$build" -eq 1 ]]; then
  echo "building $project (Release)..." >&2
  dotnet build "$project" -c Release --nologo -v quiet >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; die "build failed"; }
fi
[[ -x "$bench_bin" ]] || die "$bench_bin is missing (build it, or drop --no-build)"

# --- Akka.Couchbase.Bench ----------------------------------------------------------------------------------
field() { sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p" <<<"$1"; }

run_bench() { # name mode [args...]: runs the tool, prints its report (prefixed with the name), keeps the JSON line in $work/name.json
  local name="$1" mode="$2" rc=0
  shift 2
  echo "running Akka.Couchbase.Bench --mode $mode $*" >&2
  "$bench_bin" --servers "$server" --bucket-type memcached --mode "$mode" --duration "$duration" \
    --concurrency "$concurrency" --value-size "$value_size" --keys "$keys" "$@" \
    --json >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  # Exit code 3 means the run finished but counted errors: they are in the report.
  if [[ "$rc" -ne 0 && "$rc" -ne 3 ]]; then
    cat "$work/$name.out" "$work/$name.err" >&2
    die "Akka.Couchbase.Bench --mode $mode $* failed (exit code $rc)"
  fi
  tail -n 1 "$work/$name.out" >"$work/$name.json"
  grep -q '^{' "$work/$name.json" || { cat "$work/$name.out" "$work/$name.err" >&2; die "no JSON line from --mode $mode"; }
  sed '$d' "$work/$name.out" | sed "s/^/$name: /"
}

# --- --tls: our client over TLS and over plain TCP, one memcached serving both ----------------------------
if [[ "$tls" -eq 1 ]]; then
  [[ -z "$server" ]] || die "--tls starts its own memcached (with a TLS and a plain listener): drop --server"
  command -v openssl >/dev/null 2>&1 || die "openssl not found (apt-get install openssl): --tls makes its certificates with it"
  chmod 755 "$work"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" -days 2 -subj "/CN=bench CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$work/server.key" -out "$work/server.csr" -subj "/CN=localhost" 2>/dev/null
  printf "subjectAltName=IP:127.0.0.1,DNS:localhost\n" >"$work/san.ext"
  openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
    -out "$work/server.pem" -days 2 -extfile "$work/san.ext" 2>/dev/null
  cat "$work/server.pem" "$work/ca.pem" >"$work/chain.pem"
  chmod 644 "$work"/*
  tls_port=$(free_port 2)
  plain_port=$((tls_port + 1))
  start_memcached "$plain_port" -t 1 -U 0 -m 1024 -Z -o "ssl_chain_cert=$work/chain.pem,ssl_key=$work/server.key" \
    -l "127.0.0.1:$tls_port" -l "notls:127.0.0.1:$plain_port"
  echo "started memcached -Z (pid $memcached_pid): TLS on 127.0.0.1:$tls_port, plain on 127.0.0.1:$plain_port" >&2
  best_tls=0 best_plain=0
  populate=()
  for round in $(seq 1 "$rounds"); do
    for kind in plain tls; do
      if [[ "$kind" == tls ]]; then server="127.0.0.1:$tls_port"; extra=(--tls --ca "$work/ca.pem"); else server="127.0.0.1:$plain_port"; extra=(); fi
      run_bench "$kind-$round" tell --set-ratio "$set_ratio" "${extra[@]}" "${populate[@]}"
      populate=(--no-populate)
      ops=$(field "$(cat "$work/$kind-$round.json")" ops_per_sec)
      echo "$kind-$round: $ops ops/s" >&2
      if [[ "$kind" == tls ]]; then best_tls=$(awk -v a="$best_tls" -v b="$ops" 'BEGIN{print (b>a)?b:a}')
      else best_plain=$(awk -v a="$best_plain" -v b="$ops" 'BEGIN{print (b>a)?b:a}'); fi
    done
  done
  echo "best: plain $best_plain ops/s, tls $best_tls ops/s (target tls/plain >= 0.7)"
  echo "ratio tls/plain=$(awk -v t="$best_tls" -v p="$best_plain" 'BEGIN{printf "%.2f", t/p}')"
  exit 0
fi

# --- memcached ---------------------------------------------------------------------------------------------
if [[ -z "$server" ]]; then
  port=$(free_port)
  start_memcached "$port" -t 1 -p "$port" -U 0 -l 127.0.0.1 -m 1024
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

run_memaslap() { # name, extra args...: runs memaslap, prints its summary line and latency, sets $tps
  local name="$1" latency
  shift
  echo "running $(basename "$memaslap") -s $server -B -c $concurrency -t ${duration}s -w ${window_k}k $* -F <cfg>" >&2
  "$memaslap" -s "$server" -B -c "$concurrency" -t "${duration}s" -S "${duration}s" -w "${window_k}k" "$@" \
    -F "$work/memaslap.cfg" >"$work/$name.out" 2>&1 || { cat "$work/$name.out" >&2; die "memaslap failed"; }
  tps="$(sed -n 's/^Run time: .* TPS: \([0-9][0-9]*\).*/\1/p' "$work/$name.out" | tail -n 1)"
  [[ -n "$tps" ]] || { cat "$work/$name.out" >&2; die "could not read TPS from memaslap's output"; }
  # Percentiles from memaslap's log2 latency histogram (Total Statistics): only the power-of-two range is known.
  latency="$(awk '
    /^Total Statistics \(/ { total = 1; next }
    total && /Avg:/ { avg = $2 }
    total && /^ *[0-9]+:/ { base = $1 + 0; for (i = 2; i <= NF; i++) { n[base + i - 2] = $i; sum += $i; if (base + i - 2 > top) top = base + i - 2 } }
    total && /^$/ && sum > 0 { total = 0 }
    function pct(p,   c, b, want) { want = p * sum; c = 0; for (b = 0; b <= top; b++) { c += n[b]; if (c >= want) return sprintf("%d-%d", 2 ^ b, 2 ^ (b + 1)) } return "?" }
    END { if (sum > 0) printf "avg %s us, p50 in [%s) us, p99 in [%s) us", avg, pct(0.5), pct(0.99) }
  ' "$work/$name.out")"
  echo "$name: $(grep '^Run time:' "$work/$name.out" | tail -n 1)"
  echo "$name: ${latency:-latency not reported}"
}

# memcached runs one worker thread (-t 1), as the target says. memaslap's -T is the load generator's own
# threads (its 32 connections are spread over them). Each -T in --memaslap-threads is run and the best TPS is the
# baseline: the ratio is against memaslap at its best on this machine, never against a handicapped run.
memaslap_tps=0
memaslap_best=""
for t in $memaslap_threads; do
  run_memaslap "memaslap-T$t" -T "$t"
  if [[ "$tps" -gt "$memaslap_tps" ]]; then memaslap_tps="$tps"; memaslap_best="$t"; fi
done
echo "memaslap: baseline $memaslap_tps TPS (-T $memaslap_best)"
memaslap_multi_tps=0
memaslap_multi_best=""
for t in $memaslap_threads; do
  run_memaslap "memaslap-d$multi_get-T$t" -T "$t" -d "$multi_get"
  if [[ "$tps" -gt "$memaslap_multi_tps" ]]; then memaslap_multi_tps="$tps"; memaslap_multi_best="$t"; fi
done
echo "memaslap -d $multi_get: baseline $memaslap_multi_tps TPS, keys/s (-T $memaslap_multi_best)"

# --- Akka.Couchbase.Bench runs (defined above, used from here on) ---------------------------------------
summary() { # label json
  echo "$1: ops/s $(field "$2" ops_per_sec)  p50 $(field "$2" p50_us) us  p90 $(field "$2" p90_us) us  p99 $(field "$2" p99_us) us  alloc/op $(field "$2" alloc_bytes_per_op) B  errors $(field "$2" errors)"
}

keep_best() { # mode: copies the best of $work/mode-<round>.json (by ops/s) to $work/mode.json
  local best="" best_ops=-1 f ops
  for f in "$work/$1"-[0-9]*.json; do
    ops="$(field "$(cat "$f")" ops_per_sec)"
    if awk -v a="$ops" -v b="$best_ops" 'BEGIN { exit !(a > b) }'; then best="$f"; best_ops="$ops"; fi
  done
  cp "$best" "$work/$1.json"
  echo "$1: best of $rounds runs: $(basename "$best" .json) ($best_ops ops/s)"
}

# The machine is shared and noisy: the three API paths take turns, round after round, and each counts its best.
populate=()
modes="tell ask"
[[ "$with_task" -eq 0 ]] || modes="$modes task"
for round in $(seq 1 "$rounds"); do
  for mode in $modes; do
    run_bench "$mode-$round" "$mode" --set-ratio "$set_ratio" "${populate[@]}"
    populate=(--no-populate)
  done
done
for mode in $modes; do keep_best "$mode"; done
# memaslap's mix with -d is a fraction of keys (a set is one key, a multi-get K keys): the same mix in commands.
multi_set_ratio="$(awk -v r="$set_ratio" -v k="$multi_get" 'BEGIN { printf "%.4f", r * k / (1 - r + r * k) }')"
run_bench multiget tell --set-ratio "$multi_set_ratio" --multi-get "$multi_get" --no-populate
tell_json="$(cat "$work/tell.json")"
tell_ops="$(field "$tell_json" ops_per_sec)"
half_rate="$(awk -v t="$tell_ops" 'BEGIN { printf "%d", t / 2 }')"
run_bench half-rate tell --set-ratio "$set_ratio" --rate "$half_rate" --no-populate

ask_json="$(cat "$work/ask.json")"
task_json="{}"
[[ "$with_task" -eq 0 ]] || task_json="$(cat "$work/task.json")"
multi_json="$(cat "$work/multiget.json")"
half_json="$(cat "$work/half-rate.json")"
summary tell "$tell_json"
summary ask "$ask_json"
[[ "$with_task" -eq 0 ]] || summary task "$task_json"
summary "multiget($multi_get)" "$multi_json"
summary "tell@${half_rate}/s" "$half_json"

# Allocation beyond the value bytes: every get that hits hands its caller a result that owns value_size bytes
# (a range of the socket read or its own array); a set hands back none (the value is the caller's), nor does a
# miss. So the value bytes per op are (gets - misses) / ops x value_size, and the rest is overhead.
awk -v t="$tell_ops" -v a="$(field "$ask_json" ops_per_sec)" -v k="$(field "$task_json" ops_per_sec)" \
    -v m="$memaslap_tps" -v mo="$(field "$multi_json" ops_per_sec)" -v mm="$memaslap_multi_tps" -v d="$multi_get" \
    -v al="$(field "$tell_json" alloc_bytes_per_op)" -v vs="$value_size" -v sr="$set_ratio" \
    -v n="$(field "$tell_json" ops)" -v miss="$(field "$tell_json" misses)" \
    -v p99="$(field "$half_json" p99_us)" -v hr="$(field "$half_json" ops_per_sec)" -v rate="$half_rate" '
  function verdict(ok) { return ok ? "met" : "NOT met" }
  function ratio(x, y) { return y > 0 ? x / y : 0 }
  BEGIN {
    hits = n > 0 ? (n * (1 - sr) - miss) / n : 0
    if (hits < 0) hits = 0
    values = hits * vs
    printf "targets:\n"
    printf "  tell/memaslap            %.2f  (>= 1.0)  %s\n", ratio(t, m), verdict(ratio(t, m) >= 1.0)
    if (k > 0) printf "  task/tell                %.2f  (>= 0.8)  %s  (the convenient path: the Task facade, no Ask inside)\n", ratio(k, t), verdict(ratio(k, t) >= 0.8)
    printf "  ask/tell                 %.2f  (>= 0.8)  %s  (Akka'"'"'s own Ask on the supervisor: its temporary actor, promise and timer come before the client sees the message)\n", ratio(a, t), verdict(ratio(a, t) >= 0.8)
    printf "  multiget/memaslap -d %d  %.2f  (>= 1.0)  %s\n", d, ratio(mo, mm), verdict(ratio(mo, mm) >= 1.0)
    printf "  tell alloc beyond values %.0f B/op  (<= 256)  %s: %.0f B/op allocated - %.0f B/op of values returned (%.3f hits/op x %d B)\n", al - values, verdict(al - values <= 256), al, values, hits, vs
    printf "  tell p99 at 50%% of peak  %s us  (asked %d commands/s, ran %s)\n", p99, rate, hr
    printf "ratio tell/memaslap=%.2f ask/tell=%.2f task/tell=%.2f multiget/memaslap_d%d=%.2f\n", ratio(t, m), ratio(a, t), ratio(k, t), d, ratio(mo, mm)
  }'
