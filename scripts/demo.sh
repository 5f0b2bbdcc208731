#!/usr/bin/env bash
# Runs the main job: samples/ClusterDemo against an embedded 3-node cluster (or, with --config FILE, a real one).
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project samples/ClusterDemo -c Release -- "$@"
