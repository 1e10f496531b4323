#!/usr/bin/env bash
# End-to-end check of the packaged service (target/quarkus-app) on its embedded default:
# read the bootstrap admin API key it writes on first start (every request below sends it as X-API-Key), check
# that anonymous requests are refused, create customers over REST, read one through GraphQL, paginate, survive a
# SIGKILL (the next start must deal with the orphaned embedded PostgreSQL and Redis and keep the data and the
# key), then stop cleanly on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
DATA=$(mktemp -d)
PORT=${E2E_PORT:-18090}
BASE="http://127.0.0.1:$PORT"
LOG="$DATA/service.log"
PID=
KEY=
. .ci/lib.sh

cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; fi
  pkill -f -- "$DATA/postgres" 2>/dev/null || true
  pkill -f -- "redis-server.*$PORT" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

start() {
  CRM_DATA_DIR="$DATA" QUARKUS_HTTP_PORT="$PORT" java -jar "$JAR" >>"$LOG" 2>&1 &
  PID=$!
  wait_ready "$BASE/q/health/ready" "$PID" "$LOG" 90
}

api() { curl -fsS -H "X-API-Key: $KEY" "$@"; } # curl with the bootstrap admin API key

post_customer() {
  api -X POST "$BASE/api/v1/customers" -H 'Content-Type: application/json' -d "$1" | json "d['id']"
}

embedded_pg_running() { pgrep -f -- "$DATA/postgres" >/dev/null; }

check "service starts on the embedded default" start
KEY=$(cat "$DATA/bootstrap-api-key" 2>/dev/null || true)
bootstrap_key_written() { [[ "$KEY" =~ ^hcrm_[0-9A-Za-z]{40}$ ]]; }
check "the first start writes a bootstrap admin API key (hcrm_...) to \$CRM_DATA_DIR/bootstrap-api-key" bootstrap_key_written

anonymous_refused() { # 401 as problem+json
  local ct
  ct=$(curl -sS -o /dev/null -w '%{http_code} %{content_type}' "$BASE/api/v1/customers")
  [[ "$ct" == "401 application/problem+json"* ]] || { echo "     got: $ct"; return 1; }
}
check "an anonymous GET /api/v1/customers is 401 application/problem+json" anonymous_refused

ID1=$(post_customer '{"name": "Ada Lovelace", "email": "ada@example.com", "attributes": {"e2e": "yes"}}')
ID2=$(post_customer '{"name": "Grace Hopper", "type": "INDIVIDUAL", "attributes": {"e2e": "yes"}}')
ID3=$(post_customer '{"name": "Acme Corp", "type": "ENTERPRISE", "attributes": {"e2e": "yes"}}')
check "three customers created over REST" test -n "$ID1" -a -n "$ID2" -a -n "$ID3"

NAME=$(api -X POST "$BASE/graphql" -H 'Content-Type: application/json' \
  -d "{\"query\": \"query(\$id: ID!) { customer(id: \$id) { name } }\", \"variables\": {\"id\": \"$ID1\"}}" \
  | json "d['data']['customer']['name']")
check "the customer reads back through GraphQL" test "$NAME" = "Ada Lovelace"

page_walk() {
  local next="/api/v1/customers?limit=2&attr.e2e=yes" ids="" pages=0 body
  while [ "$next" != "None" ]; do
    body=$(api "$BASE$next")
    ids="$ids $(echo "$body" | json "' '.join(i['id'] for i in d['items'])")"
    next=$(echo "$body" | json "d.get('next')")
    pages=$((pages + 1))
    [ "$pages" -le 10 ] || return 1 # a broken next link must not loop forever
  done
  [ "$pages" = 2 ] && [ "$(echo $ids | tr ' ' '\n' | sort -u | wc -l)" = 3 ]
}
check "keyset pagination returns 3 customers over 2 pages" page_walk

second_instance_refused() { # a second service on the same CRM_DATA_DIR must not touch the first one's servers
  local rc=0
  CRM_DATA_DIR="$DATA" QUARKUS_HTTP_PORT=$((PORT + 1)) timeout 120 java -jar "$JAR" >"$DATA/second.log" 2>&1 || rc=$?
  [ "$rc" != 0 ] && grep -q "in use by another running Headless CRM" "$DATA/second.log" \
    && api "$BASE/api/v1/customers/$ID1" >/dev/null
}
check "a second service on the same data directory is refused and the first keeps serving" second_instance_refused

kill -KILL "$PID"; wait "$PID" 2>/dev/null || true
check "after SIGKILL the embedded PostgreSQL is left running (the case to recover from)" embedded_pg_running
check "the service starts again after the crash" start
check "data survived the crash" test "$(api "$BASE/api/v1/customers/$ID2" | json "d['name']")" = "Grace Hopper"
key_survived() { # the file still holds the same key, and the service still takes it
  [ -n "$KEY" ] && [ "$(cat "$DATA/bootstrap-api-key")" = "$KEY" ] \
    && [ "$(curl -sS -o /dev/null -w '%{http_code}' -H "X-API-Key: $KEY" "$BASE/api/v1/customers")" = 200 ]
}
check "the bootstrap API key survives the crash and still works" key_survived

stopped() { # Quarkus exits 0 on SIGTERM after a graceful shutdown (143 if the JVM reports the signal)
  local rc=0
  wait "$PID" || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 143 ]
}
kill -TERM "$PID"
check "SIGTERM stops the service" stopped
PID=
sleep 1
pg_stopped() { ! embedded_pg_running; }
check "SIGTERM also stops the embedded PostgreSQL" pg_stopped
redis_stopped() { ! { [ -f "$DATA/redis/redis.pid" ] && kill -0 "$(cat "$DATA/redis/redis.pid")" 2>/dev/null; }; }
check "SIGTERM also stops the embedded Redis" redis_stopped
check "a clean restart reuses the data" start
check "data survived the restart" test "$(api "$BASE/api/v1/customers/$ID3" | json "d['type']")" = "ENTERPRISE"

echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
