#!/usr/bin/env bash
# Runs every Threadwire benchmark and prints one Markdown report (also written to
# benchmarks/target/RESULTS.md, or to --out FILE). Options: --quick (a short smoke run),
# --no-jmh (skip the JMH core benchmarks), --repetitions N (default 5).
# Bounded time: about 10 minutes on a 2-core machine; --quick about 3.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -DskipTests -pl benchmarks -am package

# Both processes hold one socket per connection (10,000 each in the largest runs).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [[ "$(ulimit -n)" -lt 12000 ]]; then
  echo "run.sh: need at least 12000 open files per process (ulimit -n is $(ulimit -n))" >&2
  exit 1
fi

exec java -Xms3g -Xmx3g -XX:+UseG1GC \
  -cp benchmarks/target/benchmarks.jar io.threadwire.benchmarks.load.LoadHarness "$@"
