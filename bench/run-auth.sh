#!/usr/bin/env bash
# Full authentication throughput over a mixed corpus (see AuthThroughput's Javadoc).
#   bench/run-auth.sh [messages] [passes]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >&2
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" dev.mailgate.bench.AuthThroughput "$@"
