#!/usr/bin/env bash
# Runs JMH benchmarks (src/test/java/dev/mailgate/bench) from the test classpath.
#   bench/jmh.sh SpfBenchmark -f 1 -wi 3 -i 5 -t 1
# Arguments go to org.openjdk.jmh.Main unchanged (-h lists them). Figures: docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >&2
exec java --add-opens=java.base/java.math=ALL-UNNAMED -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" org.openjdk.jmh.Main "$@"
