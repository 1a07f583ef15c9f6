#!/usr/bin/env bash
# Cold start of the local gateway: process start to the first event handled (mailgate invoke on the
# synchronous sample event, offline), median wall time and median user+sys CPU time of N runs, for a
# few JVM flag sets; and the jar's size. The machine load is printed: a shared machine inflates wall times.
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

median_ms() { # command... -> "median wall ms, median user+sys CPU ms" of RUNS runs
  local walls=() cpus=() tf
  tf=$(mktemp)
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o "$tf" "$@" > /dev/null 2>&1
    t1=$(date +%s%N)
    walls+=($(( (t1 - t0) / 1000000 )))
    cpus+=($(awk '{printf "%d", ($1 + $2) * 1000}' "$tf"))
  done
  rm -f "$tf"
  printf '%s %s\n' "$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}')" \
    "$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}')"
}

row() { # label command...
  local label=$1; shift
  read -r wall cpu < <(median_ms "$@")
  printf '%-58s %8s %8s\n' "$label" "$wall" "$cpu"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-58s %8s %8s\n' "flags (${RUNS} runs each)" "wall ms" "cpu ms"
row "(none): java -jar target/mailgate.jar invoke ..." java -jar "$JAR" "${ARGS[@]}"
row "-Dmailgate.preload=false (no class preloading)" java -Dmailgate.preload=false -jar "$JAR" "${ARGS[@]}"
row "-XX:TieredStopAtLevel=1" java -XX:TieredStopAtLevel=1 -jar "$JAR" "${ARGS[@]}"
row "-XX:SharedArchiveFile (AppCDS)" java -XX:SharedArchiveFile="$CDS" -jar "$JAR" "${ARGS[@]}"
row "-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile" \
  java -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="$CDS" -jar "$JAR" "${ARGS[@]}"
row "-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile -XX:+UseSerialGC" \
  java -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="$CDS" -XX:+UseSerialGC -jar "$JAR" "${ARGS[@]}"
row "(reference: java -jar mailgate.jar --version)" java -jar "$JAR" --version
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'jar: %s bytes (%s MB)\n' "$(stat -c %s "$JAR")" "$(awk "BEGIN {printf \"%.1f\", $(stat -c %s "$JAR")/1048576}")"
