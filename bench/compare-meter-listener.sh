#!/usr/bin/env bash
# What collecting the client's metrics costs on the tell path: the load tool in tell mode without and with
# --meter-listener (a MeterListener on every Akka.Couchbase instrument), taking turns against one stock memcached
# for --rounds rounds (default 3), and the best ops/s of each. Prints one line per run and a last line
# "ratio listener/plain=X (target >= 0.97)".
# Usage: bench/compare-meter-listener.sh [--rounds 3] [--duration 10] [--concurrency 32] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3; duration=10; concurrency=32; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$build" = 1 ] && dotnet build bench/Akka.Couchbase.Bench -c Release -nologo -v quiet >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=(); [ "$(id -u)" = 0 ] && user=(-u nobody)
memcached -t 1 -p "$port" -U 0 -l 127.0.0.1 -m 1024 "${user[@]}" &
mc=$!
trap 'kill $mc 2>/dev/null || true' EXIT
sleep 0.5
bench=(dotnet bench/Akka.Couchbase.Bench/bin/Release/net10.0/Akka.Couchbase.Bench.dll --servers "127.0.0.1:$port"
  --bucket-type memcached --mode tell --duration "$duration" --concurrency "$concurrency" --value-size 1024
  --set-ratio 0.1 --keys 32768 --json --log-level error)
best_plain=0; best_listener=0
ops() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])["ops_per_sec"])'; }
for round in $(seq 1 "$rounds"); do
  plain=$("${bench[@]}" 2>/dev/null | ops)
  listener=$("${bench[@]}" --meter-listener 2>/dev/null | ops)
  echo "round $round: tell $plain ops/s, tell --meter-listener $listener ops/s"
  best_plain=$(python3 -c "print(max($best_plain, $plain))")
  best_listener=$(python3 -c "print(max($best_listener, $listener))")
done
echo "best: tell $best_plain ops/s, tell --meter-listener $best_listener ops/s"
echo "ratio listener/plain=$(python3 -c "print(f'{$best_listener / $best_plain:.3f}')") (target >= 0.97)"
