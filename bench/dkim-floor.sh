#!/usr/bin/env bash
# DKIM verification against the machine's floor (openssl speed), issue 3's 2x target.
#   bench/dkim-floor.sh [warm-up iterations] [measurement iterations]
# Prints a table: verifications/s, us each, floor us, ratio. See DkimFloorReport's Javadoc.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >&2
exec java --add-opens=java.base/java.math=ALL-UNNAMED -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" dev.mailgate.bench.DkimFloorReport "$@"
