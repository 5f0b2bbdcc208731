#!/usr/bin/env bash
# Installs what the tests need (memcached, SASL tools, memcaslap, the Node.js SDK for the interop test),
# builds everything, runs every test project, a 60 s chaos run (bench/Akka.Couchbase.Chaos), the main job over TLS
# (samples/ClusterDemo --tls) and the package test (scripts/package-test.sh), each of these three counted as one
# test, and ends with one line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v memcached >/dev/null 2>&1 || missing+=(memcached)
command -v saslpasswd2 >/dev/null 2>&1 || missing+=(sasl2-bin)
command -v memcaslap >/dev/null 2>&1 || missing+=(libmemcached-tools)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Interop peers from npm: Couchbase's Node.js SDK, and a CouchDB-compatible view server (PouchDB Server).
for dir in tests/interop/*/; do
  [ -f "$dir/package-lock.json" ] || continue
  if ! command -v node >/dev/null 2>&1; then
    echo "Installing nodejs and npm ..."
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  if [ ! -d "$dir/node_modules" ]; then
    # npm install (not npm ci): the locks pin every version, but couchbase's optional per-platform
    # binaries for other systems are absent from its lock, which npm ci refuses.
    echo "Installing the npm packages of $dir (pinned by package-lock.json) ..."
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
done

echo "Building ..."
dotnet build Akka.Couchbase.sln -c Release -nologo -v quiet

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "Testing $name ..."
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" > "$results/$name.log" 2>&1 || status=1
  # Each failed or skipped test with its message (and the first lines of its stack), nothing of the passing ones.
  grep -E -A 8 "^\s+(Failed|Skipped) " "$results/$name.log" | grep -v "^\s*$" | head -200 || true
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
  : "${total:=0}"
done
# The chaos harness: 60 s of mixed load against the in-process cluster under random faults, then its checks
# (bench/README.md). It counts as one test; its report (with the seed that reproduces its fault schedule) is
# printed, its progress and Akka's log go to artifacts/test-results/chaos.err. The fault schedule is fixed (its
# seed) so that a failure here can be replayed; CHAOS_SEED picks another one (bench/README.md has random-seed runs).
echo "Chaos run (60 s) ..."
if dotnet run --project bench/Akka.Couchbase.Chaos -c Release --no-build -- --duration 60 --seed "${CHAOS_SEED:-998111219}" \
    > "$results/chaos.log" 2> "$results/chaos.err"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
cat "$results/chaos.log"
# The same fault schedule, 30 s, with the client on its own socket transport (transport = socket) instead of Akka.IO.
echo "Chaos run over the socket transport (30 s) ..."
if dotnet run --project bench/Akka.Couchbase.Chaos -c Release --no-build -- --duration 30 --seed "${CHAOS_SEED:-998111219}" \
    --transport socket > "$results/chaos-socket.log" 2> "$results/chaos-socket.err"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
cat "$results/chaos-socket.log"

# The main job over TLS: the ClusterDemo tour (KV, the message path, views, durability, a failover) against the
# embedded cluster reached only over TLS (couchbases://, its generated CA). One test; its output is printed when
# it fails (also in demo-tls.log).
echo "ClusterDemo over TLS ..."
if dotnet run --project samples/ClusterDemo -c Release --no-build -- --tls > "$results/demo-tls.log" 2>&1 \
    && grep -q '^Tour finished.' "$results/demo-tls.log"; then
  passed=$((passed + 1))
  grep -E '^(Embedded cluster over TLS|Couchbase Connected|rows streamed|lost replies|checks passed|Tour finished)' "$results/demo-tls.log" || true
else
  failed=$((failed + 1))
  cat "$results/demo-tls.log"
fi

# The package test (scripts/package-test.sh): the packages as a user installs them, packed, then installed in a new
# project outside the repository that round-trips one key through the in-process cluster, and the runner tool.
# It counts as one test; its PASS lines are printed, all its output when it fails (also in package-test.log).
echo "Package test ..."
if bash scripts/package-test.sh > "$results/package-test.log" 2>&1; then
  passed=$((passed + 1))
  grep '^PASS' "$results/package-test.log" || true
else
  failed=$((failed + 1))
  cat "$results/package-test.log"
fi

count_trx=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$count_trx" -lt "$(ls tests/*/*.csproj | wc -l)" ]; then
  echo "A test project produced no results (see $results/*.log)"
  status=1
fi
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
