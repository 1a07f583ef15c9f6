#!/usr/bin/env bash
# Cold start of the local gateway: process start to the first event handled (mailgate invoke on the
# synchronous sample event, offline), median of N runs, for a few JVM flag sets; and the jar's size.
#   bench/coldstart.sh [RUNS]        (default 10; builds target/mailgate.jar when missing)
# Figures and the flags chosen: docs/GATEWAY.md, "Performance".
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10}"
JAR=target/mailgate.jar
[ -f "$JAR" ] || mvn -q -o package -DskipTests
ARGS=(invoke --dns-fixture events/dns-fixture.zone --config events/config.json --outbox target/coldstart-outbox
      events/ses-sync.json)
CDS=target/mailgate-cds.jsa

# One training run writes the application class-data archive (AppCDS, JDK 13+ dynamic archive).
java -XX:ArchiveClassesAtExit="$CDS" -jar "$JAR" "${ARGS[@]}" > /dev/null 2>&1

median_ms() { # command... -> median wall time in ms of RUNS runs
  local times=()
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" > /dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'
}

printf '%-58s %s\n' "flags" "median ms (${RUNS} runs)"
printf '%-58s %s\n' "(none)" "$(median_ms java -jar "$JAR" "${ARGS[@]}")"
printf '%-58s %s\n' "-XX:TieredStopAtLevel=1" "$(median_ms java -XX:TieredStopAtLevel=1 -jar "$JAR" "${ARGS[@]}")"
printf '%-58s %s\n' "-XX:SharedArchiveFile (AppCDS)" "$(median_ms java -XX:SharedArchiveFile="$CDS" -jar "$JAR" "${ARGS[@]}")"
printf '%-58s %s\n' "-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile" \
  "$(median_ms java -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="$CDS" -jar "$JAR" "${ARGS[@]}")"
printf '%-58s %s\n' "-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile -XX:+UseSerialGC" \
  "$(median_ms java -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="$CDS" -XX:+UseSerialGC -jar "$JAR" "${ARGS[@]}")"
printf '%-58s %s\n' "(reference: java -jar mailgate.jar --version)" "$(median_ms java -jar "$JAR" --version)"
printf 'jar: %s bytes (%s MB)\n' "$(stat -c %s "$JAR")" "$(awk "BEGIN {printf \"%.1f\", $(stat -c %s "$JAR")/1048576}")"
