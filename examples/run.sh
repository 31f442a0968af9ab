#!/usr/bin/env bash
# Runs the example app in its own JVM, as in production, with only the app on the console: Maven
# 3.8 prints stray ESC[0m codes around a goal's output even in batch mode (`mvn -B -q validate`
# shows them), so the app is not run through exec:exec here. Pass -D settings as arguments; the
# environment variables application.conf names (THREADWIRE_HTTP_PORT, ...) work as usual.
# Needs `mvn -B -q install -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null 2>&1 ||
  mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
exec java "$@" -cp "target/classes:$(cat target/classpath.txt)" io.threadwire.examples.Main
