# The in-process cluster's runner (src/Akka.Couchbase.TestKit.Runner) for the bench scripts: sourced, not run.
# start_runner WORK [ARGS...] starts it from its build output with ARGS (--ignore-stdin added), its output in WORK,
# and waits up to 30 s for its ready line; it sets runner_pid (for the caller's cleanup) and ready (the JSON line).
# ready_field NAME prints a numeric or string field of the ready line (the last one of that name: with several
# nodes, the last node's).
# stop_runner stops it (SIGTERM: the runner stops its cluster and exits), if it runs; for the caller's cleanup.
# end_runner_work WORK, the caller's cleanup on exit: stops the runner, copies WORK's files to $keep_logs when that
# is set, and removes WORK.
# build_runner_and WORK PROJECT BIN, unless build=0, builds the runner and PROJECT (Release, the log in WORK), then
# checks that both binaries (runner_bin, BIN) exist.
# The caller defines die(), runner_project, runner_bin and build.

start_runner() {
  local work="$1"
  shift
  "$runner_bin" "$@" --ignore-stdin >"$work/runner.out" 2>"$work/runner.err" </dev/null &
  runner_pid=$!
  ready=""
  for _ in $(seq 1 300); do
    ready="$(head -n 1 "$work/runner.out" 2>/dev/null || true)"
    [[ "$ready" == "{"* ]] && return 0
    kill -0 "$runner_pid" 2>/dev/null || { cat "$work/runner.err" >&2; die "the runner exited at start"; }
    sleep 0.1
  done
  die "the runner printed no ready line within 30 s"
}

ready_field() {
  local value
  value="$(sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" <<<"$ready" | head -n 1)"
  [[ -n "$value" ]] || die "no '$1' in the runner's ready line: $ready"
  echo "$value"
}

stop_runner() {
  if [[ -n "${runner_pid:-}" ]] && kill -0 "$runner_pid" 2>/dev/null; then
    kill "$runner_pid" 2>/dev/null || true
    wait "$runner_pid" 2>/dev/null || true
  fi
}

end_runner_work() {
  stop_runner
  if [[ -n "${keep_logs:-}" ]]; then mkdir -p "$keep_logs" && cp "$1"/* "$keep_logs"/ 2>/dev/null || true; fi
  rm -rf "$1"
}

build_runner_and() {
  local work="$1" project="$2" bin="$3" p
  if [[ "$build" -eq 1 ]]; then
    for p in "$runner_project" "$project"; do
      echo "building $(basename "$p") (Release)..." >&2
      dotnet build "$p" -c Release --nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build of $p failed"; }
    done
  fi
  [[ -x "$bin" ]] || die "$bin is missing (build it, or drop --no-build)"
  [[ -x "$runner_bin" ]] || die "$runner_bin is missing (build it, or drop --no-build)"
}
