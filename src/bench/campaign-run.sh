#!/usr/bin/env bash
# Issue 13's measures for campaigns, on the data set of the segments benchmark (src/bench/generate.sql: 1,000,000
# customers and 10,000,000 events), in one run on one database (the packaged service's embedded PostgreSQL):
#   1. AUDIENCE customers (bench-1 .. bench-AUDIENCE, who all have phone numbers) get a tag made through
#      POST /api/v1/tags and assigned set-based with psql; the built-in dimensions and the tag's segment marks are
#      left to settle first, so the run does not share the machine with the segment upkeep;
#   2. a webhook endpoint subscribed to touchpoint.created points at .ci/WebhookReceiver.java (answers 200);
#   3. an SMS campaign to that tag (one variant, sent now, goal bench-order within P7D) is created, dry-run and
#      scheduled; the run's time is finished_at - created_at of its campaign_run row (from the run's start to its
#      last batch committed), and it must create AUDIENCE touchpoints, all QUEUED;
#   4. the reference, measured on the same data before the run: a hand-written INSERT INTO touchpoint ... SELECT of
#      the same rows (the columns TouchpointSql.created writes) for the tagged customers, in a transaction
#      that is rolled back (then VACUUM), median of RUNS; ratio = run seconds / reference seconds (target ≤ 3);
#   5. the webhook deliveries that follow: deliveries/s = count / (last - first delivered_at) of the DELIVERED
#      touchpoint.created messages, and the time from the run's start to the last delivery (at most --delivery-timeout);
#   6. GET /api/v1/campaigns/{id}/report every 100 ms for REPORT_S seconds while RATE bench-order events per second
#      stream in for reached customers (steady-events.py), p50 and p99 of its latency; and how far total.converted
#      is behind the customers who sent an event when the stream ends (attribution runs every second), and how long
#      it takes to catch up.
# Where the database time goes: with --slow-ms above 0 (the default) the embedded PostgreSQL preloads
# pg_stat_statements and auto_explain and logs to a file (logging collector); that takes one restart of the service,
# before the generator, on the same data directory. The 15 statements with the most execution time during the run and
# during the report phase, the statements slower than --slow-ms (grouped), lock waits over 1 s, and the error lines of
# PostgreSQL and the service go to target/bench/campaign-run-statements.txt; the slow statements' plans are in
# PostgreSQL's log (with BENCH_EXPLAIN_ANALYZE=on, with their actual rows and times: every statement is instrumented,
# which slows them, so the figures of such a run are not reported).
#
# With --deliveries-after the dispatcher is off during the run (the run has the machine to itself, as the reference
# has), and the service is restarted with it on for the deliveries, timed from the restart.
#
# Usage: src/bench/campaign-run.sh [--customers N] [--events N] [--audience N] [--runs R] [--rate R]
#                                  [--report-seconds S] [--delivery-timeout S] [--slow-ms MS] [--deliveries-after]
#                                  [--build]
# Defaults: 1000000 customers, 10000000 events, an audience of 100000, 3 reference runs, 50 events/s for 30 s,
# deliveries awaited for at most 900 s, statements over 200 ms logged (0: no statistics, no restart). Writes
# target/bench/campaign-run.json, campaign-run-statements.txt, campaign-run-report-samples.txt (every report request)
# and the logs: campaign-run-service.log (and campaign-run-service-first-start.log, before the restart) and
# campaign-run-postgres.log.
set -euo pipefail

CUSTOMERS=1000000
EVENTS=10000000
AUDIENCE=100000
RUNS=3
RATE=50
REPORT_S=30
DELIVERY_TIMEOUT=900
SLOW_MS=200
BUILD=0
DELIVER_AFTER=0
RATIO_TARGET=3
RATE_LIMIT_BURST=100000000
RATE_LIMIT_PER_SECOND=100000000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --customers) CUSTOMERS="$2"; shift 2 ;;
        --events) EVENTS="$2"; shift 2 ;;
        --audience) AUDIENCE="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --report-seconds) REPORT_S="$2"; shift 2 ;;
        --delivery-timeout) DELIVERY_TIMEOUT="$2"; shift 2 ;;
        --slow-ms) SLOW_MS="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        --deliveries-after) DELIVER_AFTER=1; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done
for o in customers:CUSTOMERS events:EVENTS audience:AUDIENCE runs:RUNS rate:RATE report-seconds:REPORT_S \
    delivery-timeout:DELIVERY_TIMEOUT; do
    v="${o#*:}"
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || { echo "--${o%%:*} must be a positive integer" >&2; exit 2; }
done
[[ $SLOW_MS =~ ^[0-9]+$ ]] || { echo "--slow-ms must be a non-negative integer" >&2; exit 2; }
[[ $AUDIENCE -le $CUSTOMERS ]] || { echo "--audience ($AUDIENCE) must not exceed --customers ($CUSTOMERS)" >&2; exit 2; }
# generate.sql spreads its heavy hotel bookers over customers / 50 - 1 groups
[[ $CUSTOMERS -ge 100 ]] || { echo "--customers must be at least 100 (generate.sql)" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/target/bench"
JSON_OUT="$OUT_DIR/campaign-run.json"
SLOW_OUT="$OUT_DIR/campaign-run-statements.txt"
BENCH_NAME=campaign-run
# shellcheck source=src/bench/lib.sh
source "$ROOT/src/bench/lib.sh"
works psql --version || install_packages postgresql-client
command -v curl >/dev/null || install_packages curl
command -v java >/dev/null || die "java is not on PATH"
command -v python3 >/dev/null || die "python3 is not on PATH"
ensure_jar
bench_setup
rm -f "$OUT_DIR"/campaign-run-* "$JSON_OUT" # a run without --slow-ms leaves no PostgreSQL log: none of an older run either
KEEP_LOGS["$WORK/service.log"]=campaign-run-service.log
KEEP_LOGS["$WORK/report.txt"]=campaign-run-report-samples.txt # ms since start, latency ms, status, total.converted
KNOBS="campaign batch ${CRM_CAMPAIGNS_BATCH_SIZE:-3000}; dispatcher max-in-flight ${CRM_WEBHOOK_DISPATCH_MAX_IN_FLIGHT:-400},"
KNOBS="$KNOBS batch-size ${CRM_WEBHOOK_DISPATCH_BATCH_SIZE:-200}, connections-per-endpoint ${CRM_WEBHOOK_DISPATCH_CONNECTIONS_PER_ENDPOINT:-64}"
KNOBS="$KNOBS${JAVA_OPTS:+; JAVA_OPTS $JAVA_OPTS}"

# ---------------------------------------------------------------------------------------------- receiver
EVENTS_PID="" # steady-events.py, in the background while the report is polled
receiver_setup
RECEIVED="$WORK/received.txt"
bench_cleanup() { # the event stream and the receiver first, then lib.sh's cleanup (which exits with the script's status)
    local rc=$?
    set +e
    if pid_alive "$EVENTS_PID"; then kill -TERM "$EVENTS_PID" 2>/dev/null; wait "$EVENTS_PID" 2>/dev/null; fi
    stop_receiver
    (exit "$rc")
    cleanup
}
trap bench_cleanup EXIT

# --deliveries-after: the dispatcher is off during the run, so the run has the machine to itself, as the reference
# has; the service is restarted with it on for the deliveries that follow
DISPATCH=(CRM_WEBHOOK_DISPATCH_ENABLED="$([[ $DELIVER_AFTER -eq 1 ]] && echo false || echo true)")
start_service "campaign run" "$WORK/service.log" CRM_WEBHOOK_ALLOWLIST=127.0.0.0/8 "${DISPATCH[@]}"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)

if [[ $SLOW_MS -gt 0 ]]; then
    # The embedded PostgreSQL's own output does not reach the service's log (io.zonky is logged at WARN, and the pipe
    # loses its reader soon after start-up), so its log goes to a file through the logging collector; that and the
    # preloaded pg_stat_statements and auto_explain need a restart: the service is restarted on the same, still empty,
    # data directory. Bind parameters are left out (a batch's arrays hold thousands of ids); %a tells the bench's psql
    # from the service's connections.
    log "restarting the service with PostgreSQL logging statements over ${SLOW_MS} ms to a file"
    "${PSQL[@]}" -c "ALTER SYSTEM SET logging_collector = on" -c "ALTER SYSTEM SET log_directory = 'log'" \
        -c "ALTER SYSTEM SET log_filename = 'postgresql.log'" -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %a: '" \
        -c "ALTER SYSTEM SET log_min_duration_statement = '${SLOW_MS}ms'" -c "ALTER SYSTEM SET log_parameter_max_length = 0" \
        -c "ALTER SYSTEM SET log_lock_waits = on" -c "ALTER SYSTEM SET auto_explain.log_min_duration = '${SLOW_MS}ms'" \
        -c "ALTER SYSTEM SET auto_explain.log_analyze = ${BENCH_EXPLAIN_ANALYZE:-off}" \
        -c "ALTER SYSTEM SET auto_explain.log_triggers = ${BENCH_EXPLAIN_ANALYZE:-off}" \
        -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', 'auto_explain'" >/dev/null
    stop_service
    mv "$WORK/service.log" "$WORK/service-first-start.log"
    KEEP_LOGS["$WORK/service-first-start.log"]=campaign-run-service-first-start.log
    KEEP_LOGS["$DATA/postgres/log/postgresql.log"]=campaign-run-postgres.log
    start_service "campaign run" "$WORK/service.log" CRM_WEBHOOK_ALLOWLIST=127.0.0.0/8 "${DISPATCH[@]}"
    [[ "$("${PSQL[@]}" -c "SHOW logging_collector")" == on && -f "$DATA/postgres/log/postgresql.log" ]] \
        || log "WARNING: PostgreSQL's logging collector is not on; no slow statements will be listed"
    # in a schema of its own, out of the service's way
    "${PSQL[@]}" -c "CREATE SCHEMA bench" -c "CREATE EXTENSION pg_stat_statements SCHEMA bench" \
        || die "cannot create pg_stat_statements (is it in the embedded PostgreSQL's lib/postgresql?)"
fi
log "generating $CUSTOMERS customers and $EVENTS events"
start="$(date +%s%N)"
"${PSQL[@]}" -v customers="$CUSTOMERS" -v events="$EVENTS" -f "$ROOT/src/bench/generate.sql"
GEN_S="$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.0f", (b - a) / 1e9 }')"
log "generated in ${GEN_S} s"

stats_reset() { [[ $SLOW_MS -eq 0 ]] || "${PSQL[@]}" -c "SELECT bench.pg_stat_statements_reset()" >/dev/null; }
stats_top() { # phase -> the 15 statements with the most execution time since stats_reset, "$WORK/stats-<phase>.tsv"
    [[ $SLOW_MS -eq 0 ]] && { : >"$WORK/stats-$1.tsv"; return; }
    "${PSQL[@]}" -F $'\t' -c "SELECT round(total_exec_time::numeric, 1), calls, round(mean_exec_time::numeric, 2),
        round(max_exec_time::numeric, 1), rows, regexp_replace(query, '\s+', ' ', 'g') FROM bench.pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'crm') ORDER BY total_exec_time DESC LIMIT 15" \
        >"$WORK/stats-$1.tsv"
}

json_field() { python3 -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."): v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$1"; }
post_json() { # path, body -> the response body; fails on a non-2xx answer
    "${CURL[@]}" -fsS -m 60 -H 'Content-Type: application/json' -X POST -d "$2" "$BASE$1"
}
ms_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
p99() { sort -n | awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < NR * 0.99) i++; print v[i] }'; }

# ---------------------------------------------------------------------------------------------- 1. the audience
TAG_KEY=bench-campaign
TAG_ID="$(post_json /api/v1/tags "{\"key\": \"$TAG_KEY\", \"name\": \"Campaign bench\"}" | json_field id)" \
    || die "cannot create the tag $TAG_KEY"
log "tagging $AUDIENCE customers ($TAG_KEY) with one INSERT"
"${PSQL[@]}" -c "INSERT INTO customer_tag (customer_id, tag_id, source, assigned_by, assigned_at)
    SELECT md5('crm-bench-' || n)::uuid, '$TAG_ID', 'IMPORT', 'bench', now() FROM generate_series(1, $AUDIENCE) AS n" \
    -c "ANALYZE customer_tag"
# generate.sql gives every customer a phone; one UPDATE in case a change of it does not
NO_PHONE="$("${PSQL[@]}" -c "SELECT count(*) FROM customer_tag ct JOIN customer c ON c.id = ct.customer_id
    WHERE ct.tag_id = '$TAG_ID' AND c.phone IS NULL")"
if [[ $NO_PHONE -gt 0 ]]; then
    log "giving $NO_PHONE tagged customers a phone number"
    "${PSQL[@]}" -c "UPDATE customer c SET phone = '+86139' || lpad(substr(c.external_id, 7), 8, '0'), updated_at = now()
        FROM customer_tag ct WHERE ct.customer_id = c.id AND ct.tag_id = '$TAG_ID' AND c.phone IS NULL"
fi
TAGGED="$("${PSQL[@]}" -c "SELECT count(*) FROM customer_tag ct JOIN customer c ON c.id = ct.customer_id
    WHERE ct.tag_id = '$TAG_ID' AND c.phone IS NOT NULL")"
[[ "$TAGGED" == "$AUDIENCE" ]] || die "$TAGGED tagged customers with a phone, expected $AUDIENCE"

settled() { # waits until no customer is marked and no recompute is pending (the segment upkeep is idle)
    while [[ "$("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM segment_dirty) + (SELECT count(*) FROM segment
        WHERE refresh_cause IS NOT NULL)")" != 0 ]]; do
        pid_alive "$SVC_PID" || die "the service died while the segments settled"
        sleep 0.2
    done
}
log "waiting for the segment upkeep (built-in dimensions over $CUSTOMERS customers, $AUDIENCE tag marks)"
s="$(date +%s%N)"; settled; SETTLE_MS="$(ms_since "$s")"
log "segments settled in ${SETTLE_MS} ms"

# ---------------------------------------------------------------------------------------------- 2. the webhook endpoint
post_json /api/v1/webhook-endpoints "{\"url\": \"http://127.0.0.1:$RECV_PORT/hook\", \"eventTypes\": [\"touchpoint.created\"]}" \
    >"$WORK/endpoint.json" || die "cannot create the webhook endpoint"
SECRET="$(json_field secret <"$WORK/endpoint.json")"
start_receiver "$RECEIVED" "$SECRET"
log "webhook receiver on port $RECV_PORT"

# ---------------------------------------------------------------------------------------------- 4. the reference
# the same rows as the service's INSERT (TouchpointSql.created), for the tagged customers, rolled back
log "reference: INSERT INTO touchpoint ... SELECT of $AUDIENCE rows, rolled back, $RUNS times"
: >"$WORK/reference"
for ((r = 0; r < RUNS; r++)); do
    "${PSQL[@]}" >"$WORK/reference-$r.txt" <<SQL
BEGIN;
SET LOCAL log_min_duration_statement = -1;
\\timing on
INSERT INTO touchpoint (id, customer_id, channel, purpose, content, source, status, status_reason, created_at,
                        updated_at, campaign_run_id, campaign_variant)
SELECT gen_random_uuid(), ct.customer_id, 'SMS', 'marketing', '{"body":"Spring sale"}'::jsonb, 'CAMPAIGN', 'QUEUED', NULL,
       now(), now(), '$(python3 -c 'import uuid; print(uuid.uuid4())')', 'a'
FROM customer_tag ct WHERE ct.tag_id = '$TAG_ID';
\\timing off
ROLLBACK;
SQL
    ms="$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$WORK/reference-$r.txt" | head -n1)"
    [[ -n "$ms" ]] || { cat "$WORK/reference-$r.txt" >&2; die "no \\timing line from the reference INSERT"; }
    echo "$ms" >>"$WORK/reference"
    "${PSQL[@]}" -c "VACUUM touchpoint" # the rolled-back rows, so the next run and the service find a clean table
done
[[ "$("${PSQL[@]}" -c "SELECT count(*) FROM touchpoint")" == 0 ]] || die "the reference left touchpoints behind"
REF_MS="$(median <"$WORK/reference")"
REF_ALL="$(paste -sd, "$WORK/reference" | sed 's/,/, /g')"
log "reference: median ${REF_MS} ms (${REF_ALL} ms)"

# ---------------------------------------------------------------------------------------------- 3. the campaign run
CAMPAIGN="{\"name\": \"bench\", \"channel\": \"SMS\", \"audience\": {\"include\": [{\"tag\": \"$TAG_KEY\"}]},
 \"variants\": [{\"key\": \"a\", \"content\": {\"body\": \"Spring sale\"}}], \"schedule\": {\"type\": \"NOW\"},
 \"conversion\": {\"eventType\": \"bench-order\", \"window\": \"P7D\"}}"
CAMPAIGN_ID="$(post_json /api/v1/campaigns "$CAMPAIGN" | json_field id)" || die "cannot create the campaign"
s="$(date +%s%N)"
post_json "/api/v1/campaigns/$CAMPAIGN_ID/dry-run" '' >"$WORK/dry-run.json" || die "the dry run failed"
DRY_MS="$(ms_since "$s")"
DRY_REACHED="$(json_field reached <"$WORK/dry-run.json")"
[[ "$DRY_REACHED" == "$AUDIENCE" ]] || die "the dry run would reach $DRY_REACHED, expected $AUDIENCE: $(head -c 500 "$WORK/dry-run.json")"
log "dry run in ${DRY_MS} ms: $DRY_REACHED would be reached"

log "scheduling the campaign $CAMPAIGN_ID (SMS to $AUDIENCE customers; $KNOBS)"
stats_reset
# lib.sh's all_ticks cats /proc/[0-9]*/stat: a process that exits meanwhile fails the pipeline (pipefail) and, under
# set -e, the script; called in an || list, the function goes on with the processes that are left
cpu_mark || true
recv_ticks0="$(proc_ticks "$RECV_PID")"; mark_ns="$(date +%s%N)"
post_json "/api/v1/campaigns/$CAMPAIGN_ID/schedule" '' >/dev/null || die "cannot schedule the campaign"
deadline=$((SECONDS + DELIVERY_TIMEOUT))
RUN_STATUS=""
while :; do
    "${CURL[@]}" -fsS -m 30 "$BASE/api/v1/campaigns/$CAMPAIGN_ID/runs" >"$WORK/runs.json" || die "GET runs failed"
    RUN_STATUS="$(python3 -c 'import json, sys
items = json.load(open(sys.argv[1]))["items"]
print(items[0]["status"] if items else "-")' "$WORK/runs.json")"
    case "$RUN_STATUS" in
        COMPLETED) break ;;
        FAILED | CANCELLED | PAUSED) cat "$WORK/runs.json" >&2; die "the run ended $RUN_STATUS" ;;
    esac
    pid_alive "$SVC_PID" || die "the service died during the run"
    [[ $SECONDS -lt $deadline ]] || { cat "$WORK/runs.json" >&2; die "the run was not COMPLETED within $DELIVERY_TIMEOUT s (status $RUN_STATUS)"; }
    sleep 1
done
run_done_ns="$(date +%s%N)"
stats_top run
recv_cores() { awk -v a="$recv_ticks0" -v b="$(proc_ticks "$RECV_PID")" -v hz="$CLK_TCK" -v t0="$mark_ns" -v t1="$(date +%s%N)" \
    'BEGIN { printf "%.2f", (b - a) / hz / ((t1 - t0) / 1e9) }'; }
read -r "M[run.busy]" "M[run.service_cores]" "M[run.postgres_cores]" "M[run.client_cores]" "M[run.other_cores]" \
    "M[run.jit_cores]" "M[run.steal]" "M[run.redis_cores]" <<<"$(cpu_report "$(recv_cores)")"
M[run.other_top]="$(other_top "$(calc %.3f "($run_done_ns - $mark_ns) / 1e9")" | tr -d '"\\')"
RUN_RSS="$(rss_mib)"
RUN_ID="$(json_field items.0.id <"$WORK/runs.json")"
OUTCOMES="$(python3 -c 'import json, sys
o = json.load(open(sys.argv[1]))["items"][0]["outcomes"]
print(", ".join(f"{k} {v}" for k, v in sorted(o.items())))' "$WORK/runs.json")"
read -r RUN_S MATERIALISE_S SEND_S AUDIENCE_SIZE < <("${PSQL[@]}" -F ' ' -c "SELECT
    round(extract(epoch FROM finished_at - created_at)::numeric, 3), round(extract(epoch FROM started_at - created_at)::numeric, 3),
    round(extract(epoch FROM finished_at - started_at)::numeric, 3), audience_size FROM campaign_run WHERE id = '$RUN_ID'")
read -r TOUCHPOINTS QUEUED < <("${PSQL[@]}" -F ' ' -c "SELECT count(*), count(*) FILTER (WHERE status = 'QUEUED')
    FROM touchpoint WHERE campaign_run_id = '$RUN_ID'")
BATCHES=$(((AUDIENCE + ${CRM_CAMPAIGNS_BATCH_SIZE:-3000} - 1) / ${CRM_CAMPAIGNS_BATCH_SIZE:-3000}))
RATIO="$(calc %.2f "$RUN_S * 1000 / $REF_MS")"
RATIO_OK="$(awk -v r="$RATIO" -v t="$RATIO_TARGET" 'BEGIN { print (r + 0 <= t + 0) ? "true" : "false" }')"
log "run $RUN_ID: ${RUN_S} s (materialise ${MATERIALISE_S} s, send ${SEND_S} s), $TOUCHPOINTS touchpoints ($QUEUED QUEUED);" \
    "outcomes: $OUTCOMES; ratio to the reference $RATIO"
[[ "$TOUCHPOINTS" == "$AUDIENCE" ]] || log "WARNING: the run created $TOUCHPOINTS touchpoints, expected $AUDIENCE"
[[ "$QUEUED" == "$AUDIENCE" ]] || log "WARNING: $QUEUED of the run's touchpoints are QUEUED, expected $AUDIENCE"

# ---------------------------------------------------------------------------------------------- 5. the deliveries
if [[ $DELIVER_AFTER -eq 1 ]]; then
    log "restarting the service with the dispatcher on, for the deliveries that follow the run"
    stop_service
    KEEP_LOGS["$WORK/service-run.log"]=campaign-run-service-run.log
    mv "$WORK/service.log" "$WORK/service-run.log"
    start_service "deliveries" "$WORK/service.log" CRM_WEBHOOK_ALLOWLIST=127.0.0.0/8
    cpu_mark || true
    recv_ticks0="$(proc_ticks "$RECV_PID")"; mark_ns="$(date +%s%N)"
    deadline=$((SECONDS + DELIVERY_TIMEOUT))
fi
deliveries() { "${PSQL[@]}" -F ' ' -c "SELECT count(*), coalesce(round(extract(epoch FROM max(delivered_at) - min(delivered_at))::numeric, 3), 0),
    coalesce(round(extract(epoch FROM max(delivered_at) - (SELECT created_at FROM campaign_run WHERE id = '$RUN_ID'))::numeric, 3), 0)
    FROM webhook_message WHERE event_type = 'touchpoint.created' AND state = 'DELIVERED'"; }
log "waiting for $AUDIENCE touchpoint.created deliveries (at most $DELIVERY_TIMEOUT s from the schedule)"
while :; do
    read -r DELIVERED SPAN_S START_TO_LAST_S <<<"$(deliveries)"
    [[ $DELIVERED -lt $AUDIENCE ]] || break
    pid_alive "$SVC_PID" || die "the service died while delivering"
    [[ $SECONDS -lt $deadline ]] || { log "WARNING: only $DELIVERED of $AUDIENCE delivered within $DELIVERY_TIMEOUT s"; break; }
    sleep 1
done
all_done_ns="$(date +%s%N)"
read -r "M[all.busy]" "M[all.service_cores]" "M[all.postgres_cores]" "M[all.client_cores]" "M[all.other_cores]" \
    "M[all.jit_cores]" "M[all.steal]" "M[all.redis_cores]" <<<"$(cpu_report "$(recv_cores)")"
M[all.other_top]="$(other_top "$(calc %.3f "($all_done_ns - $mark_ns) / 1e9")" | tr -d '"\\')"
DELIVERIES_OK="$([[ $DELIVERED -ge $AUDIENCE ]] && echo true || echo false)"
DELIVERY_RATE="$(awk -v n="$DELIVERED" -v s="$SPAN_S" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }')"
read -r NOT_DELIVERED < <("${PSQL[@]}" -c "SELECT count(*) FROM webhook_message WHERE event_type = 'touchpoint.created'
    AND state <> 'DELIVERED'")
# the busiest seconds of deliveries, from the run's start
DELIVERY_TIMELINE="$("${PSQL[@]}" -c "SELECT string_agg(coalesce(n, 0)::text, ' ' ORDER BY s) FROM generate_series(0,
    (SELECT floor(extract(epoch FROM max(delivered_at) - r.created_at))::int FROM webhook_message, campaign_run r
     WHERE r.id = '$RUN_ID' AND event_type = 'touchpoint.created' AND state = 'DELIVERED' GROUP BY r.created_at)) AS s
    LEFT JOIN (SELECT floor(extract(epoch FROM m.delivered_at - r.created_at))::int AS s, count(*) AS n
               FROM webhook_message m, campaign_run r WHERE r.id = '$RUN_ID' AND m.event_type = 'touchpoint.created'
               AND m.state = 'DELIVERED' GROUP BY 1) x USING (s)")"
log "deliveries: $DELIVERED of $AUDIENCE in $SPAN_S s first to last = ${DELIVERY_RATE}/s; run start -> last ${START_TO_LAST_S} s"
log "deliveries in each second from the run's start: $DELIVERY_TIMELINE"

# ---------------------------------------------------------------------------------------------- 6. the report under goal events
cat >"$WORK/poll-report.py" <<'PY'
# GETs a campaign's report every 100 ms (one kept-alive connection) for SECONDS; one line per request:
# <ms since start> <latency ms> <HTTP status> <total.converted>
import http.client, json, sys, time
port, key, campaign, seconds = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
start = time.monotonic()
i = 0
while (now := time.monotonic()) - start < seconds:
    t0 = time.perf_counter()
    conn.request("GET", f"/api/v1/campaigns/{campaign}/report", headers={"X-API-Key": key})
    r = conn.getresponse(); body = r.read()
    ms = (time.perf_counter() - t0) * 1000
    converted = json.loads(body)["total"]["converted"] if r.status == 200 else -1
    print(f"{(now - start) * 1000:.0f} {ms:.2f} {r.status} {converted}", flush=True)
    i += 1
    time.sleep(max(0.0, start + i * 0.1 - time.monotonic()))
PY
report_converted() { "${CURL[@]}" -fsS -m 30 "$BASE/api/v1/campaigns/$CAMPAIGN_ID/report" | json_field total.converted; }
senders() { "${PSQL[@]}" -c "SELECT count(DISTINCT customer_id) FROM event WHERE type = 'bench-order'"; }
catch_up() { # seconds -> CONVERTED, the report's total.converted once it counts every customer who sent an event
    local until=$(($(date +%s%N) + $1 * 1000000000)) want
    want="$(senders)"
    CONVERTED="$(report_converted)" || die "GET report failed"
    while [[ $CONVERTED -lt $want ]]; do
        [[ $(date +%s%N) -lt $until ]] || return 1
        sleep 0.1
        CONVERTED="$(report_converted)" || die "GET report failed"
    done
}
# the event path's first requests (and the attribution's first batches) run cold: 3 s of events first, not measured
log "warming up: $RATE bench-order events/s for 3 s, not measured"
python3 "$ROOT/src/bench/steady-events.py" "$BASE" "$API_KEY" bench-order "$RATE" 3 "$AUDIENCE" >"$WORK/events-warmup.txt" 2>&1 \
    || { cat "$WORK/events-warmup.txt" >&2; die "steady-events.py failed"; }
catch_up 60 || log "WARNING: the report's converted was still $CONVERTED of $(senders) 60 s after the warm-up"
WARM_CONVERTED="$CONVERTED"
# the attribution's plans depend on whether campaign_recipient has statistics yet (autovacuum's ANALYZE, or none: -1)
RECIPIENT_RELTUPLES="$("${PSQL[@]}" -c "SELECT reltuples::bigint FROM pg_class WHERE relname = 'campaign_recipient'")"
log "campaign_recipient's statistics: reltuples $RECIPIENT_RELTUPLES (-1: never analyzed)"
stats_reset
log "streaming $RATE bench-order events/s for $REPORT_S s to reached customers, GET report every 100 ms"
python3 "$ROOT/src/bench/steady-events.py" "$BASE" "$API_KEY" bench-order "$RATE" "$REPORT_S" "$AUDIENCE" \
    >"$WORK/events.txt" 2>&1 </dev/null &
EVENTS_PID=$!
run_client "$WORK/report.txt" python3 "$WORK/poll-report.py" "$PORT" "$API_KEY" "$CAMPAIGN_ID" "$REPORT_S" \
    || { cat "$WORK/report.txt" >&2; die "the report poller failed"; }
wait "$EVENTS_PID" || { cat "$WORK/events.txt" >&2; die "steady-events.py failed"; }
EVENTS_PID=""
end_ns="$(date +%s%N)"
CONVERTED_AT_END="$(report_converted)" || die "GET report failed"
read -r EV_OK EV_FAILED < <(tail -n1 "$WORK/events.txt")
SENDERS="$(senders)"
BEHIND_AT_END=$((SENDERS - CONVERTED_AT_END))
log "events: $EV_OK accepted ($EV_FAILED failed) from $SENDERS customers; the report's converted at the end: $CONVERTED_AT_END"
if catch_up 60; then CATCH_UP_MS="$(ms_since "$end_ns")"; else
    CATCH_UP_MS=null
    log "WARNING: converted $CONVERTED of $SENDERS 60 s after the stream"
fi
stats_top report
awk '$3 != 200 { bad++ } END { exit bad > 0 }' "$WORK/report.txt" || { grep -v ' 200 ' "$WORK/report.txt" | head >&2; die "GET report answered non-200"; }
REPORT_N="$(wc -l <"$WORK/report.txt")"
REPORT_P50="$(awk '{ print $2 }' "$WORK/report.txt" | median)"
REPORT_P99="$(awk '{ print $2 }' "$WORK/report.txt" | p99)"
REPORT_MAX="$(awk '{ print $2 }' "$WORK/report.txt" | sort -n | tail -n1)"
log "report: p50 ${REPORT_P50} ms, p99 ${REPORT_P99} ms over $REPORT_N requests; $BEHIND_AT_END behind at the end," \
    "$([[ $CATCH_UP_MS == null ]] && echo "not caught up within 60 s" || echo "caught up in ${CATCH_UP_MS} ms")"

# ---------------------------------------------------------------------------------------------- slow statements, errors
sleep 1
stop_receiver
BAD_SIGNATURES="$(sed -n 's/^bad_signatures=//p' "$RECEIVED.summary" 2>/dev/null)"
RECEIPTS="$(wc -l <"$RECEIVED")"
DISTINCT_RECEIPTS="$(awk '{ print $1 }' "$RECEIVED" | sort -u | wc -l)"
RSS="$(rss_mib)"
python3 - "$WORK/service.log" "$DATA/postgres/log/postgresql.log" "$SLOW_OUT" "$WORK/stats-run.tsv" \
    "$WORK/stats-report.tsv" "$WORK/stats.json" >"$WORK/slow-summary" <<'PY'
# pg_stat_statements' busiest statements during the run and during the report phase, PostgreSQL's log (statements
# over the threshold, lock waits, errors) and the service's ERROR lines. On stdout: "slow N", "service_slow N" (not
# from the bench's psql), "lock_waits N", "errors N", "slowest ..."; all of it into the file, and the top 5 of each
# phase as JSON.
import json, os, re, sys
service_log, pg_log, out_file, stats_run, stats_report, stats_json = sys.argv[1:7]
def stats(path):
    rows = []
    for line in open(path, errors="replace") if os.path.exists(path) else []:
        f = line.rstrip("\n").split("\t", 5)
        if len(f) == 6:
            rows.append({"total_ms": float(f[0]), "calls": int(f[1]), "mean_ms": float(f[2]), "max_ms": float(f[3]),
                         "rows": int(f[4]), "query": f[5]})
    return rows
phases = {"run": stats(stats_run), "report": stats(stats_report)}
with open(stats_json, "w") as out:
    json.dump({k: [dict(r, query=r["query"][:300]) for r in v[:5]] for k, v in phases.items()}, out)
START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[\d+\] (.*?): ([A-Z]+):  (.*)$")
entries = []  # [app, level, message]
if os.path.exists(pg_log):
    for line in open(pg_log, errors="replace"):
        m = START.match(line.rstrip("\n"))
        if m:
            entries.append([m.group(1), m.group(2), m.group(3)])
        elif entries:
            entries[-1][2] += " " + line.strip()
slow, waits, errors = [], [], []
for app, level, msg in entries:
    m = re.match(r"duration: ([0-9.]+) ms\s+(?:statement|(?:execute|parse|bind) [^:]*): (.*)", msg)
    if m:
        slow.append((float(m.group(1)), app, re.sub(r"\s+", " ", m.group(2)).strip()))
    elif "still waiting for" in msg or "acquired" in msg and "after" in msg:
        waits.append(f"postgres {app}: {msg}")
    elif level in ("ERROR", "FATAL", "PANIC"):
        errors.append(f"postgres {app}: {level}: {msg}")
for line in open(service_log, errors="replace"):
    try:
        rec = json.loads(line)
    except ValueError:
        continue
    if rec.get("level") == "ERROR":
        exc = rec.get("exception", {})
        errors.append(f"service {rec.get('loggerName')}: {rec.get('message')}"
                      + (f" ({exc.get('exceptionType')}: {exc.get('message')})" if exc else ""))
service = [x for x in slow if x[1] != "psql"]
groups = {}
for ms, app, sql in slow:
    g = groups.setdefault((app, sql[:400]), [0, 0.0, 0.0])
    g[0] += 1; g[1] += ms; g[2] = max(g[2], ms)
with open(out_file, "w") as out:
    for phase, what in (("run", "from the schedule until the run was COMPLETED"),
                        ("report", "while goal events streamed in and the report was polled, until it caught up")):
        out.write(f"pg_stat_statements {what}: the 15 with the most execution time: total ms, calls, mean ms, max ms, rows, statement\n")
        for r in phases[phase]:
            out.write(f"{r['total_ms']:10.0f} {r['calls']:7d} {r['mean_ms']:9.2f} {r['max_ms']:9.1f} {r['rows']:8d}  {r['query'][:700]}\n")
        out.write("\n")
    out.write(f"{len(slow)} statements over the threshold ({len(service)} not from the bench's psql), grouped by text,"
              " most total time first: count, total ms, max ms, application, statement\n")
    for (app, sql), (n, total, mx) in sorted(groups.items(), key=lambda kv: -kv[1][1])[:40]:
        out.write(f"{n:5d} {total:10.0f} {mx:9.0f}  {app or '-'}: {sql}\n")
    out.write(f"\n{len(waits)} lock waits\n")
    out.writelines(w[:1000] + "\n" for w in waits[:40])
    out.write(f"\n{len(errors)} error lines\n")
    out.writelines(e[:1000] + "\n" for e in errors[:40])
print("slow", len(slow))
print("service_slow", len(service))
print("lock_waits", len(waits))
print("errors", len(errors))
top = max(service) if service else None
print("slowest", f"{top[0]:.0f} ms: {top[2][:160]}".replace('"', "'").replace("\\", "") if top else "")
PY
SLOW_N="$(sed -n 's/^slow //p' "$WORK/slow-summary")"
SERVICE_SLOW_N="$(sed -n 's/^service_slow //p' "$WORK/slow-summary")"
LOCK_WAITS="$(sed -n 's/^lock_waits //p' "$WORK/slow-summary")"
ERRORS_N="$(sed -n 's/^errors //p' "$WORK/slow-summary")"
SLOWEST="$(sed -n 's/^slowest //p' "$WORK/slow-summary")"
[[ $ERRORS_N -eq 0 ]] || log "WARNING: $ERRORS_N error lines in the service's or PostgreSQL's log (see $SLOW_OUT)"

# ---------------------------------------------------------------------------------------------- report
NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
NOISY="$(noisy run all)"
{
    echo
    echo "=== campaign run ($NOW, $NCPU cores, $(git_rev)): $CUSTOMERS customers, $EVENTS events, audience $AUDIENCE ==="
    echo "  generator: ${GEN_S} s; segments settled after the tag in ${SETTLE_MS} ms; dry run ${DRY_MS} ms"
    echo "  reference INSERT INTO touchpoint ... SELECT ($AUDIENCE rows, rolled back): median ${REF_MS} ms ($REF_ALL)"
    echo "  campaign run (created -> finished): ${RUN_S} s = materialise ${MATERIALISE_S} s + send ${SEND_S} s ($BATCHES batches)"
    echo "    ratio to the reference: $RATIO (target ≤ $RATIO_TARGET: $([[ $RATIO_OK == true ]] && echo "meets target" || echo "ABOVE target"))"
    echo "    touchpoints $TOUCHPOINTS ($QUEUED QUEUED); outcomes: $OUTCOMES"
    echo "  webhook deliveries: $DELIVERED of $AUDIENCE, ${DELIVERY_RATE}/s (first -> last delivered ${SPAN_S} s);" \
        "run start -> last delivery ${START_TO_LAST_S} s"
    echo "    receiver: $RECEIPTS requests, $DISTINCT_RECEIPTS distinct, ${BAD_SIGNATURES:-?} bad signatures; not delivered: $NOT_DELIVERED"
    echo "  GET report every 100 ms with $RATE bench-order events/s for $REPORT_S s: p50 ${REPORT_P50} ms, p99 ${REPORT_P99} ms," \
        "max ${REPORT_MAX} ms ($REPORT_N requests)"
    echo "    events accepted $EV_OK ($EV_FAILED failed; after a 3 s warm-up that converted $WARM_CONVERTED); $SENDERS customers sent one;" \
        "converted at the end $CONVERTED_AT_END" \
        "($BEHIND_AT_END behind), $([[ $CATCH_UP_MS == null ]] && echo "not caught up within 60 s" || echo "caught up after ${CATCH_UP_MS} ms")"
    echo "  service RSS after the run ${RUN_RSS} MiB, at the end ${RSS} MiB"
    if [[ $SLOW_MS -gt 0 ]]; then
        echo "  PostgreSQL statements over ${SLOW_MS} ms: $SLOW_N ($SERVICE_SLOW_N from the service)${SLOWEST:+; its slowest $SLOWEST}"
        echo "    lock waits over deadlock_timeout: $LOCK_WAITS; error lines (service and PostgreSQL): $ERRORS_N; details in $SLOW_OUT"
        echo "  the busiest statements during the run (pg_stat_statements: total ms, calls, statement):"
        awk -F '\t' 'NR <= 5 { printf "    %8.0f %6d  %s\n", $1, $2, substr($6, 1, 110) }' "$WORK/stats-run.tsv"
        echo "  and during the report phase (campaign_recipient's statistics then: reltuples $RECIPIENT_RELTUPLES, -1 = none):"
        awk -F '\t' 'NR <= 3 { printf "    %8.0f %6d  %s\n", $1, $2, substr($6, 1, 110) }' "$WORK/stats-report.tsv"
    else
        echo "  error lines in the service's log: $ERRORS_N ($SLOW_OUT)"
    fi
    echo "CPU in cores of $NCPU (machine ${BACKGROUND_BUSY}% busy before start); $KNOBS:"
    cpu_line run receiver
    cpu_line all receiver
    if [[ "$NOISY" == true ]]; then
        echo "WARNING: other processes (or other guests: steal) used CPU during the run; the ratio is not from a quiet machine"
    fi
} >&2
{
    printf '{"benchmark": "campaign-run", "date": "%s", "commit": "%s", "customers": %s, "events": %s, "audience": %s,\n' \
        "$NOW" "$(git_rev)" "$CUSTOMERS" "$EVENTS" "$AUDIENCE"
    printf ' "machine": {"cores": %s, "cpu": "%s", "busy_pct_before_start": %s, "noisy": %s},\n' \
        "$NCPU" "$(cpu_model)" "$BACKGROUND_BUSY" "$NOISY"
    printf ' "knobs": "%s", "generator_s": %s, "settle_ms": %s, "dry_run_ms": %s,\n' "$KNOBS" "$GEN_S" "$SETTLE_MS" "$DRY_MS"
    printf ' "reference": {"runs_ms": [%s], "median_ms": %s},\n' "$REF_ALL" "$REF_MS"
    printf ' "run": {"id": "%s", "seconds": %s, "materialise_s": %s, "send_s": %s, "audience_size": %s, "batches": %s,\n' \
        "$RUN_ID" "$RUN_S" "$MATERIALISE_S" "$SEND_S" "$AUDIENCE_SIZE" "$BATCHES"
    printf '   "touchpoints": %s, "queued": %s, "outcomes": %s, "rss_mib": %s,\n' "$TOUCHPOINTS" "$QUEUED" \
        "$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["items"][0]["outcomes"]))' "$WORK/runs.json")" "$RUN_RSS"
    printf '   "ratio_to_reference": %s, "ratio_target": %s, "meets_target": %s,\n' "$RATIO" "$RATIO_TARGET" "$RATIO_OK"
    printf '   "cpu_cores": {"machine_busy_pct": %s, "steal_pct": %s, "service": %s, "service_jit": %s, "postgres": %s, "redis": %s, "receiver": %s, "other": %s, "other_top": "%s"}},\n' \
        "${M[run.busy]}" "${M[run.steal]}" "${M[run.service_cores]}" "${M[run.jit_cores]}" "${M[run.postgres_cores]}" \
        "${M[run.redis_cores]}" "${M[run.client_cores]}" "${M[run.other_cores]}" "${M[run.other_top]}"
    printf ' "deliveries": {"delivered": %s, "all_delivered": %s, "not_delivered": %s, "first_to_last_s": %s, "per_s": %s,\n' \
        "$DELIVERED" "$DELIVERIES_OK" "$NOT_DELIVERED" "$SPAN_S" "$DELIVERY_RATE"
    printf '   "run_start_to_last_s": %s, "per_second_from_run_start": [%s], "timeout_s": %s,\n' \
        "$START_TO_LAST_S" "${DELIVERY_TIMELINE// /, }" "$DELIVERY_TIMEOUT"
    printf '   "receiver_requests": %s, "receiver_distinct": %s, "bad_signatures": %s,\n' "$RECEIPTS" "$DISTINCT_RECEIPTS" "${BAD_SIGNATURES:-null}"
    printf '   "cpu_cores_from_schedule": {"machine_busy_pct": %s, "steal_pct": %s, "service": %s, "service_jit": %s, "postgres": %s, "redis": %s, "receiver": %s, "other": %s, "other_top": "%s"}},\n' \
        "${M[all.busy]}" "${M[all.steal]}" "${M[all.service_cores]}" "${M[all.jit_cores]}" "${M[all.postgres_cores]}" \
        "${M[all.redis_cores]}" "${M[all.client_cores]}" "${M[all.other_cores]}" "${M[all.other_top]}"
    printf ' "report": {"event_rate": %s, "seconds": %s, "requests": %s, "latency_p50_ms": %s, "latency_p99_ms": %s, "latency_max_ms": %s,\n' \
        "$RATE" "$REPORT_S" "$REPORT_N" "$REPORT_P50" "$REPORT_P99" "$REPORT_MAX"
    printf '   "warmup_s": 3, "converted_after_warmup": %s, "events_accepted": %s, "events_failed": %s, "converting_customers": %s,\n' \
        "$WARM_CONVERTED" "$EV_OK" "$EV_FAILED" "$SENDERS"
    printf '   "converted_at_end": %s, "behind_at_end": %s, "catch_up_ms": %s, "campaign_recipient_reltuples_at_start": %s},\n' \
        "$CONVERTED_AT_END" "$BEHIND_AT_END" "$CATCH_UP_MS" "$RECIPIENT_RELTUPLES"
    printf ' "slow_ms": %s, "slow_statements": %s, "service_slow_statements": %s, "lock_waits": %s, "error_lines": %s,\n' \
        "$SLOW_MS" "${SLOW_N:-0}" "${SERVICE_SLOW_N:-0}" "${LOCK_WAITS:-0}" "${ERRORS_N:-0}"
    printf ' "service_slowest": "%s", "top_statements": %s, "rss_end_mib": %s}\n' "$SLOWEST" "$(cat "$WORK/stats.json")" "$RSS"
} >"$JSON_OUT"
python3 -m json.tool "$JSON_OUT" >/dev/null || die "wrote invalid JSON to $JSON_OUT"
log "wrote $JSON_OUT"
