#!/usr/bin/env bash
# Event ingestion benchmark: POST /api/v1/events (and the NDJSON stream) vs a raw multi-row INSERT of the same rows,
# measured in one run on one machine, against the same database.
#
# Starts the packaged service on its embedded PostgreSQL and Redis (fresh data directory), seeds customers, and
# writes the same number of events three ways, each into the partitioned event table:
#   1. psql, multi-row INSERT of 1000 rows per statement, CONCURRENCY sessions at once          (reference)
#   2. curl POST /api/v1/events, batches of 1000, CONCURRENCY requests at once (X-API-Key; each item checked alone,
#      customers resolved and locked, replays detected, lastActiveAt moved)
#   3. curl POST /api/v1/events/stream, CONCURRENCY NDJSON streams at once
# Each phase writes fresh event ids (nothing is a replay). Reports events/s per phase and the ratios API / raw and
# stream / raw (issue 12's target: ≥ 0.5), and the service's resident memory after the runs.
#
# Usage: src/bench/event-ingest.sh [--events N] [--customers N] [--concurrency C] [--build]
# Options: --events N per phase (200000), --customers N (10000), --concurrency C (4), --build to rebuild the jar.
# Writes target/bench/event-ingest.json. See src/bench/README.md.
set -euo pipefail

EVENTS=200000
CUSTOMERS=10000
CONCURRENCY=4
BUILD=0
TARGET=0.5
RATE_LIMIT_BURST=100000000
RATE_LIMIT_PER_SECOND=100000000

while [[ $# -gt 0 ]]; do
    case "$1" in
        --events) EVENTS="$2"; shift 2 ;;
        --customers) CUSTOMERS="$2"; shift 2 ;;
        --concurrency) CONCURRENCY="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done
for v in EVENTS CUSTOMERS CONCURRENCY; do
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || { echo "--${v,,} must be a positive integer" >&2; exit 2; }
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/target/bench"
JSON_OUT="$OUT_DIR/event-ingest.json"
# shellcheck source=src/bench/lib.sh
source "$ROOT/src/bench/lib.sh"

works psql --version || install_packages postgresql-client
command -v python3 >/dev/null || install_packages python3
ensure_jar
bench_setup
KEEP_LOGS["$WORK/service.log"]=event-ingest-service.log
start_service "event ingestion" "$WORK/service.log"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)

log "seeding $CUSTOMERS customers"
"${PSQL[@]}" <<SQL
INSERT INTO customer (id, type, name, attributes, created_at, updated_at)
SELECT md5('crm-bench-' || n)::uuid, 'INDIVIDUAL', 'Bench ' || n, '{}'::jsonb, now(), now()
FROM generate_series(1, $CUSTOMERS) AS n;
SQL

log "writing $EVENTS events per phase as batches of 1000 (JSON, NDJSON and SQL)"
python3 - "$WORK" "$EVENTS" "$CUSTOMERS" "$CONCURRENCY" <<'PY'
import hashlib, json, os, sys, uuid, datetime
work, events, customers, streams = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
now = datetime.datetime.now(datetime.timezone.utc)
types = ["view", "add_to_cart", "order", "pay", "refund"]
def event(phase, i):
    n = i % customers + 1
    return {"eventId": f"{phase}-{i}", "type": types[i % 5],
            "customerId": str(uuid.UUID(hashlib.md5(f"crm-bench-{n}".encode()).hexdigest())),
            "occurredAt": (now - datetime.timedelta(seconds=i % 86400, microseconds=i % 997)).isoformat().replace("+00:00", "Z"),
            "properties": {"amount": (i * 37) % 5000, "category": ["hotel", "flight", "food"][i % 3]},
            "items": [{"sku": f"SKU-{i % 500}", "category": "hotel", "price": 100, "quantity": 1}],
            "context": {"channel": "app", "device": "bench"}}
def q(s):
    return "'" + s.replace("'", "''") + "'"
for d in ("api", "stream", "sql"):
    os.makedirs(os.path.join(work, d), exist_ok=True)
stream_files = [open(os.path.join(work, "stream", f"{k}.ndjson"), "w") for k in range(streams)]
for b in range(0, events, 1000):
    batch = [event("api", i) for i in range(b, min(b + 1000, events))]
    with open(os.path.join(work, "api", f"{b // 1000:06d}.json"), "w") as f:
        json.dump({"items": batch}, f)
    for i in range(b, min(b + 1000, events)):
        stream_files[(i // 1000) % streams].write(json.dumps(event("stream", i)) + "\n")
    rows = []
    for e in (event("sql", i) for i in range(b, min(b + 1000, events))):
        rows.append("(" + ", ".join([q(e["customerId"]) + "::uuid", q(e["occurredAt"]) + "::timestamptz", q(e["eventId"]),
                    q(str(uuid.uuid4())) + "::uuid", q(e["type"]), q(json.dumps(e["properties"])) + "::jsonb",
                    q(json.dumps(e["items"])) + "::jsonb", q(json.dumps(e["context"])) + "::jsonb", "now()"]) + ")")
    with open(os.path.join(work, "sql", f"{b // 1000:06d}.sql"), "w") as f:
        f.write("INSERT INTO event (customer_id, occurred_at, event_id, id, type, properties, items, context, received_at)"
                " VALUES " + ",\n".join(rows) + ";\n")
for f in stream_files:
    f.close()
PY

elapsed() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
count() { "${PSQL[@]}" -c "SELECT count(*) FROM event WHERE event_id LIKE '$1-%'"; }

# a short warm-up of the service's JIT with events that are not measured
python3 - "$WORK/warm.json" "$CUSTOMERS" <<'PY'
import hashlib, json, sys, uuid, datetime
now = datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
items = [{"eventId": f"warm-{i}", "type": "view", "occurredAt": now,
          "customerId": str(uuid.UUID(hashlib.md5(f"crm-bench-{i % int(sys.argv[2]) + 1}".encode()).hexdigest()))}
         for i in range(1000)]
json.dump({"items": items}, open(sys.argv[1], "w"))
PY
log "warming up"
for ((i = 0; i < 30; i++)); do
    "${CURL[@]}" -fs -o /dev/null -H 'Content-Type: application/json' --data-binary "@$WORK/warm.json" "$BASE/api/v1/events"
done

log "raw SQL: multi-row INSERTs, $CONCURRENCY sessions"
start="$(date +%s%N)"
find "$WORK/sql" -name '*.sql' | sort | xargs -P "$CONCURRENCY" -n 10 sh -c 'for f; do psql -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null || exit 255; done' _
SQL_S="$(elapsed "$start")"
[[ "$(count sql)" -eq "$EVENTS" ]] || die "raw SQL stored $(count sql) events, not $EVENTS"

log "API: POST /api/v1/events, $CONCURRENCY at once"
start="$(date +%s%N)"
find "$WORK/api" -name '*.json' | sort | xargs -P "$CONCURRENCY" -I{} sh -c \
    'curl -fsS -o /dev/null -H "@$0" -H "Content-Type: application/json" --data-binary "@{}" "$1/api/v1/events" || exit 255' \
    "$WORK/auth-header" "$BASE"
API_S="$(elapsed "$start")"
[[ "$(count api)" -eq "$EVENTS" ]] || die "the API stored $(count api) events, not $EVENTS"

log "API: POST /api/v1/events/stream, $CONCURRENCY streams at once"
start="$(date +%s%N)"
find "$WORK/stream" -name '*.ndjson' | xargs -P "$CONCURRENCY" -I{} sh -c \
    'curl -fsS -o /dev/null -H "@$0" -H "Content-Type: application/x-ndjson" -T "{}" -X POST "$1/api/v1/events/stream" || exit 255' \
    "$WORK/auth-header" "$BASE"
STREAM_S="$(elapsed "$start")"
[[ "$(count stream)" -eq "$EVENTS" ]] || die "the stream stored $(count stream) events, not $EVENTS"
RSS="$(rss_mib)"

rate() { awk -v n="$EVENTS" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
SQL_RATE="$(rate "$SQL_S")"; API_RATE="$(rate "$API_S")"; STREAM_RATE="$(rate "$STREAM_S")"
API_RATIO="$(awk -v a="$API_RATE" -v b="$SQL_RATE" 'BEGIN { printf "%.2f", a / b }')"
STREAM_RATIO="$(awk -v a="$STREAM_RATE" -v b="$SQL_RATE" 'BEGIN { printf "%.2f", a / b }')"
cat >&2 <<TXT

event ingestion, $EVENTS events per phase, $CONCURRENCY at once, $CUSTOMERS customers ($(git_rev))
  raw multi-row INSERT   $SQL_RATE events/s  (${SQL_S} s)
  POST /api/v1/events    $API_RATE events/s  (${API_S} s)   ratio to raw: $API_RATIO (target ≥ $TARGET: $(verdict "$(meets "$API_RATIO" "$TARGET")"))
  POST /events/stream    $STREAM_RATE events/s  (${STREAM_S} s)   ratio to raw: $STREAM_RATIO
  service RSS after the runs: $RSS MiB
TXT
cat >"$JSON_OUT" <<JSON
{"benchmark": "event-ingest", "commit": "$(git_rev)", "events": $EVENTS, "customers": $CUSTOMERS,
 "concurrency": $CONCURRENCY, "raw_insert_per_s": $SQL_RATE, "api_per_s": $API_RATE, "stream_per_s": $STREAM_RATE,
 "api_ratio": $API_RATIO, "stream_ratio": $STREAM_RATIO, "target": $TARGET, "rss_mib": $RSS}
JSON
log "wrote $JSON_OUT"
