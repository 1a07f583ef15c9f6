#!/usr/bin/env bash
# Writes the class list the CLI preloads on a second thread for invoke and sweep
# (src/main/resources/dev/mailgate/cli/preload.txt): the classes the README's main command loads from the
# jar, in the order it loads them (docs/PERFORMANCE.md, "Cold start"). Run after changing what the local
# path loads; a stale list only makes preloading less useful (a missing class is skipped).
#   bench/preload-list.sh        (builds target/mailgate.jar when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/mailgate.jar
[ -f "$JAR" ] || mvn -q -o package -DskipTests
LOG=$(mktemp)
OUT=$(mktemp -d)
# Without preloading: the list must be what the command needs, not what the last list said.
java -Dmailgate.preload=false -Xlog:class+load:file="$LOG" -jar "$JAR" invoke --dns-fixture events/dns-fixture.zone \
  --config events/config.json --outbox "$OUT" events/ses-sync.json events/ses-async.json events/s3-put.json > /dev/null
{
  echo "# Classes the local invoke path loads from the jar, in load order (bench/preload-list.sh writes this)."
  grep -F "source: file:" "$LOG" | grep -F "mailgate.jar" | awk '{print $2}'
} > src/main/resources/dev/mailgate/cli/preload.txt
rm -rf "$LOG" "$OUT"
echo "$(grep -vc '^#' src/main/resources/dev/mailgate/cli/preload.txt) classes in src/main/resources/dev/mailgate/cli/preload.txt"
