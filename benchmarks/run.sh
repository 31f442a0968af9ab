#!/usr/bin/env bash
# Runs every Threadwire benchmark and prints one Markdown report (also written to
# benchmarks/target/RESULTS.md, or to --out FILE). Options: --quick (a short smoke run: 1 s runs,
# one repetition), --no-jmh (skip the JMH core benchmarks), --repetitions N (default 3),
# --run-seconds S (fan-out run length, default 3), --only SECTIONS (comma-separated of
# fanout,latency,slow,replay,memory; latency runs inside fanout).
# The server JVM is pinned to one core and the C load client (src/main/c/fanclient.c, built here
# with gcc) to another with taskset; BENCH_SERVER_CPU / BENCH_CLIENT_CPU override (default 1 / 0).
# Run it on a quiet machine: other load on either core shows up in every figure.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -DskipTests -pl benchmarks -am package
gcc -O2 -Wall -Wextra -o benchmarks/target/fanclient benchmarks/src/main/c/fanclient.c

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

exec "${pin[@]}" java -Xms3g -Xmx3g -XX:+UseG1GC \
  -Dbench.serverCpu="$server_cpu" -Dbench.clientCpu="$client_cpu" \
  -Dbench.fanclient=benchmarks/target/fanclient \
  -cp benchmarks/target/benchmarks.jar io.threadwire.benchmarks.load.LoadHarness "$@"
