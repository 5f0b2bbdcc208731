#!/usr/bin/env bash
# What naming a collection costs: Akka.Couchbase.Bench on the same workload against one in-process cluster
# (Akka.Couchbase.TestKit.Runner, one node, bucket "default", collection bench.items created at start), once on the
# default collection (no collection named on the commands) and once on bench.items, taking turns round after round
# (default, collection, default, collection, ...); each side counts its best run. With --subdoc each round also runs
# the sub-document workload (LookupIn with one Get spec / MutateIn with one Upsert spec, JSON documents of the same
# size) on the default collection, and its figure is printed next to the plain one (no target).
# 32 commands in flight, 90% reads / 10% writes, 1 KiB values, 10,000 keys. Prints every run, the best of each, and
# last one line:
#   ratio collection/default=X          (target: at least 0.95, i.e. collections cost at most 5%)
#   ratio collection/default=X subdoc/plain=Y   (with --subdoc)
#
# Usage: bench/compare-collections.sh [--rounds N] [--duration SECONDS] [--warmup SECONDS] [--server-warmup SECONDS]
#                                      [--mode tell|task] [--concurrency N] [--subdoc] [--no-build] [--keep-logs DIR]
#
# --warmup is each run's own untimed load; --server-warmup (default 5, 0 for none) is one uncounted run on both
# collections before the rounds, so that the cluster's process has compiled its hot path before anything counts.
#
# It starts the runner from its build output (src/Akka.Couchbase.TestKit.Runner, built here unless --no-build)
# on free ephemeral ports and stops it on exit. The runner shares the machine's cores with the load tool.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
project="$here/Akka.Couchbase.Bench"
bench_bin="$project/bin/Release/net10.0/Akka.Couchbase.Bench"
runner_project="$repo/src/Akka.Couchbase.TestKit.Runner"
runner_bin="$runner_project/bin/Release/net10.0/Akka.Couchbase.TestKit.Runner"
# shellcheck source=lib/runner.sh
. "$here/lib/runner.sh"
collection="bench.items"

rounds=4
duration=5
warmup=2
server_warmup=5 # one run before the rounds, not counted: the cluster's process compiles its hot path too
mode=tell
concurrency=32
value_size=1024
set_ratio=0.1
keys=10000
subdoc=0
build=1
keep_logs=""

die() { echo "compare-collections: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
    --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
    --warmup) warmup="${2:?--warmup needs seconds}"; shift 2 ;;
    --server-warmup) server_warmup="${2:?--server-warmup needs seconds}"; shift 2 ;;
    --mode) mode="${2:?--mode needs tell or task}"; shift 2 ;;
    --concurrency) concurrency="${2:?--concurrency needs a number}"; shift 2 ;;
    --subdoc) subdoc=1; shift ;;
    --no-build) build=0; shift ;;
    --keep-logs) keep_logs="${2:?--keep-logs needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$rounds" =~ ^[0-9]+$ && "$rounds" -ge 1 ]] || die "--rounds must be a whole number of at least 1"
[[ "$duration" =~ ^[0-9]+$ && "$duration" -ge 1 ]] || die "--duration must be a whole number of seconds"
[[ "$warmup" =~ ^[0-9]+$ ]] || die "--warmup must be a whole number of seconds"
[[ "$server_warmup" =~ ^[0-9]+$ ]] || die "--server-warmup must be a whole number of seconds"
[[ "$mode" == tell || "$mode" == task ]] || die "--mode must be tell or task"
command -v dotnet >/dev/null 2>&1 || die "dotnet not found: the .NET 10 SDK is needed to build the load tool and the runner"

# --- cleanup of whatever this script starts ---------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/compare-collections.XXXXXX")"
runner_pid=""
trap 'end_runner_work "$work"' EXIT
trap 'exit 130' INT TERM

build_runner_and "$work" "$project" "$bench_bin"

# --- the in-process cluster --------------------------------------------------------------------------------
start_runner "$work" --nodes 1 --bucket default --collection "$collection"
kv_port="$(ready_field kv)"
user="$(ready_field user)"
[[ -n "$kv_port" && -n "$user" ]] || die "could not read the KV port and user from the runner's ready line: $ready"
server="127.0.0.1:$kv_port"
echo "started the in-process cluster (pid $runner_pid): KV on $server, bucket default, collection $collection" >&2

# --- runs --------------------------------------------------------------------------------------------------
field() { sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p" <<<"$1"; }

run_bench() { # name [args...]: runs the tool, keeps its JSON line in $work/name.json, prints one summary line
  local name="$1" rc=0 json
  shift
  echo "running Akka.Couchbase.Bench --mode $mode $*" >&2
  "$bench_bin" --servers "$server" --bucket-type couchbase --bucket default --username "$user" --password password \
    --mode "$mode" --duration "$duration" --warmup "$warmup" --concurrency "$concurrency" --value-size "$value_size" \
    --set-ratio "$set_ratio" --keys "$keys" "$@" --json >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  # Exit code 3 means the run finished but counted errors: they are in the report, and the run does not count.
  if [[ "$rc" -ne 0 && "$rc" -ne 3 ]]; then
    cat "$work/$name.out" "$work/$name.err" >&2
    die "Akka.Couchbase.Bench $* failed (exit code $rc)"
  fi
  tail -n 1 "$work/$name.out" >"$work/$name.json"
  json="$(cat "$work/$name.json")"
  [[ "$json" == "{"* ]] || { cat "$work/$name.out" "$work/$name.err" >&2; die "no JSON line from $name"; }
  echo "$name: ops/s $(field "$json" ops_per_sec)  p50 $(field "$json" p50_us) us  p99 $(field "$json" p99_us) us  alloc/op $(field "$json" alloc_bytes_per_op) B  cpu/op $(field "$json" cpu_us_per_op) us ($(field "$json" cpu_cores) cores)  errors $(field "$json" errors)"
  [[ "$rc" -eq 0 ]] || echo "$name: counted errors; not used for the best" >&2
}

best() { # kind: prints the best ops/s of $work/kind-<round>.json that counted no errors
  local b=0 f ops
  for f in "$work/$1"-[0-9]*.json; do
    [[ "$(field "$(cat "$f")" errors)" == 0 ]] || continue
    ops="$(field "$(cat "$f")" ops_per_sec)"
    b="$(awk -v a="$b" -v o="$ops" 'BEGIN { print ((o + 0 > a + 0) ? o : a) }')"
  done
  echo "$b"
}

echo "workload: $mode path, concurrency $concurrency, ${duration} s (+${warmup} s warmup) per run, set ratio $set_ratio, ${value_size}-byte values, $keys keys, $rounds rounds" >&2
kinds="default collection"
[[ "$subdoc" -eq 0 ]] || kinds="$kinds subdoc"
populated=""
if [[ "$server_warmup" -gt 0 ]]; then
  # Not counted; it also writes both key spaces.
  run_bench warmup-default --duration "$server_warmup" --warmup 0
  run_bench warmup-collection --collection "$collection" --duration "$server_warmup" --warmup 0
  populated="default collection"
fi
for round in $(seq 1 "$rounds"); do
  for kind in $kinds; do
    args=()
    case "$kind" in
      collection) args=(--collection "$collection") ;;
      subdoc) args=(--subdoc) ;;
    esac
    # default and collection write their documents in their first round and reuse them. subdoc shares the default
    # collection's keys and writes its JSON documents in every round: default's upserts store raw bytes, which a
    # LookupIn cannot read (a plain Get reads either).
    if [[ "$kind" != subdoc && " $populated " == *" $kind "* ]]; then args+=(--no-populate); fi
    run_bench "$kind-$round" "${args[@]}"
    populated="$populated $kind"
  done
done

lowest_cpu() { # kind: prints the lowest CPU µs/op of the tool's process over $work/kind-<round>.json without errors
  local f
  for f in "$work/$1"-[0-9]*.json; do
    [[ "$(field "$(cat "$f")" errors)" == 0 ]] && field "$(cat "$f")" cpu_us_per_op
  done | sort -g | head -n 1
}

best_default="$(best default)"
best_collection="$(best collection)"
echo "best: default $best_default ops/s, collection $collection $best_collection ops/s (target collection/default >= 0.95)"
# Each round's own ratio (its collection run over the default run just before it), and their median: a second look
# at the same runs that one lucky or unlucky run moves less than it moves a best.
pair_ratios="$(for round in $(seq 1 "$rounds"); do
  d="$(field "$(cat "$work/default-$round.json")" ops_per_sec)" c="$(field "$(cat "$work/collection-$round.json")" ops_per_sec)"
  awk -v c="$c" -v d="$d" 'BEGIN { printf "%.3f\n", (d > 0 ? c / d : 0) }'
done)"
median_ratio="$(sort -g <<<"$pair_ratios" | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')"
echo "rounds' ratios collection/default: $(tr '\n' ' ' <<<"$pair_ratios")(median $median_ratio)"
cpu_default="$(lowest_cpu default)" cpu_collection="$(lowest_cpu collection)"
echo "lowest cpu/op of the client's process: default $cpu_default us, collection $cpu_collection us" \
  "($(awk -v c="$cpu_collection" -v d="$cpu_default" 'BEGIN { printf "%+.1f%%", (d > 0 ? (c / d - 1) * 100 : 0) }'))"
line="ratio collection/default=$(awk -v c="$best_collection" -v d="$best_default" 'BEGIN { printf "%.3f", (d > 0 ? c / d : 0) }')"
if [[ "$subdoc" -eq 1 ]]; then
  best_subdoc="$(best subdoc)"
  echo "best: subdoc (LookupIn/MutateIn, default collection) $best_subdoc ops/s, plain get/upsert $best_default ops/s"
  line="$line subdoc/plain=$(awk -v s="$best_subdoc" -v d="$best_default" 'BEGIN { printf "%.3f", (d > 0 ? s / d : 0) }')"
fi
echo "$line"
