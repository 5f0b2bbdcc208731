#!/usr/bin/env bash
# A large view through Akka.Couchbase.Streams (bench/Akka.Couchbase.ViewBench) against one in-process cluster
# (Akka.Couchbase.TestKit.Runner, one node, bucket "default"): a view of --rows rows (1,000,000 by default, about
# 70 bytes each on the wire: {"id":"viewbench:000123","key":["viewbench:000123",17],"value":17}) built once, then
#   * fast: the whole view streamed to a consumer that only counts rows, taking turns with curl reading the same
#     response into /dev/null (the peer: how fast the server sends it); each side counts its best run;
#   * slow: the view streamed to a consumer of --rate rows/s (2,000) for --seconds (240), the client process's
#     resident memory sampled every second, and at the end the managed heap after a full collection (what the
#     process holds, garbage aside). Resident growth climbs until the GC's first gen0 collection, whose budget the
#     runtime sizes from the CPU's cache (about 75 MB on a CPU with 260 MB of L3), then stays flat; --gen0-mb N runs
#     the slow consumer with that budget set (DOTNET_GCgen0size) to show the same with a smaller one.
# Prints every run and last two lines:
#   fast: client N rows/s (target >= 500000), curl N rows/s, client/curl X
#   slow: resident growth N MB, live N MB after a full collection, N gen0 collections over S s at R rows/s (target < 64 MB)
#
# Usage: bench/compare-views.sh [--rounds N] [--rows N] [--docs N] [--rate R] [--seconds S] [--gen0-mb N]
#                               [--no-build] [--keep-logs DIR]
#
# The runner and the client share the machine's cores (the server serialises rows while the client parses them).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
project="$here/Akka.Couchbase.ViewBench"
bench_bin="$project/bin/Release/net10.0/Akka.Couchbase.ViewBench"
runner_project="$repo/src/Akka.Couchbase.TestKit.Runner"
runner_bin="$runner_project/bin/Release/net10.0/Akka.Couchbase.TestKit.Runner"
# shellcheck source=lib/runner.sh
. "$here/lib/runner.sh"

rounds=3
rows=1000000
docs=1000
rate=2000
seconds=240
gen0_mb=""
build=1
keep_logs=""

die() { echo "compare-views: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
    --rows) rows="${2:?--rows needs a number}"; shift 2 ;;
    --docs) docs="${2:?--docs needs a number}"; shift 2 ;;
    --rate) rate="${2:?--rate needs rows per second}"; shift 2 ;;
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --gen0-mb) gen0_mb="${2:?--gen0-mb needs megabytes}"; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep-logs) keep_logs="${2:?--keep-logs needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for v in rounds rows docs rate seconds; do
  [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -ge 1 ]] || die "--$v must be a whole number of at least 1"
done
[[ -z "$gen0_mb" || ( "$gen0_mb" =~ ^[0-9]+$ && "$gen0_mb" -ge 1 ) ]] || die "--gen0-mb must be a whole number of megabytes"
command -v dotnet >/dev/null 2>&1 || die "dotnet not found: the .NET 10 SDK is needed to build the tool and the runner"
command -v curl >/dev/null 2>&1 || die "curl not found (apt-get install -y curl): it is the peer that reads the view raw"

work="$(mktemp -d "${TMPDIR:-/tmp}/compare-views.XXXXXX")"
runner_pid=""
trap 'end_runner_work "$work"' EXIT
trap 'exit 130' INT TERM

build_runner_and "$work" "$project" "$bench_bin"

start_runner "$work" --nodes 1 --bucket default
kv_port="$(ready_field kv)"
views_port="$(ready_field views)"
user="$(ready_field user)"
[[ -n "$kv_port" && -n "$views_port" && -n "$user" ]] || die "could not read the ports and user from the runner's ready line: $ready"
connection="couchbase://127.0.0.1:$kv_port"
views_url="http://127.0.0.1:$views_port"
echo "started the in-process cluster (pid $runner_pid): KV on 127.0.0.1:$kv_port, views on $views_url" >&2

common=(--connection-string "$connection" --username "$user" --password password --rows "$rows" --docs "$docs")
"$bench_bin" --mode setup --views-url "$views_url" "${common[@]}" 2>&1 | tee "$work/setup.log" >&2
[[ "${PIPESTATUS[0]}" -eq 0 ]] || die "setting up the view failed"

field() { sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p" <<<"$1"; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print ((b + 0 > a + 0) ? b : a) }'; }

url="$views_url/default/_design/viewbench/_view/rows?stale=ok"
curl -s -u "$user:password" "$url" -o /dev/null # one read before the rounds: the server's path compiled too
best_client=0 best_curl=0
for round in $(seq 1 "$rounds"); do
  timing="$(curl -s -u "$user:password" "$url" -o /dev/null -w '%{time_total} %{size_download} %{http_code}')"
  read -r curl_seconds curl_bytes curl_status <<<"$timing"
  [[ "$curl_status" == 200 ]] || die "curl got HTTP $curl_status from $url"
  curl_rate="$(awk -v r="$rows" -v s="$curl_seconds" 'BEGIN { printf "%.0f", r / s }')"
  echo "round $round curl: $rows rows ($curl_bytes bytes) in $curl_seconds s = $curl_rate rows/s"
  best_curl="$(max "$best_curl" "$curl_rate")"

  rc=0
  "$bench_bin" --mode fast "${common[@]}" --json >"$work/fast-$round.json" 2>"$work/fast-$round.err" || rc=$?
  json="$(tail -n 1 "$work/fast-$round.json")"
  [[ "$rc" -eq 0 && "$json" == "{"* ]] || { cat "$work/fast-$round.json" "$work/fast-$round.err" >&2; die "the fast run failed (exit code $rc)"; }
  echo "round $round client: $(field "$json" rows) rows in $(field "$json" seconds) s = $(field "$json" rows_per_sec) rows/s, $(field "$json" alloc_bytes_per_row) B allocated and $(field "$json" cpu_us_per_row) us CPU per row"
  best_client="$(max "$best_client" "$(field "$json" rows_per_sec)")"
done

rc=0
gc_env=()
[[ -z "$gen0_mb" ]] || gc_env=(env "DOTNET_GCgen0size=$(printf '0x%x' $((gen0_mb * 1048576)))")
echo "slow consumer: $rate rows/s for $seconds s${gen0_mb:+, gen0 budget $gen0_mb MB}..." >&2
"${gc_env[@]}" "$bench_bin" --mode slow "${common[@]}" --rate "$rate" --seconds "$seconds" --json >"$work/slow.json" 2>"$work/slow.err" || rc=$?
slow="$(tail -n 1 "$work/slow.json")"
[[ "$rc" -eq 0 && "$slow" == "{"* ]] || { cat "$work/slow.json" "$work/slow.err" >&2; die "the slow run failed (exit code $rc)"; }
echo "slow run: $slow"
growth="$(field "$slow" rss_growth_mb)"

echo "fast: client $best_client rows/s (target >= 500000), curl $best_curl rows/s, client/curl $(awk -v c="$best_client" -v p="$best_curl" 'BEGIN { printf "%.2f", (p > 0 ? c / p : 0) }')"
echo "slow: resident growth $growth MB, live $(field "$slow" live_growth_mb) MB after a full collection, $(field "$slow" gen0_collections) gen0 collections over $(field "$slow" seconds) s at $rate rows/s${gen0_mb:+ (gen0 budget $gen0_mb MB)}, $(field "$slow" rows_consumed) rows taken (target < 64 MB)"
