#!/usr/bin/env bash
# Duplicates, merge, subject access and erasure at 1,000,000 customers, each operation against the raw SQL it is made
# of, measured in one run on one machine.
#
# Starts the packaged service on its embedded PostgreSQL and Redis (fresh temporary data directory), generates
# --customers customers in SQL (every 100th shares the email of the one before it: 1% likely duplicates) and, for
# the customers the operations use, --events behaviour events each. Then, --runs times each (median reported):
#   duplicates  GET /api/v1/customer-duplicates?limit=100 (first page, then one from the middle of the alphabet)
#               vs psql running the same GROUP BY
#   access      GET /api/v1/customers/{id}/export of a customer with --events events
#               vs psql SELECT json_agg of that customer's events
#   erase       POST /api/v1/customers/{id}/erase of a customer with --events events
#               vs psql DELETE FROM customer of another such customer (its cascades and triggers included)
#   merge       POST /api/v1/customers/{id}/merge of two customers with --events events each
#               vs psql moving the other pair's events and deleting the merged row, in one transaction
# The service's time is a whole curl process, start to exit (HTTP, authentication, the work); the SQL's is the
# server's own time for the statements (psql's \timing, on a connection already open). Results are ratios
# (service / SQL): what the API costs over the bare statements it is made of.
#
# Usage: src/bench/merge-erase.sh [--customers N] [--events N] [--runs N] [--build]
# Writes target/bench/merge-erase.json (and the service's log next to it). See src/bench/README.md.
set -euo pipefail

CUSTOMERS=1000000
EVENTS=10000
RUNS=5
BUILD=0
RATE_LIMIT_BURST=100000000
RATE_LIMIT_PER_SECOND=100000000

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --customers) CUSTOMERS="$2"; shift 2 ;;
        --events) EVENTS="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done
for v in CUSTOMERS EVENTS RUNS; do
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || { echo "--${v,,} must be a positive integer" >&2; exit 2; }
done
[[ $CUSTOMERS -ge $((RUNS * 6 + 200)) ]] || { echo "--customers must be at least $((RUNS * 6 + 200))" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/target/bench"
JSON_OUT="$OUT_DIR/merge-erase.json"
# shellcheck source=src/bench/lib.sh
source "$ROOT/src/bench/lib.sh"

works psql --version || install_packages postgresql-client
ensure_jar
bench_setup
KEEP_LOGS["$WORK/service.log"]=merge-erase-service.log
start_service "merge and erase" "$WORK/service.log"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)

# --------------------------------------------------------------------------------------------- the data
# Customer n has id md5('bench-' || n); n = 1..6*RUNS are the ones operated on (with events), in six roles.
log "generating $CUSTOMERS customers"
"${PSQL[@]}" -c "INSERT INTO customer (id, external_id, type, name, email, phone, attributes, created_at, updated_at)
    SELECT md5('bench-' || n)::uuid, 'bench-' || n, 'INDIVIDUAL', 'Customer ' || n,
        'c' || (CASE WHEN n % 100 = 0 THEN n - 1 ELSE n END) || '@bench.example', '+86138' || lpad(n::text, 8, '0'),
        jsonb_build_object('city', 'Beijing', 'score', n % 1000), now() - make_interval(secs => n), now()
    FROM generate_series(1, $CUSTOMERS) n"
log "generating $EVENTS events for each of the $((RUNS * 6)) customers operated on"
"${PSQL[@]}" -c "INSERT INTO event (customer_id, occurred_at, event_id, id, type, properties, received_at)
    SELECT md5('bench-' || n)::uuid, now() - make_interval(secs => k), 'e-' || n || '-' || k, gen_random_uuid(),
        'page_view', jsonb_build_object('path', '/item/' || k), now()
    FROM generate_series(1, $((RUNS * 6))) n, generate_series(1, $EVENTS) k"
# what the bulk load queued for background work is not what is measured: the generator drops it
"${PSQL[@]}" -c "TRUNCATE segment_dirty, lead_event, campaign_goal_event" -c "VACUUM ANALYZE"

id_of() { "${PSQL[@]}" -c "SELECT md5('bench-' || $1)::uuid"; }
now_ns() { date +%s%N; }
declare -A T
time_run() { # name, command... -> appends the command's wall seconds to T[name]; fails when the command fails
    local name="$1" start end
    shift
    start="$(now_ns)"
    "$@" >/dev/null || die "$name failed: $*"
    end="$(now_ns)"
    T[$name]+="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }') "
}
time_sql() { # name, statements... -> appends the server's time for them (psql's \timing, summed) to T[name]
    local name="$1" out
    shift
    local args=(-c '\timing on')
    for statement in "$@"; do args+=(-c "$statement"); done
    out="$("${PSQL[@]}" "${args[@]}")" || die "$name failed"
    T[$name]+="$(awk '/^Time: / { ms += $2 } END { printf "%.4f", ms / 1000 }' <<<"$out") "
}
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
api() { "${CURL[@]}" -fsS -m 300 "$@"; }

DUPS_SQL="SELECT lower(email), (array_agg(id ORDER BY created_at, id))[1:10], count(*) FROM customer
    WHERE lower(email) > '%s' GROUP BY lower(email) HAVING count(*) > 1 ORDER BY lower(email) LIMIT 101"
MIDDLE="c5"

log "warming the service up (20 of each read)"
for ((i = 0; i < 20; i++)); do
    api -o /dev/null "$BASE/api/v1/customer-duplicates?limit=100"
    api -o /dev/null "$BASE/api/v1/customers/$(id_of 1)/export"
done

log "measuring, $RUNS runs of each"
for ((r = 1; r <= RUNS; r++)); do
    time_run dups_api api -o /dev/null "$BASE/api/v1/customer-duplicates?limit=100"
    time_sql dups_sql "$(printf "$DUPS_SQL" '')"
    cursor="$(printf 'v1\nemail\n%s\n00000000-0000-0000-0000-000000000000' "$MIDDLE" | base64 -w0 | tr '+/' '-_' | tr -d '=')"
    time_run dups_mid_api api -o /dev/null "$BASE/api/v1/customer-duplicates?limit=100&cursor=$cursor"
    time_sql dups_mid_sql "$(printf "$DUPS_SQL" "$MIDDLE")"

    reader="$(id_of "$r")"
    time_run access_api api -o "$WORK/access.json" "$BASE/api/v1/customers/$reader/export"
    time_sql access_sql "SELECT json_agg(e ORDER BY occurred_at, event_id) FROM event e WHERE customer_id = '$reader'"

    base=$((RUNS + (r - 1) * 5))
    erased="$(id_of $((base + 1)))" deleted="$(id_of $((base + 2)))"
    time_run erase_api api -o /dev/null -X POST "$BASE/api/v1/customers/$erased/erase"
    time_sql erase_sql "DELETE FROM customer WHERE id = '$deleted'"

    keep="$(id_of $((base + 3)))" gone="$(id_of $((base + 4)))" other="$(id_of $((base + 5)))"
    time_run merge_api api -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"mergeId\": \"$gone\"}" "$BASE/api/v1/customers/$keep/merge"
    # the reference moves the events of one customer with events onto a customer without (n > 6*RUNS)
    time_sql merge_sql "BEGIN" "UPDATE event SET customer_id = md5('bench-' || $((RUNS * 6 + r)))::uuid
        WHERE customer_id = '$other'" "DELETE FROM customer WHERE id = '$other'" "COMMIT"
done
[[ "$("${PSQL[@]}" -c "SELECT count(*) FROM customer_alias")" == "$RUNS" ]] || die "expected $RUNS aliases"
[[ "$("${PSQL[@]}" -c "SELECT count(*) FROM customer_erasure")" == "$RUNS" ]] || die "expected $RUNS tombstones"
ACCESS_BYTES="$(wc -c <"$WORK/access.json")"

declare -A M
for k in dups dups_mid access erase merge; do
    M[$k.api]="$(median "${T[${k}_api]}")"
    M[$k.sql]="$(median "${T[${k}_sql]}")"
    M[$k.ratio]="$(awk -v a="${M[$k.api]}" -v b="${M[$k.sql]}" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')"
    log "$(printf '%-9s service %8.3f s   SQL %8.3f s   service/SQL %s' "$k" "${M[$k.api]}" "${M[$k.sql]}" "${M[$k.ratio]}")"
done
RSS="$(rss_mib)"

cat >"$JSON_OUT" <<JSON
{"benchmark": "merge-erase", "commit": "$(git_rev)", "cpu": "$(cpu_model)", "customers": $CUSTOMERS,
 "events_per_customer": $EVENTS, "runs": $RUNS, "background_busy_pct": $BACKGROUND_BUSY, "service_rss_mib": $RSS,
 "access_document_bytes": $ACCESS_BYTES,
 "median_s": {$(for k in dups dups_mid access erase merge; do printf '"%s": {"service": %s, "sql": %s, "ratio": %s}, ' "$k" "${M[$k.api]}" "${M[$k.sql]}" "${M[$k.ratio]}"; done | sed 's/, $//')}}
JSON
log "wrote $JSON_OUT"
