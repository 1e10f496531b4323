#!/usr/bin/env bash
# Two instances of the packaged service on one PostgreSQL and one Redis (the first one's embedded servers):
# while writers change customers' tags through one instance and readers hammer both, every read made right after
# an acknowledged write, through the *other* instance, must return the new tag set (the Redis cache is shared and
# invalidated before a write is answered). A campaign run on B is SIGKILLed half way and resumed by B restarted:
# everyone reached once. Then segment upkeep runs on both while events arrive through both, and B is SIGKILLed
# half way: memberships converge through A, each entry recorded once. Lead rules: B SIGKILLed while 1,100 sequences
# are half-matched; restarted, it makes every due lead once, and none for those who paid while it was down.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
DATA_A=$(mktemp -d)
DATA_B=$(mktemp -d)
PORT_A=${E2E_PORT:-18092}
PORT_B=$((PORT_A + 1))
# one client hammers both instances here; the shared rate limit is not what this checks
# (the segment check subscribes an endpoint on 127.0.0.1 that nobody answers, to read the messages written)
export CRM_RATE_LIMIT_BURST=1000000 CRM_RATE_LIMIT_PER_SECOND=1000000 CRM_WEBHOOK_ALLOWLIST=127.0.0.0/8
# instances that share a database share the key that encrypts webhook secrets (one without it refuses to start)
new_secret_key() { python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'; }
CRM_WEBHOOK_SECRET_KEY=$(new_secret_key)
export CRM_WEBHOOK_SECRET_KEY
PID_A=
PID_B=
. .ci/lib.sh
KEY=$(random_api_key)

cleanup() {
  set +e
  for pid in $PID_B $PID_A; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$DATA_A" "$DATA_B"
}
trap cleanup EXIT

# only B works campaign runs (small batches, a short lease) and lead rules, so the checks know whom to kill
start_a() {
  CRM_DATA_DIR="$DATA_A" QUARKUS_HTTP_PORT="$PORT_A" CRM_BOOTSTRAP_API_KEY="$KEY" CRM_CAMPAIGNS_WORKERS_ENABLED=false \
    CRM_LEADS_WORKERS_ENABLED=false \
    java -jar "$JAR" </dev/null >"$DATA_A/service.log" 2>&1 &
  PID_A=$!
  wait_ready "http://127.0.0.1:$PORT_A/q/health/ready" "$PID_A" "$DATA_A/service.log" 90
}
check "instance A starts on its embedded PostgreSQL and Redis" start_a

embedded_port() { grep -o "Embedded $1 listens on 127.0.0.1:[0-9]*" "$DATA_A/service.log" | head -1 | sed 's/.*://'; }
PG_PORT=$(embedded_port PostgreSQL)
REDIS_PORT=$(embedded_port Redis)

start_b() {
  CRM_DATA_DIR="$DATA_B" QUARKUS_HTTP_PORT="$PORT_B" CRM_BOOTSTRAP_API_KEY="$KEY" CRM_CAMPAIGNS_BATCH_SIZE=25 \
    CRM_CAMPAIGNS_LEASE=5s \
    CRM_DB_URL="postgresql://postgres@127.0.0.1:$PG_PORT/crm" CRM_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    java -jar "$JAR" </dev/null >"$DATA_B/service.log" 2>&1 &
  PID_B=$!
  wait_ready "http://127.0.0.1:$PORT_B/q/health/ready" "$PID_B" "$DATA_B/service.log" 90
}
check "instance B starts on A's PostgreSQL ($PG_PORT) and Redis ($REDIS_PORT)" start_b

other_key_refused() { # the database keeps the fingerprint of the key that sealed its webhook secrets
  local rc=0 dir
  dir=$(mktemp -d)
  CRM_DATA_DIR="$dir" QUARKUS_HTTP_PORT=$((PORT_B + 1)) CRM_WEBHOOK_SECRET_KEY="$(new_secret_key)" \
    CRM_DB_URL="postgresql://postgres@127.0.0.1:$PG_PORT/crm" CRM_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    timeout 120 java -jar "$JAR" </dev/null >"$DATA_B/other-key.log" 2>&1 || rc=$?
  rm -rf "$dir"
  [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -q "Set CRM_WEBHOOK_SECRET_KEY" "$DATA_B/other-key.log"
}
check "a third instance with another CRM_WEBHOOK_SECRET_KEY refuses to start and says what to set" other_key_refused

consistent() {
  python3 .ci/two-instances.py "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "$KEY"
}
check "reads through either instance right after a write always see it" consistent

campaign() {
  python3 .ci/two-instances-campaigns.py start "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "$KEY" "$PID_B" \
    "$DATA_A/campaign.json" || return 1
  wait "$PID_B" 2>/dev/null || true # reaped: it was SIGKILLed
  start_b || return 1
  python3 .ci/two-instances-campaigns.py verify "http://127.0.0.1:$PORT_A" "$KEY" "$DATA_A/campaign.json"
}
check "a campaign run on B, B SIGKILLed half way and restarted: everyone reached once" campaign

leads() {
  python3 .ci/two-instances-leads.py start "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "$KEY" "$PID_B" \
    "$DATA_A/leads.json" || return 1
  wait "$PID_B" 2>/dev/null || true # reaped: it was SIGKILLed
  start_b || return 1
  python3 .ci/two-instances-leads.py verify "http://127.0.0.1:$PORT_A" "$KEY" "$DATA_A/leads.json"
}
check "1,100 lead sequences half-matched on B, B SIGKILLed and restarted: every due lead made once, none for who paid" leads

segments() { # last: it kills B
  python3 .ci/two-instances-segments.py "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "$KEY" "$PID_B"
}
check "segment upkeep on both instances, B SIGKILLed half way: every change once, none lost" segments

echo "two-instances: $passed passed, $failed failed"
[ "$failed" = 0 ]
