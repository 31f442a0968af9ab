#!/usr/bin/env bash
# Runs every Threadwire benchmark and prints one Markdown report (also written to
# benchmarks/target/RESULTS.md, or to --out FILE). Options: --quick (a short smoke run: 1 s runs,
# one repetition), --no-jmh (skip the JMH core benchmarks), --repetitions N (default 3),
# --run-seconds S (fan-out run length, default 3), --only SECTIONS (comma-separated of
# fanout,latency,slow,replay,memory,redis; latency runs inside fanout). The redis section (two
# nodes over the Redis backplane, needs Redis at 127.0.0.1:6379 and redis-benchmark) runs last
# and is appended to the report; BENCH_REDIS=0 skips it.
# The server JVM is pinned to one core and the C load client (src/main/c/fanclient.c, built here
# with gcc) to another with taskset; BENCH_SERVER_CPU / BENCH_CLIENT_CPU override (default 1 / 0).
# Run it on a quiet machine: other load on either core shows up in every figure.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -DskipTests -pl benchmarks -am package
gcc -O2 -Wall -Wextra -o benchmarks/target/fanclient benchmarks/src/main/c/fanclient.c
gcc -O2 -Wall -Wextra -pthread -o benchmarks/target/writefloor benchmarks/src/main/c/writefloor.c

# Both processes hold one socket per connection (10,000 per server in the largest runs).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [[ "$(ulimit -n)" -lt 12000 ]]; then
  echo "run.sh: need at least 12000 open files per process (ulimit -n is $(ulimit -n))" >&2
  exit 1
fi

server_cpu="${BENCH_SERVER_CPU:-1}"
client_cpu="${BENCH_CLIENT_CPU:-0}"
pin=()
if command -v taskset >/dev/null && [[ "$(nproc --all)" -ge 2 ]]; then
  pin=(taskset -c "$server_cpu")
  echo "run.sh: server JVM on CPU $server_cpu, load clients on CPU $client_cpu (taskset)" >&2
else
  echo "run.sh: no taskset or fewer than 2 cores: running UNPINNED, figures are not comparable" >&2
  server_cpu=""
  client_cpu=""
fi

# The redis section is not the harness's: take it out of --only, and note --out, --quick and
# --run-seconds for it.
args=()
out=benchmarks/target/RESULTS.md
redis="${BENCH_REDIS:-1}"
redis_seconds=3
harness=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --only)
      sections=",$2,"
      if [[ "$sections" != *,redis,* ]]; then redis=0; fi
      sections="${sections//,redis,/,}"
      sections="${sections#,}"
      sections="${sections%,}"
      if [[ -z "$sections" ]]; then harness=0; else args+=(--only "$sections"); fi
      shift 2
      continue
      ;;
    --out) out="$2"; args+=("$1" "$2"); shift 2; continue ;;
    --run-seconds) redis_seconds="$2"; args+=("$1" "$2"); shift 2; continue ;;
    --quick) redis_seconds=1 ;;
  esac
  args+=("$1")
  shift
done

if [[ "$harness" == 1 ]]; then
  "${pin[@]}" java -Xms3g -Xmx3g -XX:+UseG1GC \
    -Dbench.serverCpu="$server_cpu" -Dbench.clientCpu="$client_cpu" \
    -Dbench.fanclient=benchmarks/target/fanclient -Dbench.writefloor=benchmarks/target/writefloor \
    -cp benchmarks/target/benchmarks.jar io.threadwire.benchmarks.load.LoadHarness "${args[@]}"
else
  mkdir -p "$(dirname "$out")"
  : > "$out"
fi

if [[ "$redis" == 1 ]]; then
  echo "run.sh: two nodes over the Redis at 127.0.0.1:6379 (the JVM on CPU ${server_cpu:-any}, Redis unpinned)" >&2
  section="$("${pin[@]}" java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC \
    -cp benchmarks/target/benchmarks.jar io.threadwire.benchmarks.redis.TwoNodeBench "$redis_seconds")"
  printf '%s\n' "$section"
  printf '\n%s\n' "$section" >> "$out"
fi
