#!/usr/bin/env bash
# Full authentication throughput over a mixed corpus (see AuthThroughput's Javadoc).
#   bench/run-auth.sh [messages] [steady passes] [max warm-up passes]
# BENCH_JAVA_OPTS adds JVM flags, e.g. BENCH_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" for
# what the Lambda java21 runtime runs with by default.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >&2
exec java -Xmx2g --add-opens=java.base/java.math=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" dev.mailgate.bench.AuthThroughput "$@"
