#!/usr/bin/env bash
# Aggregate reports out at scale (docs/REPORTING.md): generates a day of message records, measures the
# local record sink, then times `mailgate report aggregate` over them in a 512 MB heap.
#   bench/report-aggregate.sh [records] [policy-domains] [records-per-file]
# Defaults: 1,000,000 records over 10,000 policy domains, 1,000 records per JSONL file.
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-1000000}
DOMAINS=${2:-10000}
PER_FILE=${3:-1000}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mailgate-report-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mvn -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >&2
CP="target/test-classes:target/classes:$(cat target/bench-cp.txt)"

java -Xmx1g -cp "$CP" dev.mailgate.bench.RecordGenerator "$WORK/bucket" "$RECORDS" "$DOMAINS" "$PER_FILE" 50000

run() {
  /usr/bin/time -f "wall %e s, user %U s, system %S s, max RSS %M KB" \
    java -Xmx512m -cp "$CP" dev.mailgate.cli.Main report aggregate --bucket-dir "$WORK/bucket" \
      --date 2026-11-27 --outbox "$WORK/outbox" --dns-fixture "$WORK/bucket/dns.zone" \
      --from dmarc-reports@mailgate.example --now 1795915800 "$@"
}
echo "first run (every report is sent into the outbox):"
run
echo "second run (idempotent: every destination already has its report):"
run
echo "outbox: $(find "$WORK/outbox" -name '*.eml' | wc -l) report emails, $(du -sh "$WORK/outbox" | cut -f1)"
