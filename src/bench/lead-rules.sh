#!/usr/bin/env bash
# Issue 14's measures for lead rules, in one run on one database (the packaged service's embedded PostgreSQL), over
# the data set of segment-scale.sh (src/bench/generate.sql: 1,000,000 customers and 10,000,000 events by default):
#   1. sustained event ingestion (POST /api/v1/events, batches of 1000, CONCURRENCY at once) with no lead rule, then
#      the same number of fresh events with 20 active rules (single-event and sequence): events accepted per second
#      and events accepted *and matched* per second (until the matcher has caught up after the last batch), each as
#      a ratio of the rate with no rules (target ≥ 0.7 for the second, the sustained one);
#   2. the delay from an accepted event (event.received_at) to the lead.created webhook at the receiver
#      (.ci/WebhookReceiver.java, first receipt of each message), RATE events per second for SECONDS seconds, one per
#      request, for a real-time rule: p50 and p99 (target p99 ≤ 1 s);
#   3. how late an absence ("cart, then no payment within 5 s") fires after its deadline (lead.created_at -
#      lead.triggered_at), RATE carts per second for SECONDS seconds: p50 and p99 (target p99 ≤ 2 s).
#
# Usage: src/bench/lead-rules.sh [--customers N] [--events N] [--ingest N] [--concurrency C] [--rate R]
#                                [--seconds S] [--shared-buffers SIZE] [--build] [--snapshot DIR]
# Defaults: 1000000 customers, 10000000 events, 200000 events per ingestion phase, 4 at once, 20 events/s for 30 s.
# --shared-buffers: PostgreSQL's shared_buffers for the phases (default 2GB, set with ALTER SYSTEM and a restart; the
# embedded server's own default is 128MB, a sixtieth of this data set, so every step read most of its pages from the
# OS instead). Both phases run with the same setting.
# --snapshot DIR: the first run keeps a copy of the generated data in DIR (the service stopped for it); later runs
# start from that copy instead of generating again (12 minutes less at 1M; for iterating on the matcher, whose own
# schema changes Flyway applies on start; the copy must have been made with the same --customers and --events).
# Writes target/bench/lead-rules.json. See src/bench/README.md.
set -euo pipefail

CUSTOMERS=1000000
EVENTS=10000000
INGEST=200000
CONCURRENCY=4
RATE=20
SECONDS_=30
BUILD=0
SNAPSHOT=""
SHARED_BUFFERS=2GB
RATE_LIMIT_BURST=100000000
RATE_LIMIT_PER_SECOND=100000000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --customers) CUSTOMERS="$2"; shift 2 ;;
        --events) EVENTS="$2"; shift 2 ;;
        --ingest) INGEST="$2"; shift 2 ;;
        --concurrency) CONCURRENCY="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --seconds) SECONDS_="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        --snapshot) SNAPSHOT="$2"; shift 2 ;;
        --shared-buffers) SHARED_BUFFERS="$2"; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done
for v in CUSTOMERS EVENTS INGEST CONCURRENCY RATE SECONDS_; do
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || { echo "--${v,,} must be a positive integer" >&2; exit 2; }
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/target/bench"
JSON_OUT="$OUT_DIR/lead-rules.json"
# shellcheck source=src/bench/lib.sh
source "$ROOT/src/bench/lib.sh"
works psql --version || install_packages postgresql-client
command -v python3 >/dev/null || die "python3 is not on PATH"
ensure_jar
bench_setup
receiver_setup
RECEIVED="$WORK/received.txt"
EVENTS_PID=""
bench_cleanup() { # the event stream and the receiver first, then lib.sh's cleanup (which exits with the script's status)
    local rc=$?
    set +e
    if pid_alive "$EVENTS_PID"; then kill -TERM "$EVENTS_PID" 2>/dev/null; wait "$EVENTS_PID" 2>/dev/null; fi
    stop_receiver
    (exit "$rc")
    cleanup
}
trap bench_cleanup EXIT
KEEP_LOGS["$WORK/service.log"]=lead-rules-service.log
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
post() { "${CURL[@]}" -fsS -o /dev/null -H 'Content-Type: application/json' -d "$2" "$BASE$1"; }
elapsed() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

if [[ -n "$SNAPSHOT" && -d "$SNAPSHOT/data" ]]; then
    log "starting from the snapshot in $SNAPSHOT (not generating)"
    rm -rf "$DATA" && cp -a "$SNAPSHOT/data" "$DATA"
    GEN_S=0
    start_service "lead rules" "$WORK/service.log" CRM_WEBHOOK_ALLOWLIST=127.0.0.0/8
else
    start_service "lead rules" "$WORK/service.log" CRM_WEBHOOK_ALLOWLIST=127.0.0.0/8
    log "generating $CUSTOMERS customers and $EVENTS events"
    start="$(date +%s%N)"
    "${PSQL[@]}" -v customers="$CUSTOMERS" -v events="$EVENTS" -f "$ROOT/src/bench/generate.sql"
    GEN_S="$(elapsed "$start")"
    log "generated in ${GEN_S} s; waiting for the segment upkeep to settle"
    while [[ "$("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM segment_dirty) + (SELECT count(*) FROM segment
        WHERE refresh_cause IS NOT NULL)")" != 0 ]]; do sleep 1; done
    stop_service
    if [[ -n "$SNAPSHOT" ]]; then
        log "keeping a copy of the data in $SNAPSHOT"
        mkdir -p "$SNAPSHOT" && cp -a "$DATA" "$SNAPSHOT/data"
    fi
    mv "$WORK/service.log" "$WORK/service-generating.log"
    start_service "lead rules" "$WORK/service.log" CRM_WEBHOOK_ALLOWLIST=127.0.0.0/8
fi
if [[ "$("${PSQL[@]}" -c "SHOW shared_buffers")" != "$SHARED_BUFFERS" ]]; then
    "${PSQL[@]}" -c "ALTER SYSTEM SET shared_buffers = '$SHARED_BUFFERS'"
    stop_service
    log "restarting with shared_buffers = $SHARED_BUFFERS"
    mv "$WORK/service.log" "$WORK/service-before-restart.log"
    start_service "lead rules" "$WORK/service.log" CRM_WEBHOOK_ALLOWLIST=127.0.0.0/8
fi

for t in view add_to_cart order pay refund bench.ping bench.cart bench.paid; do
    post /api/v1/properties "{\"scope\": \"EVENT\", \"eventType\": \"$t\", \"name\": \"amount\", \"type\": \"NUMBER\"}"
    post /api/v1/properties "{\"scope\": \"EVENT\", \"eventType\": \"$t\", \"name\": \"category\", \"type\": \"STRING\"}"
done
post /api/v1/properties '{"scope": "CUSTOMER", "name": "city", "type": "STRING"}' || true

log "writing 2 x $INGEST events as batches of 1000"
python3 - "$WORK" "$INGEST" "$CUSTOMERS" <<'PY'
import hashlib, json, os, sys, uuid, datetime
work, events, customers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
now = datetime.datetime.now(datetime.timezone.utc)
types = ["view", "add_to_cart", "order", "pay", "refund"]
def event(phase, i):
    n = (i * 7919) % customers + 1
    return {"eventId": f"{phase}-{i}", "type": types[i % 5],
            "customerId": str(uuid.UUID(hashlib.md5(f"crm-bench-{n}".encode()).hexdigest())),
            # a live stream: each event happened just before it is sent (back-dated events, as this script once
            # wrote, put every absence's deadline in the past, so the phase measured a backlog's catch-up instead)
            "occurredAt": (now - datetime.timedelta(microseconds=events - i)).isoformat().replace("+00:00", "Z"),
            "properties": {"amount": (i * 37) % 8000, "category": ["hotel", "flight", "fridge"][i % 3]},
            "context": {"channel": "app", "device": "bench"}}
for phase in ("off", "on", "warm"):
    os.makedirs(os.path.join(work, phase), exist_ok=True)
    for b in range(0, events if phase != "warm" else 20000, 1000):
        batch = [event(phase, i) for i in range(b, min(b + 1000, events))]
        with open(os.path.join(work, phase, f"{b // 1000:06d}.json"), "w") as f:
            json.dump({"items": batch}, f)
PY
ingest() { # directory -> seconds
    local start
    start="$(date +%s%N)"
    find "$WORK/$1" -name '*.json' | sort | xargs -P "$CONCURRENCY" -I{} sh -c \
        'curl -fsS -o /dev/null -H "@$0" -H "Content-Type: application/json" --data-binary "@{}" "$1/api/v1/events" || exit 255' \
        "$WORK/auth-header" "$BASE"
    elapsed "$start"
}
# cheap checks (a count of 250,000 pending matches every 0.2 s took a tenth of a core from what is measured)
drained() { "${PSQL[@]}" -c "SELECT NOT EXISTS (SELECT 1 FROM lead_event) AND NOT EXISTS (SELECT 1 FROM lead_match
    WHERE due_at <= now())"; }
settled() { "${PSQL[@]}" -c "SELECT NOT EXISTS (SELECT 1 FROM segment_dirty) AND NOT EXISTS (SELECT 1 FROM segment
    WHERE refresh_cause IS NOT NULL)"; }
stored() { "${PSQL[@]}" -c "SELECT count(*) FROM event WHERE event_id LIKE '$1-%'"; }
log "warming up the ingestion path (20,000 events, not measured)"
ingest warm >/dev/null

log "ingestion with no lead rule: $INGEST events, $CONCURRENCY at once"
cpu_mark off
OFF_S="$(ingest off)"
cpu_report 0 >"$WORK/cpu-off"
# the segment upkeep each event causes (the only work ingestion leaves behind when no rule is active) runs on after
# the last batch: the next phase starts once it is done, so it is not charged for this phase's backlog
start="$(date +%s%N)"
while [[ "$(settled)" != t ]]; do sleep 0.2; done
OFF_SETTLE_S="$(elapsed "$start")"
[[ "$(stored off)" -eq "$INGEST" ]] || die "stored $(stored off) events, not $INGEST"

# 20 rules: 12 single-event (filters, some on tags, buckets or attributes, with cooldowns) and 8 sequences (4 of them
# with an absence); two of them are the latency phases' own
rule() { post /api/v1/lead-rules "$1" || die "cannot create the rule $1"; }
for i in 1 2 3 4 5 6; do
    rule "{\"key\": \"view-$i\", \"name\": \"view $i\", \"steps\": [{\"eventType\": \"view\", \"where\": [{\"prop\": \"amount\",
      \"op\": \"gt\", \"value\": $((i * 1000))}, {\"prop\": \"category\", \"op\": \"eq\", \"value\": \"fridge\"}]}],
      \"cooldown\": \"P1D\", \"lead\": {\"type\": \"view-$i\"}}"
done
rule '{"key": "hotel-keen", "name": "hotel lovers ordering", "steps": [{"eventType": "order", "where": [{"prop": "category",
  "op": "eq", "value": "hotel"}]}], "customer": {"tags": {"all": ["likes-hotels"]}}, "cooldown": "P7D", "lead": {"type": "hotel"}}'
rule '{"key": "vip-cart", "name": "vip carts", "steps": [{"eventType": "add_to_cart"}], "customer": {"tags": {"any": ["vip"]}},
  "cooldown": "P1D", "lead": {"type": "vip", "priority": "HIGH"}}'
rule '{"key": "big-order", "name": "big orders from valuable customers", "steps": [{"eventType": "order", "where": [{"prop":
  "amount", "op": "gte", "value": 7000}]}], "customer": {"segment": "value", "bucket": "high"}, "lead": {"type": "upsell"}}'
rule '{"key": "beijing-refund", "name": "refunds in Beijing", "steps": [{"eventType": "refund"}], "customer": {"attr": "city",
  "op": "eq", "value": "Beijing"}, "cooldown": "P1D", "lead": {"type": "save"}}'
rule '{"key": "pay-fridge", "name": "fridge payers", "steps": [{"eventType": "pay", "where": [{"prop": "category", "op": "eq",
  "value": "fridge"}]}], "cooldown": "P30D", "lead": {"type": "warranty"}}'
rule '{"key": "ping", "name": "latency probe", "steps": [{"eventType": "bench.ping"}], "lead": {"type": "probe"}}'
rule '{"key": "view-cart", "name": "view then cart", "within": "PT2H", "steps": [{"eventType": "view"}, {"then": "EVENT",
  "eventType": "add_to_cart", "within": "PT1H"}], "cooldown": "P1D", "lead": {"type": "interest"}}'
rule '{"key": "view-cart-order", "name": "view, cart, order", "within": "P1D", "steps": [{"eventType": "view"},
  {"then": "EVENT", "eventType": "add_to_cart"}, {"then": "EVENT", "eventType": "order"}], "lead": {"type": "buyer"}}'
rule '{"key": "cart-abandoned", "name": "cart, not paid in 30 min", "within": "PT2H", "steps": [{"eventType": "add_to_cart"},
  {"then": "NOT", "eventType": "pay", "within": "PT30M"}], "cooldown": "P1D", "lead": {"type": "rescue"}}'
rule '{"key": "order-unpaid", "name": "order, not paid in an hour", "within": "PT3H", "steps": [{"eventType": "order"},
  {"then": "NOT", "eventType": "pay", "within": "PT1H"}], "conversions": [{"eventType": "refund"}], "lead": {"type": "dunning"}}'
rule '{"key": "view-no-cart", "name": "fridge views without a cart", "within": "PT4H", "steps": [{"eventType": "view",
  "where": [{"prop": "category", "op": "eq", "value": "fridge"}]}, {"then": "NOT", "eventType": "add_to_cart", "within":
  "PT2H"}], "cooldown": "P7D", "lead": {"type": "nudge"}}'
rule '{"key": "refund-reorder", "name": "refund then order", "within": "P2D", "steps": [{"eventType": "refund"},
  {"then": "EVENT", "eventType": "order"}], "lead": {"type": "win-back"}}'
rule '{"key": "cart-order", "name": "cart then order", "within": "PT6H", "steps": [{"eventType": "add_to_cart"},
  {"then": "EVENT", "eventType": "order", "where": [{"prop": "amount", "op": "gt", "value": 3000}]}],
  "conversions": [{"eventType": "pay"}], "lead": {"type": "premium"}}'
rule '{"key": "bench-abandon", "name": "absence probe", "within": "PT1M", "steps": [{"eventType": "bench.cart"},
  {"then": "NOT", "eventType": "bench.paid", "within": "PT5S"}], "lead": {"type": "probe"}}'
RULES="$("${PSQL[@]}" -c "SELECT count(*) FROM lead_rule WHERE status = 'ACTIVE'")"
[[ "$RULES" == 20 ]] || die "$RULES active rules, not 20"

log "ingestion with 20 active rules: $INGEST fresh events, $CONCURRENCY at once"
cpu_mark on
ON_S="$(ingest on)"
cpu_report 0 >"$WORK/cpu-on"
[[ "$(stored on)" -eq "$INGEST" ]] || die "stored $(stored on) events, not $INGEST"
start="$(date +%s%N)"
while [[ "$(drained)" != t ]]; do sleep 0.2; done
DRAIN_S="$(elapsed "$start")"
while [[ "$(settled)" != t ]]; do sleep 0.2; done
ON_SETTLE_S="$(elapsed "$start")"
read -r LEADS MATCHES < <("${PSQL[@]}" -F ' ' -c "SELECT (SELECT count(*) FROM lead), (SELECT count(*) FROM lead_match)")
OFF_RATE="$(awk -v n="$INGEST" -v s="$OFF_S" 'BEGIN { printf "%.0f", n / s }')"
ON_RATE="$(awk -v n="$INGEST" -v s="$ON_S" 'BEGIN { printf "%.0f", n / s }')"
INGEST_RATIO="$(awk -v a="$ON_RATE" -v b="$OFF_RATE" 'BEGIN { printf "%.2f", a / b }')"
# sustained: accepted *and* matched, from the first batch until the matcher has caught up
MATCHED_RATE="$(awk -v n="$INGEST" -v s="$ON_S" -v d="$DRAIN_S" 'BEGIN { printf "%.0f", n / (s + d) }')"
MATCHED_RATIO="$(awk -v a="$MATCHED_RATE" -v b="$OFF_RATE" 'BEGIN { printf "%.2f", a / b }')"
# and with every phase charged for all the work its events leave behind: segment upkeep (both) and matching (on)
OFF_DONE_RATE="$(awk -v n="$INGEST" -v s="$OFF_S" -v d="$OFF_SETTLE_S" 'BEGIN { printf "%.0f", n / (s + d) }')"
ON_DONE_RATE="$(awk -v n="$INGEST" -v s="$ON_S" -v d="$ON_SETTLE_S" 'BEGIN { printf "%.0f", n / (s + d) }')"
DONE_RATIO="$(awk -v a="$ON_DONE_RATE" -v b="$OFF_DONE_RATE" 'BEGIN { printf "%.2f", a / b }')"
log "off: $OFF_RATE events/s; on: $ON_RATE events/s accepted (ratio $INGEST_RATIO), $MATCHED_RATE/s matched" \
    "(ratio $MATCHED_RATIO, ${DRAIN_S} s after the last batch); $LEADS leads, $MATCHES pending matches;" \
    "all caught up: off $OFF_DONE_RATE/s (segments ${OFF_SETTLE_S} s after), on $ON_DONE_RATE/s (${ON_SETTLE_S} s after);" \
    "ratio $DONE_RATIO"

log "lead.created webhooks to the receiver; $RATE bench.ping events/s for $SECONDS_ s"
SECRET="$("${CURL[@]}" -fsS -H 'Content-Type: application/json' -d "{\"url\": \"http://127.0.0.1:$RECV_PORT/hook\",
    \"eventTypes\": [\"lead.created\"]}" "$BASE/api/v1/webhook-endpoints" | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')"
start_receiver "$RECEIVED" "$SECRET"
python3 "$ROOT/src/bench/steady-events.py" "$BASE" "$API_KEY" bench.ping "$RATE" 3 "$CUSTOMERS" >/dev/null # warm-up
sleep 2
"${PSQL[@]}" -c "UPDATE lead SET type = 'probe-warm-up' WHERE rule_key = 'ping'"
read -r PING_OK PING_FAILED < <(python3 "$ROOT/src/bench/steady-events.py" "$BASE" "$API_KEY" bench.ping "$RATE" "$SECONDS_" "$CUSTOMERS")
PINGS="$("${PSQL[@]}" -c "SELECT count(*) FROM lead WHERE rule_key = 'ping' AND type = 'probe'")"
for ((i = 0; i < 100; i++)); do
    [[ "$("${PSQL[@]}" -c "SELECT count(*) FROM webhook_message WHERE event_type = 'lead.created' AND state <> 'DELIVERED'")" == 0 ]] && break
    sleep 0.2
done
stop_receiver
BAD_SIGNATURES="$(receiver_summary "$RECEIVED" bad_signatures)"
"${PSQL[@]}" -c "CREATE TABLE bench_received (webhook_id text, status int, micros bigint, created text)"
"${PSQL[@]}" -c "\\copy bench_received FROM '$RECEIVED' WITH (DELIMITER ' ')"
read -r DELAY_N DELAY_P50 DELAY_P99 < <("${PSQL[@]}" -F ' ' -c "WITH first AS (SELECT substr(webhook_id, 5)::uuid AS id, min(micros) AS
    micros FROM bench_received WHERE webhook_id LIKE 'msg\_%' GROUP BY 1), d AS (SELECT f.micros / 1000.0 - extract(epoch FROM
    e.received_at) * 1000 AS ms FROM first f JOIN webhook_message m ON m.id = f.id
    JOIN lead l ON l.id = m.subject_id AND l.type = 'probe' AND l.rule_key = 'ping' JOIN event e ON e.customer_id = l.customer_id
    AND e.type = 'bench.ping' AND e.id = (l.trace->'events'->0->>'eventId')::uuid)
    SELECT count(*), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1),
    round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1) FROM d")
log "event -> lead.created at the receiver: $DELAY_N of $PING_OK events ($PINGS leads); p50 ${DELAY_P50} ms, p99 ${DELAY_P99} ms"

log "absences: $RATE bench.cart events/s for $SECONDS_ s, each due 5 s later"
read -r CART_OK CART_FAILED < <(python3 "$ROOT/src/bench/steady-events.py" "$BASE" "$API_KEY" bench.cart "$RATE" "$SECONDS_" "$CUSTOMERS")
sleep 7
for ((i = 0; i < 100; i++)); do [[ "$(drained)" == t ]] && break; sleep 0.2; done
read -r LATE_N LATE_P50 LATE_P99 LATE_MAX < <("${PSQL[@]}" -F ' ' -c "SELECT count(*),
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1), round(percentile_cont(0.99) WITHIN GROUP
    (ORDER BY ms)::numeric, 1), round(max(ms)::numeric, 1) FROM (SELECT extract(epoch FROM created_at - triggered_at) * 1000
    AS ms FROM lead WHERE rule_key = 'bench-abandon') x")
log "absence lateness: $LATE_N leads of $CART_OK carts; p50 ${LATE_P50} ms, p99 ${LATE_P99} ms, max ${LATE_MAX} ms"
RSS="$(rss_mib)"

cpu_cores() { awk '{ printf "service %.2f, PostgreSQL %.2f cores", $2, $3 }' "$1"; }
{
    echo
    echo "lead rules: $CUSTOMERS customers, $EVENTS events, 20 active rules ($(git_rev)); shared_buffers $SHARED_BUFFERS"
    echo "  generator: ${GEN_S} s"
    echo "  ingestion, $INGEST events per phase, $CONCURRENCY at once:"
    echo "    no rules        $OFF_RATE events/s (${OFF_S} s; $(cpu_cores "$WORK/cpu-off"))"
    echo "    20 rules        $ON_RATE events/s accepted (${ON_S} s; $(cpu_cores "$WORK/cpu-on")); ratio $INGEST_RATIO"
    echo "    matched everything ${DRAIN_S} s after the last batch: $MATCHED_RATE events/s accepted and matched;" \
        "ratio $MATCHED_RATIO (target ≥ 0.7); $LEADS leads, $MATCHES matches pending"
    echo "    everything caught up (segment upkeep in both phases, matching with the rules): no rules $OFF_DONE_RATE" \
        "events/s (${OFF_SETTLE_S} s after the last batch), 20 rules $ON_DONE_RATE events/s (${ON_SETTLE_S} s after);" \
        "ratio $DONE_RATIO"
    echo "  event -> lead.created at the receiver, $RATE/s for $SECONDS_ s: p50 ${DELAY_P50} ms, p99 ${DELAY_P99} ms (target ≤ 1000;" \
        "$DELAY_N of $PING_OK events, $PING_FAILED failed, ${BAD_SIGNATURES:-?} bad signatures)"
    echo "  absence lateness, $RATE/s for $SECONDS_ s: p50 ${LATE_P50} ms, p99 ${LATE_P99} ms, max ${LATE_MAX} ms (target p99 ≤ 2000;" \
        "$LATE_N leads of $CART_OK carts)"
    echo "  service RSS after the runs: $RSS MiB"
} >&2
cat >"$JSON_OUT" <<JSON
{"benchmark": "lead-rules", "commit": "$(git_rev)", "customers": $CUSTOMERS, "events": $EVENTS, "shared_buffers": "$SHARED_BUFFERS", "generator_s": $GEN_S,
 "rules": 20, "ingest_events": $INGEST, "concurrency": $CONCURRENCY, "ingest_off_per_s": $OFF_RATE,
 "ingest_on_per_s": $ON_RATE, "ingest_ratio": $INGEST_RATIO, "drain_s": $DRAIN_S, "matched_per_s": $MATCHED_RATE,
 "matched_ratio": $MATCHED_RATIO, "off_settle_s": $OFF_SETTLE_S, "on_settle_s": $ON_SETTLE_S,
 "off_done_per_s": $OFF_DONE_RATE, "on_done_per_s": $ON_DONE_RATE, "done_ratio": $DONE_RATIO, "leads": $LEADS,
 "pending_matches": $MATCHES, "rate": $RATE, "seconds": $SECONDS_, "webhook_delay_n": $DELAY_N,
 "webhook_delay_p50_ms": $DELAY_P50, "webhook_delay_p99_ms": $DELAY_P99, "absence_n": $LATE_N,
 "absence_late_p50_ms": $LATE_P50, "absence_late_p99_ms": $LATE_P99, "absence_late_max_ms": $LATE_MAX, "rss_mib": $RSS}
JSON
log "wrote $JSON_OUT"
