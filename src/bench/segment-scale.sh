#!/usr/bin/env bash
# Issue 12's measures at scale: 1,000,000 customers and 10,000,000 events (src/bench/generate.sql), in one run on
# one database (the packaged service's embedded PostgreSQL):
#   1. the generator's own time;
#   2. a full evaluation of an audience with an attribute, a tag and an event-aggregate condition through
#      POST /api/v1/segments/preview (compiled SQL: count + first page, over HTTP), as a ratio of the hand-written
#      SQL SELECT count(*) of the same audience (psql), medians of RUNS runs each (target ≤ 1.5);
#   3. the service's resident memory after those evaluations;
#   4. saved segments: the built-in dimensions materialised over all customers after the load; the same audience
#      saved and materialised (a full recompute: one set-based pass, then its differences applied in chunks) as a ratio of the
#      hand-written count, with the service's peak resident memory meanwhile;
#   5. the delay from an accepted event to the membership change it causes (segment_change.at - event.received_at),
#      p50 and p99, with RATE events per second for DELAY_S seconds, one per request;
#   6. today's customer-list filters (q with no match, an exact email through q, the email and phone filters,
#      attr.age with no match, attr.city with 100,000 matches, a tag, a segment, a dimension's bucket, and GraphQL
#      totalCount, exact up to 10,000): p50 and p99 of SAMPLES requests each after one warm-up request (issue
#      12's target p99 ≤ 100 ms), with a primary-key GET of one customer as the reference measured in the same run.
#
# Usage: src/bench/segment-scale.sh [--customers N] [--events N] [--runs R] [--samples S] [--rate R] [--build]
# Defaults: 1000000 customers, 10000000 events, 3 runs, 200 samples, 20 events/s for 30 s. Writes
# target/bench/segment-scale.json.
set -euo pipefail

CUSTOMERS=1000000
EVENTS=10000000
RUNS=3
SAMPLES=200
RATE=20
DELAY_S=30
BUILD=0
RATE_LIMIT_BURST=100000000
RATE_LIMIT_PER_SECOND=100000000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --customers) CUSTOMERS="$2"; shift 2 ;;
        --events) EVENTS="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --samples) SAMPLES="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/target/bench"
JSON_OUT="$OUT_DIR/segment-scale.json"
# shellcheck source=src/bench/lib.sh
source "$ROOT/src/bench/lib.sh"
works psql --version || install_packages postgresql-client
ensure_jar
bench_setup
KEEP_LOGS["$WORK/service.log"]=segment-scale-service.log
start_service "segment scale" "$WORK/service.log"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)

log "generating $CUSTOMERS customers and $EVENTS events"
start="$(date +%s%N)"
"${PSQL[@]}" -v customers="$CUSTOMERS" -v events="$EVENTS" -f "$ROOT/src/bench/generate.sql"
GEN_S="$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.0f", (b - a) / 1e9 }')"
log "generated in ${GEN_S} s"

post() { "${CURL[@]}" -fsS -o /dev/null -H 'Content-Type: application/json' -d "$2" "$BASE$1"; }
post /api/v1/properties '{"scope": "CUSTOMER", "name": "city", "type": "STRING"}'
post /api/v1/properties '{"scope": "CUSTOMER", "name": "age", "type": "NUMBER"}'
post /api/v1/properties '{"scope": "EVENT", "eventType": "order", "name": "amount", "type": "NUMBER"}'
post /api/v1/properties '{"scope": "EVENT", "eventType": "order", "name": "category", "type": "STRING"}'

TREE='{"condition": {"and": [{"attr": "city", "op": "eq", "value": "Beijing"}, {"tags": {"all": ["likes-hotels"]}},
 {"event": {"type": "order", "where": [{"prop": "category", "op": "eq", "value": "hotel"},
  {"prop": "amount", "op": "gt", "value": 2000}], "agg": "count", "within": "P30D", "op": "gte", "value": 3}}]}}'
HAND="SELECT count(*) FROM customer c WHERE c.attributes->>'city' = 'Beijing'
 AND EXISTS (SELECT 1 FROM customer_tag a JOIN tag t ON t.id = a.tag_id WHERE a.customer_id = c.id AND t.key = 'likes-hotels')
 AND c.id IN (SELECT customer_id FROM event WHERE type = 'order' AND occurred_at >= now() - interval '30 days'
   AND properties->>'category' = 'hotel' AND (properties->>'amount')::numeric > 2000
   GROUP BY customer_id HAVING count(*) >= 3)"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ms_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'; }

log "warming up both once"
HAND_COUNT="$("${PSQL[@]}" -c "$HAND")"
SERVICE_COUNT="$("${CURL[@]}" -fsS -H 'Content-Type: application/json' -d "$TREE" "$BASE/api/v1/segments/preview" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["count"])')"
[[ "$HAND_COUNT" == "$SERVICE_COUNT" ]] || die "the service counted $SERVICE_COUNT, the hand-written SQL $HAND_COUNT"
log "audience: $HAND_COUNT customers"
: >"$WORK/hand" >"$WORK/service"
for ((r = 0; r < RUNS; r++)); do
    s="$(date +%s%N)"; "${PSQL[@]}" -c "$HAND" >/dev/null; ms_since "$s" >>"$WORK/hand"
    s="$(date +%s%N)"; post /api/v1/segments/preview "$TREE"; ms_since "$s" >>"$WORK/service"
done
"${PSQL[@]}" -c "EXPLAIN ANALYZE $HAND" >"$OUT_DIR/segment-scale-hand-plan.txt"
HAND_MS="$(median <"$WORK/hand")"; SERVICE_MS="$(median <"$WORK/service")"
RATIO="$(awk -v a="$SERVICE_MS" -v b="$HAND_MS" 'BEGIN { printf "%.2f", a / b }')"
RSS="$(rss_mib)"

settled() { # waits until no customer is marked and no recompute is pending; peak RSS meanwhile -> $WORK/peak
    local peak=0 r
    while [[ "$("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM segment_dirty) + (SELECT count(*) FROM segment
        WHERE refresh_cause IS NOT NULL)")" != 0 ]]; do
        r="$(rss_mib)"; ((r > peak)) && peak=$r
        sleep 0.05
    done
    echo "$peak" >"$WORK/peak"
}
log "materialising the built-in dimensions over $CUSTOMERS customers"
s="$(date +%s%N)"; settled; BUILTIN_MS="$(ms_since "$s")"
log "built-in dimensions in ${BUILTIN_MS} ms"
SAVED="$(python3 -c 'import json, sys; t = json.loads(sys.argv[1]); t.update(key="bench-hotels", name="Hotels");
print(json.dumps(t))' "$TREE")"
s="$(date +%s%N)"; post /api/v1/segments "$SAVED"; settled; SAVED_MS="$(ms_since "$s")"; SAVED_RSS="$(cat "$WORK/peak")"
SAVED_COUNT="$("${PSQL[@]}" -c "SELECT count(*) FROM segment_member m JOIN segment s ON s.id = m.segment_id
    WHERE s.key = 'bench-hotels'")"
[[ "$SAVED_COUNT" == "$HAND_COUNT" ]] || die "the saved audience has $SAVED_COUNT members, the hand-written SQL $HAND_COUNT"
SAVED_RATIO="$(awk -v a="$SAVED_MS" -v b="$HAND_MS" 'BEGIN { printf "%.2f", a / b }')"
log "saved audience materialised in ${SAVED_MS} ms (ratio ${SAVED_RATIO}), peak RSS ${SAVED_RSS} MiB"

PING="bench.ping.$(date +%s)"
post /api/v1/segments "{\"key\": \"bench-pinged\", \"name\": \"Pinged\", \"condition\": {\"event\": {\"type\": \"$PING\",
 \"within\": \"P1D\", \"op\": \"gte\", \"value\": 1}}}"
settled
log "sending $RATE events/s for $DELAY_S s, one per request"
read -r PING_OK PING_FAILED < <(python3 "$ROOT/src/bench/steady-events.py" "$BASE" "$API_KEY" "$PING" "$RATE" "$DELAY_S" "$CUSTOMERS")
settled
read -r DELAY_N DELAY_P50 DELAY_P99 < <("${PSQL[@]}" -F ' ' -c "SELECT count(*), round(percentile_cont(0.5) WITHIN GROUP
    (ORDER BY d)::numeric, 1), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 1) FROM (SELECT
    extract(epoch FROM sc.at - e.received_at) * 1000 AS d FROM segment_change sc JOIN segment s ON s.id = sc.segment_id
    JOIN LATERAL (SELECT min(received_at) AS received_at FROM event WHERE customer_id = sc.customer_id AND type = '$PING') e
    ON true WHERE s.key = 'bench-pinged' AND sc.to_bucket IS NOT NULL) x")
log "event -> membership: $DELAY_N entries of $PING_OK events ($PING_FAILED failed); p50 ${DELAY_P50} ms, p99 ${DELAY_P99} ms"

p99() { sort -n | awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < NR * 0.99) i++; print v[i] }'; }
sample() { # name, curl args... -> "p50 p99" in ms over SAMPLES requests, after one unmeasured warm-up request
    local name="$1" i
    shift
    "${CURL[@]}" -fsS -o /dev/null "$@"
    : >"$WORK/lat"
    for ((i = 0; i < SAMPLES; i++)); do
        "${CURL[@]}" -fsS -o /dev/null -w '%{time_total}\n' "$@" | awk '{ printf "%.1f\n", $1 * 1000 }' >>"$WORK/lat"
    done
    printf '%s %s %s\n' "$name" "$(median <"$WORK/lat")" "$(p99 <"$WORK/lat")"
}
ONE="$("${PSQL[@]}" -c "SELECT id FROM customer WHERE external_id = 'bench-777'")"
{
    sample "reference: GET /customers/{id}" "$BASE/api/v1/customers/$ONE"
    sample "q, no match" "$BASE/api/v1/customers?q=zzzz-nothing"
    sample "q, exact email" "$BASE/api/v1/customers?q=user777777@example.com"
    sample "email=, exact" "$BASE/api/v1/customers?email=user777777@example.com"
    sample "phone=, exact" "$BASE/api/v1/customers?phone=%2B8613800777777"
    sample "attr.age, no match" "$BASE/api/v1/customers?attr.age=200"
    sample "attr.city=Beijing" "$BASE/api/v1/customers?attr.city=Beijing"
    sample "tagsAll=vip" "$BASE/api/v1/customers?tagsAll=vip"
    sample "segment=bench-hotels" "$BASE/api/v1/customers?segment=bench-hotels"
    sample "segment=value&bucket=high" "$BASE/api/v1/customers?segment=value&bucket=high"
    sample "GraphQL totalCount" -H 'Content-Type: application/json' \
        -d '{"query": "{ customers(first: 1) { totalCount totalCountExact } }"}' "$BASE/graphql"
} >"$WORK/filters"

{
    echo
    echo "segment scale: $CUSTOMERS customers, $EVENTS events ($(git_rev))"
    echo "  generator: ${GEN_S} s"
    echo "  audience (city + tag + event aggregate): $HAND_COUNT customers"
    echo "    hand-written SELECT count(*): median ${HAND_MS} ms; service preview: median ${SERVICE_MS} ms; ratio ${RATIO} (target ≤ 1.5)"
    echo "  service RSS after the evaluations: ${RSS} MiB"
    echo "  built-in dimensions materialised after the load: ${BUILTIN_MS} ms"
    echo "  the audience saved and materialised: ${SAVED_MS} ms, ratio ${SAVED_RATIO} of the hand-written count; peak RSS ${SAVED_RSS} MiB"
    echo "  event -> membership at $RATE events/s: p50 ${DELAY_P50} ms, p99 ${DELAY_P99} ms ($DELAY_N entries, $PING_FAILED failed)"
    echo "  customer list filters (p50 / p99 of $SAMPLES after a warm-up, ms):"
    awk '{ name = $0; sub(/ [0-9.]+ [0-9.]+$/, "", name); printf "    %-34s %8s %8s\n", name, $(NF - 1), $NF }' "$WORK/filters"
} >&2
{
    printf '{"benchmark": "segment-scale", "commit": "%s", "customers": %s, "events": %s, "generator_s": %s,\n' \
        "$(git_rev)" "$CUSTOMERS" "$EVENTS" "$GEN_S"
    printf ' "audience": %s, "hand_ms": %s, "service_ms": %s, "recompute_ratio": %s, "rss_mib": %s,\n' \
        "$HAND_COUNT" "$HAND_MS" "$SERVICE_MS" "$RATIO" "$RSS"
    printf ' "builtin_ms": %s, "saved_ms": %s, "saved_ratio": %s, "saved_peak_rss_mib": %s,\n' \
        "$BUILTIN_MS" "$SAVED_MS" "$SAVED_RATIO" "$SAVED_RSS"
    printf ' "event_rate": %s, "delay_entries": %s, "delay_p50_ms": %s, "delay_p99_ms": %s,\n' \
        "$RATE" "$DELAY_N" "$DELAY_P50" "$DELAY_P99"
    printf ' "filters": [%s]}\n' "$(awk '{ name = $0; sub(/ [0-9.]+ [0-9.]+$/, "", name);
        printf "%s{\"filter\": \"%s\", \"p50_ms\": %s, \"p99_ms\": %s}", (NR > 1 ? ", " : ""), name, $(NF - 1), $NF }' "$WORK/filters")"
} >"$JSON_OUT"
log "wrote $JSON_OUT"
