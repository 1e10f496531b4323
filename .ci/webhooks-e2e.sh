#!/usr/bin/env bash
# Webhook delivery survives crashes: the packaged service on its embedded PostgreSQL and Redis, one endpoint on a
# local receiver (.ci/WebhookReceiver.java, checking every signature), 5,000 touchpoints created in batches of 500
# (each item with an idempotency key, so a batch cut off by a crash is simply sent again), and while the outbox is
# being delivered the service is SIGKILLed twice and restarted on the same data directory. Every message must
# reach the receiver with a 2xx (at least once; the duplicates a crash causes are counted, not failed), every
# signature must verify, and the service's delivery log must show every message DELIVERED.
# The receiver answers 500 to the first request of WEBHOOKS_E2E_FAIL_PERCENT % (default 2) of the messages, so
# retries are part of the run. Messages claimed by a killed instance come back after their lease (20 s here).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
DATA=$(mktemp -d)
PORT=${E2E_PORT:-18094}
RECEIVER_PORT=$((PORT + 1))
BASE="http://127.0.0.1:$PORT"
LOG="$DATA/service.log"
RECEIVED="$DATA/received.txt"
TOUCHPOINTS=5000
BATCH=500
CUSTOMERS=10
KILL_AT=(1000 3000)   # SIGKILL the service once the receiver has this many requests
DEADLINE=180          # seconds, after the last restart, for every message to arrive
# endpoints on 127.0.0.1 are allowed; a rate limit that never refuses; a short lease so that the messages a killed
# instance had claimed come back soon (it must outlast connect + request timeouts)
export CRM_WEBHOOK_ALLOWLIST=127.0.0.0/8 CRM_RATE_LIMIT_BURST=1000000 CRM_RATE_LIMIT_PER_SECOND=1000000 \
  CRM_WEBHOOK_DISPATCH_LEASE=20s CRM_WEBHOOK_DISPATCH_REQUEST_TIMEOUT=5s CRM_WEBHOOK_DISPATCH_CONNECT_TIMEOUT=2s
PID=
RECEIVER_PID=
CREATOR_PID=
. .ci/lib.sh
KEY=$(random_api_key)

cleanup() {
  set +e
  [ -n "$CREATOR_PID" ] && kill -TERM "$CREATOR_PID" 2>/dev/null && wait "$CREATOR_PID" 2>/dev/null
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID"; wait "$PID" 2>/dev/null; fi
  # a service killed last leaves its embedded servers: stop the ones its pid files name (if they still are ours)
  local f pid
  for f in "$DATA/postgres/postmaster.pid" "$DATA/redis/redis.pid"; do
    pid=$(head -n1 "$f" 2>/dev/null | tr -dc 0-9)
    if [ -n "$pid" ] && grep -qE '^(postgres|redis-server)' "/proc/$pid/comm" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
  [ -n "$RECEIVER_PID" ] && kill -TERM "$RECEIVER_PID" 2>/dev/null && wait "$RECEIVER_PID" 2>/dev/null
  if [ "${KEEP_DATA:-0}" = 1 ]; then echo "data kept in $DATA"; else rm -rf "$DATA"; fi
}
trap cleanup EXIT

start() {
  echo "--- start $(date +%T)" >>"$LOG"
  CRM_DATA_DIR="$DATA" QUARKUS_HTTP_PORT="$PORT" CRM_BOOTSTRAP_API_KEY="$KEY" java -jar "$JAR" </dev/null >>"$LOG" 2>&1 &
  PID=$!
  wait_ready "$BASE/q/health/ready" "$PID" "$LOG" 90
}

api() { curl -fsS -H "X-API-Key: $KEY" -H 'Content-Type: application/json' "$@"; }

receipts() { wc -l <"$RECEIVED" 2>/dev/null || echo 0; }
delivered_ids() { awk '$2 ~ /^2/ { print $1 }' "$RECEIVED" | sort -u | wc -l; }

check "service starts on the embedded default" start

ENDPOINT=$(api -X POST "$BASE/api/v1/webhook-endpoints" \
  -d "{\"url\": \"http://127.0.0.1:$RECEIVER_PORT/hook\", \"eventTypes\": [\"touchpoint.created\"]}")
ENDPOINT_ID=$(echo "$ENDPOINT" | json "d['id']")
SECRET=$(echo "$ENDPOINT" | json "d['secret']")
endpoint_created() { [[ "$SECRET" =~ ^whsec_[A-Za-z0-9+/]{43}=$ ]]; }
check "a webhook endpoint for touchpoint.created is created with a whsec_ secret" endpoint_created

start_receiver() {
  : >"$RECEIVED"
  FAIL_PERCENT=${WEBHOOKS_E2E_FAIL_PERCENT:-2} java .ci/WebhookReceiver.java "$RECEIVER_PORT" "$RECEIVED" "$SECRET" \
    </dev/null >"$DATA/receiver.log" 2>&1 &
  RECEIVER_PID=$!
  wait_ready "http://127.0.0.1:$RECEIVER_PORT/" "$RECEIVER_PID" "$DATA/receiver.log" 60
}
check "the receiver listens on port $RECEIVER_PORT" start_receiver

for i in $(seq 1 "$CUSTOMERS"); do
  api -X POST "$BASE/api/v1/customers" -d "{\"name\": \"Webhook E2E $i\", \"email\": \"wh$i@example.com\"}" | json "d['id']"
done >"$DATA/customers.txt"
check "$CUSTOMERS customers created" test "$(grep -c . "$DATA/customers.txt")" = "$CUSTOMERS"

# the batches, written once: item n goes to customer n mod CUSTOMERS and has the idempotency key e2e-n
python3 - "$DATA" "$TOUCHPOINTS" "$BATCH" <<'PY'
import json, sys
data, total, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
customers = open(f"{data}/customers.txt").read().split()
for b in range(0, total, size):
    items = [{"customerId": customers[n % len(customers)], "channel": "EMAIL", "idempotencyKey": f"e2e-{n}",
              "content": {"subject": f"Touchpoint {n}", "body": f"Hello, this is touchpoint {n} of the webhook e2e run."}}
             for n in range(b, min(b + size, total))]
    with open(f"{data}/batch-{b // size}.json", "w") as f:
        json.dump({"items": items}, f)
PY

# Posts every batch until it is answered 200, across the crashes (a retried batch replays what it created).
create_all() {
  local b deadline=$((SECONDS + 300)) out
  for b in $(seq 0 $(((TOUCHPOINTS + BATCH - 1) / BATCH - 1))); do
    until out=$(curl -fsS --max-time 60 -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
      -X POST "$BASE/api/v1/touchpoints/batch" --data-binary "@$DATA/batch-$b.json" 2>&1); do
      [ "$SECONDS" -lt "$deadline" ] || { echo "batch $b: gave up: $out"; return 1; }
      sleep 0.5
    done
    echo "$out" | json "'batch $b: created %d, replayed %d' % (d['created'], d['replayed'])"
  done
}
T0=$SECONDS
create_all >"$DATA/create.log" 2>&1 &
CREATOR_PID=$!

crash_at() { # crash_at <receipts>: SIGKILL the service once the receiver has that many requests, then restart it
  local deadline=$((SECONDS + 120))
  until [ "$(receipts)" -ge "$1" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "     only $(receipts) requests received after 120 s"; return 1; }
    sleep 0.05
  done
  echo "     SIGKILL at $(receipts) requests received, $((SECONDS - T0)) s in"
  kill -KILL "$PID"
  wait "$PID" 2>/dev/null || true
  start
}
for n in "${KILL_AT[@]}"; do
  check "SIGKILLed while delivering (at $n requests received) and started again on the same data" crash_at "$n"
done

creator_done() { local rc=0; wait "$CREATOR_PID" || rc=$?; CREATOR_PID=; sed 's/^/     /' "$DATA/create.log"; [ "$rc" = 0 ]; }
check "all $((TOUCHPOINTS / BATCH)) batches of $BATCH touchpoints accepted across the crashes" creator_done

all_delivered() {
  local deadline=$((SECONDS + DEADLINE))
  until [ "$(delivered_ids)" -ge "$TOUCHPOINTS" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "     only $(delivered_ids) of $TOUCHPOINTS messages delivered after $DEADLINE s"; return 1; }
    sleep 0.5
  done
  echo "     all delivered $((SECONDS - T0)) s after the first batch was sent"
}
check "the receiver gets a 2xx for all $TOUCHPOINTS messages within $DEADLINE s of the last restart" all_delivered

sleep 1 # a late duplicate, if any, is still counted
kill -TERM "$RECEIVER_PID"; wait "$RECEIVER_PID" 2>/dev/null || true
RECEIVER_PID=
read -r DISTINCT TOTAL DUPLICATES RETRIED <<<"$(awk '
  { n++ } !($1 in first) { first[$1] = $2 }
  $2 ~ /^2/ { if ($1 in ok) dup++; ok[$1] = 1 }
  END { d = 0; r = 0; for (i in ok) d++; for (i in first) if (first[i] !~ /^2/) r++; print d, n, dup + 0, r }' "$RECEIVED")"
BAD_SIGNATURES=$(sed -n 's/^bad_signatures=//p' "$RECEIVED.summary" 2>/dev/null || true)
echo "     received: $DISTINCT distinct webhook-ids with a 2xx, $TOTAL requests, $DUPLICATES duplicates" \
  "(requests after an id's first 2xx), $RETRIED first answered 500, ${BAD_SIGNATURES:-?} bad signatures"
check "exactly $TOUCHPOINTS distinct webhook-ids delivered" test "$DISTINCT" = "$TOUCHPOINTS"
check "every signature verifies" test "${BAD_SIGNATURES:-missing}" = 0
check "no body lacks data.touchpoint.createdAt" test "$(awk '$4 == "-"' "$RECEIVED" | wc -l)" = 0

# the service's delivery log agrees: as many messages as touchpoints, all DELIVERED, the same webhook-ids
delivery_log() {
  local next="/api/v1/webhook-endpoints/$ENDPOINT_ID/messages?limit=100" page
  : >"$DATA/log.txt"
  while [ "$next" != None ]; do
    page=$(api "$BASE$next")
    echo "$page" | json "'\n'.join(i['webhookId'] + ' ' + i['state'] for i in d['items'])" >>"$DATA/log.txt"
    next=$(echo "$page" | json "d.get('nextCursor') and '/api/v1/webhook-endpoints/$ENDPOINT_ID/messages?limit=100&cursor=' + d['nextCursor']")
  done
  local states
  states=$(awk 'NF { print $2 }' "$DATA/log.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ',')
  echo "     delivery log: ${states%,}"
  [ "$(grep -c ' DELIVERED$' "$DATA/log.txt")" = "$TOUCHPOINTS" ] && [ "$(grep -c . "$DATA/log.txt")" = "$TOUCHPOINTS" ] \
    && diff <(awk '{ print $1 }' "$DATA/log.txt" | sort) <(awk '$2 ~ /^2/ { print $1 }' "$RECEIVED" | sort -u) >/dev/null
}
check "the service's delivery log shows the same $TOUCHPOINTS messages, all DELIVERED" delivery_log

echo "webhooks-e2e: $passed passed, $failed failed ($((SECONDS - T0)) s from the first batch)"
[ "$failed" = 0 ]
