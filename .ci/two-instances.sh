#!/usr/bin/env bash
# Two instances of the packaged service on one PostgreSQL and one Redis (the first one's embedded servers):
# while writers change customers' tags through one instance and readers hammer both, every read made right after
# an acknowledged write, through the *other* instance, must return the new tag set (the Redis cache is shared and
# invalidated before a write is answered).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
DATA_A=$(mktemp -d)
DATA_B=$(mktemp -d)
PORT_A=${E2E_PORT:-18092}
PORT_B=$((PORT_A + 1))
# one client hammers both instances here; the shared rate limit is not what this checks
export CRM_RATE_LIMIT_BURST=1000000 CRM_RATE_LIMIT_PER_SECOND=1000000
KEY="hcrm_$(python3 -c 'import secrets, string; print("".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(40)))')"
PID_A=
PID_B=
. .ci/lib.sh

cleanup() {
  set +e
  for pid in $PID_B $PID_A; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$DATA_A" "$DATA_B"
}
trap cleanup EXIT

start_a() {
  CRM_DATA_DIR="$DATA_A" QUARKUS_HTTP_PORT="$PORT_A" CRM_BOOTSTRAP_API_KEY="$KEY" \
    java -jar "$JAR" </dev/null >"$DATA_A/service.log" 2>&1 &
  PID_A=$!
  wait_ready "http://127.0.0.1:$PORT_A/q/health/ready" "$PID_A" "$DATA_A/service.log" 90
}
check "instance A starts on its embedded PostgreSQL and Redis" start_a

embedded_port() { grep -o "Embedded $1 listens on 127.0.0.1:[0-9]*" "$DATA_A/service.log" | head -1 | sed 's/.*://'; }
PG_PORT=$(embedded_port PostgreSQL)
REDIS_PORT=$(embedded_port Redis)

start_b() {
  CRM_DATA_DIR="$DATA_B" QUARKUS_HTTP_PORT="$PORT_B" CRM_BOOTSTRAP_API_KEY="$KEY" \
    CRM_DB_URL="postgresql://postgres@127.0.0.1:$PG_PORT/crm" CRM_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    java -jar "$JAR" </dev/null >"$DATA_B/service.log" 2>&1 &
  PID_B=$!
  wait_ready "http://127.0.0.1:$PORT_B/q/health/ready" "$PID_B" "$DATA_B/service.log" 90
}
check "instance B starts on A's PostgreSQL ($PG_PORT) and Redis ($REDIS_PORT)" start_b

consistent() {
  python3 .ci/two-instances.py "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "$KEY"
}
check "reads through either instance right after a write always see it" consistent

echo "two-instances: $passed passed, $failed failed"
[ "$failed" = 0 ]
