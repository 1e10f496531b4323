#!/usr/bin/env bash
# Issue 15's measures: a customer import through the API as a ratio of PostgreSQL's own COPY of the same rows into
# the same tables, measured in one run on one database (the packaged service's embedded PostgreSQL), and the
# service's resident memory meanwhile; then an export of the same customers through the API as a ratio of
# PostgreSQL's COPY (SELECT ...) TO of the same rows and columns, and the service's resident memory meanwhile.
#
# Starts the packaged service on its embedded PostgreSQL and Redis (fresh data directory), creates 20 tags and
# declares the attributes city (STRING) and score (NUMBER), then:
#   0. warm-up: imports WARM_ROWS other rows through the API (not measured), so the JIT has seen the import's code;
#   1. generates ROWS customers (externalId, name, email, phone, city, score and 2 of the 20 tags each) as the
#      import's CSV file and, for the very same rows, a COPY file for customer and one for customer_tag (ids
#      time-ordered like the service's UUIDv7, source IMPORT, the assigner the warm-up import wrote);
#   2. reference: empties customer (TRUNCATE ... CASCADE), CHECKPOINT, then psql `\copy` of both files in one
#      session, triggers and indexes as in production;
#   3. import: empties customer again, CHECKPOINT, then POST /api/v1/imports (CSV, EXTERNAL_ID, UPSERT, no
#      webhooks), PUT the file (curl -T), poll GET /api/v1/imports/{id} once a second until it finishes. The time
#      is reported two ways: upload + apply (PUT start to finishedAt) and apply only (startedAt to finishedAt);
#      the service's RSS is sampled every second meanwhile (start, peak while uploading, peak while applying, end),
#      and so is the heap's old generation (jstat -gc): what survives collections, as RSS also counts the young space
#      the collector sizes for the allocation rate;
#   4. export: VACUUM ANALYZE, then a warm-up export (the customers tagged bench-t01, not measured); then psql
#      `\copy (SELECT ...) TO` of all ROWS customers (id, externalId, name, email, phone, city, score and their tag
#      keys, string_agg ordered by key), and POST /api/v1/exports of the same (filter {}, the same fields, tags),
#      polled every 0.2 s until SUCCEEDED, its file downloaded (curl) to target/bench/import-export-data/. Export time =
#      job (POST to finishedAt; queued = createdAt to startedAt, write = startedAt to finishedAt) + download (GET
#      .../file to its last byte); the poll's latency between the two is reported but not counted. Ratio = export
#      rows/s ÷ COPY TO rows/s (issue 15's target: ≥ 0.5). RSS is sampled every second from POST to the last byte;
#      the file must have ROWS + 1 lines and is compared with COPY TO's, byte for byte (a warning if it differs).
# The import's timed phases start on an empty customer table with the segment upkeep idle. Ratio = import rows/s ÷
# COPY rows/s (issue 15's target: ≥ 0.3; memory flat). The segment upkeep works through the import's rows while it
# applies them but after the COPY, so a second ratio counts both until the upkeep is idle again. It also checks the
# rows: all stored, with the COPY's fields, written once (version 0). The script reports; it fails only when the
# benchmark itself does (the service, COPY, an import or export that FAILED or stopped moving); failed rows are
# warnings.
#
# Usage: src/bench/import-export.sh [--rows N] [--build]
# Options: --rows N customers (1000000), --build to rebuild the jar. Files go to target/bench/import-export-data/
# (removed after a successful run); writes target/bench/import-export.json, the RSS samples to
# target/bench/import-export-rss.tsv (import) and target/bench/import-export-export-rss.tsv (export), jstat -gc's
# samples to target/bench/import-export-jstat.txt and import-export-export-jstat.txt, and the jobs as
# last polled to target/bench/import-export-job.json and import-export-export-job.json.
set -euo pipefail

ROWS=1000000
WARM_ROWS=5000
TAGS=20
BUILD=0
TARGET=0.3
RATE_LIMIT_BURST=100000000
RATE_LIMIT_PER_SECOND=100000000

while [[ $# -gt 0 ]]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done
[[ $ROWS =~ ^[0-9]+$ && $ROWS -gt 0 ]] || { echo "--rows must be a positive integer" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/target/bench"
JSON_OUT="$OUT_DIR/import-export.json"
RSS_OUT="$OUT_DIR/import-export-rss.tsv"
FILES="$OUT_DIR/import-export-data"
# shellcheck source=src/bench/lib.sh
source "$ROOT/src/bench/lib.sh"

works psql --version || install_packages postgresql-client
command -v python3 >/dev/null || install_packages python3
ensure_jar
bench_setup
KEEP_LOGS["$WORK/service.log"]=import-export-service.log
start_service "import and export" "$WORK/service.log"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
mkdir -p "$FILES"

json_field() { python3 -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."): v = v[int(k)] if isinstance(v, list) else v[k]
print("" if v is None else v)' "$1"; }
post_json() { # path, body -> the response body; fails on a non-2xx answer
    "${CURL[@]}" -fsS -m 60 -H 'Content-Type: application/json' -X POST -d "$2" "$BASE$1"
}
secs_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; } # ns, ns -> s
per_s() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
iso_ns() { date -d "$1" +%s%N; } # an ISO-8601 instant of the API -> ns since the epoch

settled() { # waits until no customer is marked and no recompute is pending (the segment upkeep is idle)
    while [[ "$("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM segment_dirty) + (SELECT count(*) FROM segment
        WHERE refresh_cause IS NOT NULL)")" != 0 ]]; do
        pid_alive "$SVC_PID" || die "the service died while the segments settled"
        sleep 0.2
    done
}
empty_customers() { # the same starting point for each timed phase: no customers, the upkeep idle, a fresh checkpoint
    local i
    # the upkeep first (its locks and the TRUNCATE's could deadlock), then the TRUNCATE, tried again if they still do
    settled
    for ((i = 1; ; i++)); do
        PGOPTIONS='-c client_min_messages=warning' "${PSQL[@]}" \
            -c "TRUNCATE customer, segment_dirty, segment_change CASCADE" 2>"$WORK/truncate.err" && break
        ((i < 5)) || { cat "$WORK/truncate.err" >&2; die "cannot empty the customer table"; }
        log "TRUNCATE failed ($(head -n1 "$WORK/truncate.err")); trying again"
        sleep 1
    done
    settled
    "${PSQL[@]}" -c "VACUUM ANALYZE customer" -c "VACUUM ANALYZE customer_tag" -c "CHECKPOINT"
}

# ---------------------------------------------------------------------------------------------- set-up
log "creating $TAGS tags and declaring the attributes city and score"
for ((t = 1; t <= TAGS; t++)); do
    key="$(printf 'bench-t%02d' "$t")"
    post_json /api/v1/tags "{\"key\": \"$key\", \"name\": \"$key\"}" >/dev/null || die "cannot create the tag $key"
done
post_json /api/v1/properties '{"scope": "CUSTOMER", "name": "city", "type": "STRING"}' >/dev/null
post_json /api/v1/properties '{"scope": "CUSTOMER", "name": "score", "type": "NUMBER"}' >/dev/null
"${PSQL[@]}" -F $'\t' -c "SELECT key, id FROM tag WHERE key LIKE 'bench-t%' ORDER BY key" >"$WORK/tags.tsv"
[[ "$(wc -l <"$WORK/tags.tsv")" -eq $TAGS ]] || die "expected $TAGS tags, found $(wc -l <"$WORK/tags.tsv")"

# The generator: row n of a prefix is the same customer in the CSV and in the COPY files.
cat >"$WORK/gen.py" <<'PY'
import sys, time, datetime
mode, prefix, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
CITIES = ["Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Hangzhou", "Wuhan", "Xi'an", "Nanjing", "Tianjin"]
tags = [line.split("\t") for line in open(sys.argv[4]).read().split("\n") if line]  # key, id
nt = len(tags)
def row(n):
    a = n % nt
    b = (a + 1 + (n // nt) % (nt - 1)) % nt  # never a
    return (f"{prefix}-{n}", f"Customer {n}", f"{prefix}{n}@example.com", f"+86{138 if prefix == 'bench' else 139}{n:08d}",
            CITIES[n % len(CITIES)], (n * 37) % 1000, a, b)
if mode == "csv":  # the import's file
    with open(sys.argv[5], "w", newline="") as f:
        f.write("id,name,email,phone,city,score,tags\n")
        for n in range(1, rows + 1):
            ext, name, email, phone, city, score, a, b = row(n)
            f.write(f"{ext},{name},{email},{phone},{city},{score},{tags[a][0]};{tags[b][0]}\n")
else:  # "copy": COPY text files for customer and customer_tag
    by, out = sys.argv[5], sys.argv[6]
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    ms = int(time.time() * 1000)
    with open(out + "/customer.copy", "w") as c, open(out + "/customer_tag.copy", "w") as t:
        for n in range(1, rows + 1):
            ext, name, email, phone, city, score, a, b = row(n)
            h = f"{ms:012x}7000{(0x8000000000000000 | n):016x}"  # time-ordered, like the service's UUIDv7
            cid = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
            city_json = city.replace("\\", "\\\\")
            c.write(f'{cid}\t{ext}\tINDIVIDUAL\t{name}\t{email}\t{phone}\t{{"city": "{city_json}", "score": {score}}}\t{now}\t{now}\n')
            t.write(f"{cid}\t{tags[a][1]}\tIMPORT\t{by}\t{now}\n")
            t.write(f"{cid}\t{tags[b][1]}\tIMPORT\t{by}\t{now}\n")
PY

IMPORT_DEF='{"format": "CSV", "matchKey": "EXTERNAL_ID", "mode": "UPSERT", "columns": {"id": "externalId",
 "name": "name", "email": "email", "phone": "phone", "city": "attributes.city", "score": "attributes.score",
 "tags": "tags"}, "webhooks": false}'
IMPORT_JOB=""
import_field() { sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[0-9][0-9]*\|null\).*/\1/p" "$WORK/job.json" | tr -d '"'; }
poll_import() { # polls $IMPORT_JOB once a second into $WORK/job.json until it finishes; dies when it stops moving
    local last="" same=0 status now
    while :; do
        "${CURL[@]}" -fsS -m 30 -o "$WORK/job.json" "$BASE/api/v1/imports/$IMPORT_JOB" || die "cannot read the import"
        status="$(import_field status)"
        case "$status" in
            SUCCEEDED) return 0 ;;
            FAILED | CANCELLED) cat "$WORK/job.json" >&2; echo >&2; die "the import ended $status" ;;
        esac
        now="$status $(import_field read)"
        if [[ "$now" == "$last" ]]; then same=$((same + 1)); else same=0; last="$now"; fi
        ((same < 300)) || { cat "$WORK/job.json" >&2; die "the import has not moved for 300 s"; }
        pid_alive "$SVC_PID" || die "the service died during the import"
        sleep 1
    done
}
start_import() { # -> IMPORT_JOB
    IMPORT_JOB="$(post_json /api/v1/imports "$IMPORT_DEF" | json_field id)" || die "cannot define the import"
}
upload() { # file -> HTTP status of PUT .../file (the response in $WORK/put.json)
    "${CURL[@]}" -sS -o "$WORK/put.json" -w '%{http_code}' -H 'Content-Type: text/csv' -H 'Expect:' -T "$1" \
        "$BASE/api/v1/imports/$IMPORT_JOB/file"
}

# ---------------------------------------------------------------------------------------------- 0. warm-up
log "warm-up: importing $WARM_ROWS other rows (not measured)"
python3 "$WORK/gen.py" csv warm "$WARM_ROWS" "$WORK/tags.tsv" "$FILES/warm.csv"
s="$(date +%s%N)"
start_import
code="$(upload "$FILES/warm.csv")"
[[ "$code" == 202 ]] || { cat "$WORK/put.json" >&2; echo >&2; die "the warm-up upload answered $code"; }
poll_import
WARM_S="$(secs_between "$s" "$(date +%s%N)")"
[[ "$(import_field created)" == "$WARM_ROWS" ]] || { cat "$WORK/job.json" >&2; echo >&2; die "the warm-up created $(import_field created) of $WARM_ROWS"; }
ASSIGNED_BY="$("${PSQL[@]}" -c "SELECT assigned_by FROM customer_tag WHERE source = 'IMPORT' LIMIT 1")"
[[ -n "$ASSIGNED_BY" && "$ASSIGNED_BY" != *[$'\t\\\n']* ]] || die "unexpected assigned_by of the warm-up: '$ASSIGNED_BY'"
log "warm-up: $WARM_ROWS rows in ${WARM_S} s (tags assigned by '$ASSIGNED_BY')"

# ---------------------------------------------------------------------------------------------- 1. files
log "generating $ROWS customers: the import's CSV and the COPY files of the same rows, in $FILES"
s="$(date +%s%N)"
python3 "$WORK/gen.py" csv bench "$ROWS" "$WORK/tags.tsv" "$FILES/customers.csv" &
gen_csv=$!
python3 "$WORK/gen.py" copy bench "$ROWS" "$WORK/tags.tsv" "$ASSIGNED_BY" "$FILES" &
gen_copy=$!
wait "$gen_csv" || die "generating the CSV failed"
wait "$gen_copy" || die "generating the COPY files failed"
GEN_S="$(secs_between "$s" "$(date +%s%N)")"
CSV_MIB="$(du -m "$FILES/customers.csv" | cut -f1)"
log "generated in ${GEN_S} s (CSV ${CSV_MIB} MiB)"

# ---------------------------------------------------------------------------------------------- 2. COPY
log "reference: \\copy of $ROWS customers and $((2 * ROWS)) tag assignments"
empty_customers
cpu_mark
run_client "$WORK/copy.txt" psql -X -q -v ON_ERROR_STOP=1 \
    -c "\\copy customer (id, external_id, type, name, email, phone, attributes, created_at, updated_at) FROM '$FILES/customer.copy'" \
    -c "\\copy customer_tag (customer_id, tag_id, source, assigned_by, assigned_at) FROM '$FILES/customer_tag.copy'" \
    || { cat "$WORK/copy.txt" >&2; die "COPY failed"; }
COPY_END_NS="$(date +%s%N)"
read -r COPY_BUSY COPY_SVC COPY_PG COPY_CLIENT COPY_OTHER _ COPY_STEAL _ <<<"$(cpu_report "$(client_cores "$WORK/copy.txt")")"
COPY_S="$(cat "$WORK/copy.txt.secs")"
[[ "$("${PSQL[@]}" -c "SELECT count(*) FROM customer")" == "$ROWS" ]] || die "COPY stored the wrong number of customers"
[[ "$("${PSQL[@]}" -c "SELECT count(*) FROM customer_tag")" == "$((2 * ROWS))" ]] || die "COPY stored the wrong number of tags"
COPY_RATE="$(per_s "$ROWS" "$COPY_S")"
log "COPY: ${COPY_S} s, $COPY_RATE rows/s"
settled
COPY_SETTLE_S="$(calc %.1f "$(secs_between "$COPY_END_NS" "$(date +%s%N)")")"
log "segments settled ${COPY_SETTLE_S} s after the COPY finished"

# ---------------------------------------------------------------------------------------------- 3. import
log "import: $ROWS rows through POST /api/v1/imports + PUT .../file"
empty_customers
rss_sampler() { # "ns-since-epoch MiB" every second, until this script or the service is gone
    while kill -0 $$ 2>/dev/null && pid_alive "$SVC_PID"; do
        printf '%s %s\n' "$(date +%s%N)" "$(rss_mib)"
        sleep 1
    done
}
# RSS also counts the heap the collector sized for the allocation rate; what the service keeps is the old generation
# (objects that survived collections): jstat -gc once a second, one attached process per phase
HEAP_PID=""
heap_sampler_start() { jstat -gc "$SVC_PID" 1000 >"$1" 2>/dev/null & HEAP_PID=$!; }
heap_sampler_stop() { kill "$HEAP_PID" 2>/dev/null || true; wait "$HEAP_PID" 2>/dev/null || true; }
old_gen_mib() { # jstat -gc output -> "start peak end" of the old generation in use, MiB
    awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "OU") c = i; next }
        c && $c ~ /^[0-9.]+$/ { v = $c / 1024; if (!n++) s = v; if (v > p) p = v; e = v }
        END { printf "%.0f %.0f %.0f\n", s, p, e }' "$1"
}
start_import
RSS_START="$(rss_mib)"
rss_sampler >"$WORK/rss" &
SAMPLER_PID=$!
heap_sampler_start "$WORK/import-heap"
cpu_mark
PUT_NS="$(date +%s%N)"
code="$(upload "$FILES/customers.csv")"
PUT_DONE_NS="$(date +%s%N)"
[[ "$code" == 202 ]] || { cat "$WORK/put.json" >&2; echo >&2; die "the upload answered $code"; }
poll_import
DONE_NS="$(date +%s%N)"
RSS_END="$(rss_mib)"
read -r IMP_BUSY IMP_SVC IMP_PG _ IMP_OTHER IMP_JIT IMP_STEAL IMP_REDIS <<<"$(cpu_report 0)"
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
heap_sampler_stop
read -r OLD_START OLD_PEAK OLD_END <<<"$(old_gen_mib "$WORK/import-heap")"
cp "$WORK/import-heap" "$OUT_DIR/import-export-jstat.txt"
cp "$WORK/job.json" "$OUT_DIR/import-export-job.json"

CREATED="$(import_field created)"; UPDATED="$(import_field updated)"; UNCHANGED="$(import_field unchanged)"
FAILED="$(import_field failed)"; READ="$(import_field read)"; TOTAL="$(import_field total)"
UPLOADED_NS="$(iso_ns "$(import_field uploadedAt)")"
STARTED_NS="$(iso_ns "$(import_field startedAt)")"
FINISHED_NS="$(iso_ns "$(import_field finishedAt)")"
UPLOAD_S="$(secs_between "$PUT_NS" "$PUT_DONE_NS")"
QUEUE_S="$(secs_between "$UPLOADED_NS" "$STARTED_NS")"
APPLY_S="$(secs_between "$STARTED_NS" "$FINISHED_NS")"
TOTAL_S="$(secs_between "$PUT_NS" "$FINISHED_NS")"
IMPORT_RATE="$(per_s "$ROWS" "$TOTAL_S")"; APPLY_RATE="$(per_s "$ROWS" "$APPLY_S")"
RATIO="$(ratio "$IMPORT_RATE" "$COPY_RATE")"; APPLY_RATIO="$(ratio "$APPLY_RATE" "$COPY_RATE")"

# RSS: the samples with the synchronous reads at start and end; peaks while uploading and while applying
{ echo "$PUT_NS $RSS_START"; cat "$WORK/rss"; echo "$DONE_NS $RSS_END"; } | sort -n >"$WORK/rss.all"
read -r RSS_PEAK RSS_PEAK_UPLOAD RSS_PEAK_APPLY < <(awk -v up="$PUT_DONE_NS" -v st="$STARTED_NS" '
    { if ($2 > p) p = $2; if ($1 <= up && $2 > u) u = $2; if ($1 >= st && $2 > a) a = $2 }
    END { print p + 0, u + 0, a + 0 }' "$WORK/rss.all")
awk -v t0="$PUT_NS" 'BEGIN { print "seconds\trss_mib" } { printf "%.1f\t%s\n", ($1 - t0) / 1e9, $2 }' "$WORK/rss.all" >"$RSS_OUT"

# the rows are all there, as the COPY wrote them
STORED="$("${PSQL[@]}" -c "SELECT count(*) FROM customer")"
TAGGED="$("${PSQL[@]}" -c "SELECT count(*) FROM customer_tag")"
SAME="$("${PSQL[@]}" -c "SELECT count(*) FROM customer WHERE type = 'INDIVIDUAL' AND email IS NOT NULL AND phone IS NOT NULL
    AND jsonb_typeof(attributes -> 'score') = 'number' AND attributes ? 'city'")"
# a created customer is written once: version 0, as COPY writes it (a higher one means it was updated too)
REWRITTEN="$("${PSQL[@]}" -c "SELECT count(*) FROM customer WHERE version > 0")"
AUDIT="$("${PSQL[@]}" -c "SELECT count(*) FROM audit_log" 2>/dev/null)" || AUDIT=null
if [[ "$FAILED" != 0 ]]; then
    "${CURL[@]}" -fsS "$BASE/api/v1/imports/$IMPORT_JOB/errors" | head -n 21 >"$OUT_DIR/import-export-errors.csv" || true
    log "WARNING: $FAILED rows failed; the first reasons are in $OUT_DIR/import-export-errors.csv:"
    head -n 6 "$OUT_DIR/import-export-errors.csv" >&2
fi
[[ "$STORED" == "$ROWS" && "$TAGGED" == "$((2 * ROWS))" ]] \
    || log "WARNING: the import stored $STORED customers and $TAGGED tag assignments, not $ROWS and $((2 * ROWS))"
[[ "$REWRITTEN" == 0 ]] || log "WARNING: $REWRITTEN created customers have a version above 0: they were written again after their INSERT"
[[ "$SAME" == "$ROWS" ]] || log "WARNING: only $SAME imported customers have the COPY's fields (score a number, city, email, phone)"
log "import: ${TOTAL_S} s (upload ${UPLOAD_S} s, queued ${QUEUE_S} s, apply ${APPLY_S} s), $IMPORT_RATE rows/s"

log "waiting for the segment upkeep to catch up with the import (not part of its time)"
settled
SETTLE_S="$(calc %.1f "$(secs_between "$FINISHED_NS" "$(date +%s%N)")")"
# both again, until the segment upkeep has caught up with what they wrote (the import's runs during its apply)
COPY_SETTLED_S="$(calc %.3f "$COPY_S + $COPY_SETTLE_S")"; IMPORT_SETTLED_S="$(calc %.3f "$TOTAL_S + $SETTLE_S")"
SETTLED_RATIO="$(ratio "$COPY_SETTLED_S" "$IMPORT_SETTLED_S")"
log "segments settled ${SETTLE_S} s after the import finished"

# ---------------------------------------------------------------------------------------------- 4. export
# Issue 15's export measure: the same $ROWS customers the import just wrote (all of them), with the same columns,
# through the export API (POST the job, poll it, download its file) and through PostgreSQL's COPY (SELECT ...) TO.
# Both start from the same table: vacuumed, checkpointed, segment upkeep idle; a smaller export first (not measured),
# so the JIT has seen the export's code. Export time = job (POST → finishedAt) + download (GET .../file to its last
# byte); the poll's latency between the two is left out (and reported). Ratio = export rows/s ÷ COPY TO rows/s.
EXPORT_JSON=null
EXPORT_LINE="export: not yet available"
EXPORT_TARGET=0.5
EXPORT_FIELDS='"id", "externalId", "name", "email", "phone", "attributes.city", "attributes.score"'
EXPORT_RSS_OUT="$OUT_DIR/import-export-export-rss.tsv"
export_reference() { # file -> seconds of psql's \copy (SELECT ...) TO of the imported customers with their tag keys
    # the export's columns, header and tags: live assignments, keys in order, joined by ';'
    run_client "$WORK/copy-out.txt" psql -X -q -v ON_ERROR_STOP=1 -c "\\copy (SELECT c.id AS id, c.external_id AS \"externalId\",
        c.name AS name, c.email AS email, c.phone AS phone, c.attributes ->> 'city' AS \"attributes.city\",
        c.attributes ->> 'score' AS \"attributes.score\", (SELECT string_agg(t.key, ';' ORDER BY t.key)
        FROM customer_tag a JOIN tag t ON t.id = a.tag_id WHERE a.customer_id = c.id
        AND (a.expires_at IS NULL OR a.expires_at > now())) AS tags FROM customer c ORDER BY c.id)
        TO '$1' WITH (FORMAT csv, HEADER)" || { cat "$WORK/copy-out.txt" >&2; die "COPY TO failed"; }
    cat "$WORK/copy-out.txt.secs"
}
export_field() { sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[0-9][0-9]*\|true\|false\|null\).*/\1/p" "$WORK/export.json" | tr -d '"'; }
EXPORT_ID=""
start_export() { # filter (JSON) -> EXPORT_CODE (HTTP status of POST /api/v1/exports), EXPORT_ID, EXPORT_POST_NS
    EXPORT_ID=""
    EXPORT_POST_NS="$(date +%s%N)"
    EXPORT_CODE="$("${CURL[@]}" -sS -o "$WORK/export.json" -w '%{http_code}' -m 60 -H 'Content-Type: application/json' \
        -X POST -d "{\"format\": \"CSV\", \"filter\": $1, \"fields\": [$EXPORT_FIELDS], \"tags\": true}" \
        "$BASE/api/v1/exports")" || die "cannot reach POST /api/v1/exports"
    if [[ "$EXPORT_CODE" == 202 ]]; then
        EXPORT_ID="$(json_field id <"$WORK/export.json")"
        [[ -n "$EXPORT_ID" ]] || die "POST /api/v1/exports answered 202 without an id"
    fi
}
poll_export() { # polls $EXPORT_ID every 0.2 s into $WORK/export.json until it SUCCEEDED; dies when it stops moving
    local last="" since status now
    since="$(date +%s)"
    while :; do
        "${CURL[@]}" -fsS -m 30 -o "$WORK/export.json" "$BASE/api/v1/exports/$EXPORT_ID" || die "cannot read the export"
        status="$(export_field status)"
        case "$status" in
            SUCCEEDED) return 0 ;;
            FAILED | CANCELLED | EXPIRED) cat "$WORK/export.json" >&2; echo >&2; die "the export ended $status" ;;
        esac
        now="$status $(export_field rows)"
        if [[ "$now" != "$last" ]]; then last="$now"; since="$(date +%s)"; fi
        (($(date +%s) - since < 300)) || { cat "$WORK/export.json" >&2; die "the export has not moved for 300 s"; }
        pid_alive "$SVC_PID" || die "the service died during the export"
        sleep 0.2
    done
}
download_export() { # file -> EXPORT_CODE (HTTP status of GET .../file, the body in the file), EXPORT_GET_NS, EXPORT_DONE_NS
    EXPORT_GET_NS="$(date +%s%N)"
    EXPORT_CODE="$("${CURL[@]}" -sS -o "$1" -w '%{http_code}' "$BASE/api/v1/exports/$EXPORT_ID/file")" || EXPORT_CODE=000
    EXPORT_DONE_NS="$(date +%s%N)"
}
export_phase() { # -> EXPORT_JSON, EXPORT_LINE
    local warm_rows warm_s copy_s copy_rate masked rows bytes created_ns started_ns finished_ns job_s queued_s \
        write_s write_rate write_ratio download_s gap_s export_s export_rate export_ratio meets file_bytes lines lines_ok same \
        rss_start rss_end rss_peak rss_peak_job rss_peak_download sampler at c_busy c_svc c_pg c_cl \
        c_other c_steal e_busy e_svc e_pg e_other e_jit e_steal e_redis

    log "export: vacuuming customer and customer_tag and waiting for the segment upkeep"
    settled
    "${PSQL[@]}" -c "VACUUM ANALYZE customer" -c "VACUUM ANALYZE customer_tag" -c "CHECKPOINT"

    # warm-up (not measured): the customers tagged bench-t01, about a tenth
    start_export '{"tagsAny": ["bench-t01"]}'
    if [[ "$EXPORT_CODE" == 404 ]]; then
        log "export: not yet available (POST /api/v1/exports answers 404)"
        return 0
    fi
    [[ "$EXPORT_CODE" == 202 ]] || { cat "$WORK/export.json" >&2; echo >&2; die "POST /api/v1/exports answered $EXPORT_CODE"; }
    log "export warm-up: the customers tagged bench-t01 (not measured)"
    poll_export
    download_export "$FILES/export-warm.csv"
    [[ "$EXPORT_CODE" == 200 ]] || { head -c 2000 "$FILES/export-warm.csv" >&2; echo >&2; die "the warm-up's file answered $EXPORT_CODE"; }
    warm_rows="$(export_field rows)"
    warm_s="$(secs_between "$EXPORT_POST_NS" "$EXPORT_DONE_NS")"
    [[ "$(wc -l <"$FILES/export-warm.csv")" == "$((warm_rows + 1))" ]] \
        || log "WARNING: the warm-up's file has $(wc -l <"$FILES/export-warm.csv") lines for $warm_rows rows"
    log "export warm-up: $warm_rows rows in ${warm_s} s"

    # reference: COPY (SELECT ...) TO of the same rows and columns
    log "export reference: \\copy (SELECT ...) TO of $ROWS customers with their tags"
    "${PSQL[@]}" -c "CHECKPOINT"
    cpu_mark
    copy_s="$(export_reference "$FILES/export-reference.csv")"
    read -r c_busy c_svc c_pg c_cl c_other _ c_steal _ <<<"$(cpu_report "$(client_cores "$WORK/copy-out.txt")")"
    copy_rate="$(per_s "$ROWS" "$copy_s")"
    [[ "$(wc -l <"$FILES/export-reference.csv")" == "$((ROWS + 1))" ]] \
        || die "COPY TO wrote $(wc -l <"$FILES/export-reference.csv") lines, not $((ROWS + 1))"
    log "COPY TO: ${copy_s} s, $copy_rate rows/s"

    # the export of every customer, RSS sampled every second as during the import
    log "export: $ROWS customers through POST /api/v1/exports + GET .../file"
    "${PSQL[@]}" -c "CHECKPOINT"
    rss_start="$(rss_mib)"
    rss_sampler >"$WORK/export-rss" &
    sampler=$!
    heap_sampler_start "$WORK/export-heap"
    cpu_mark
    start_export '{}'
    [[ "$EXPORT_CODE" == 202 ]] || { cat "$WORK/export.json" >&2; echo >&2; die "POST /api/v1/exports answered $EXPORT_CODE"; }
    poll_export
    download_export "$FILES/export.csv"
    read -r e_busy e_svc e_pg _ e_other e_jit e_steal e_redis <<<"$(cpu_report 0)"
    rss_end="$(rss_mib)"
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    heap_sampler_stop
    read -r old_start old_peak old_end <<<"$(old_gen_mib "$WORK/export-heap")"
    cp "$WORK/export-heap" "$OUT_DIR/import-export-export-jstat.txt"
    [[ "$EXPORT_CODE" == 200 ]] || { head -c 2000 "$FILES/export.csv" >&2; echo >&2; die "the export's file answered $EXPORT_CODE"; }
    cp "$WORK/export.json" "$OUT_DIR/import-export-export-job.json"

    masked="$(export_field masked)"; rows="$(export_field rows)"; bytes="$(export_field bytes)"
    created_ns="$(iso_ns "$(export_field createdAt)")"
    started_ns="$(iso_ns "$(export_field startedAt)")"
    finished_ns="$(iso_ns "$(export_field finishedAt)")"
    job_s="$(secs_between "$EXPORT_POST_NS" "$finished_ns")"
    queued_s="$(secs_between "$created_ns" "$started_ns")"
    write_s="$(secs_between "$started_ns" "$finished_ns")"
    download_s="$(secs_between "$EXPORT_GET_NS" "$EXPORT_DONE_NS")"
    gap_s="$(secs_between "$finished_ns" "$EXPORT_GET_NS")"
    export_s="$(calc %.3f "$job_s + $download_s")"
    export_rate="$(per_s "$ROWS" "$export_s")"; write_rate="$(per_s "$ROWS" "$write_s")"
    export_ratio="$(ratio "$export_rate" "$copy_rate")"; write_ratio="$(ratio "$write_rate" "$copy_rate")"
    meets="$(meets "$export_ratio" "$EXPORT_TARGET")"

    # RSS: the samples with the synchronous reads at start and end; peaks while the job ran and while downloading
    { echo "$EXPORT_POST_NS $rss_start"; cat "$WORK/export-rss"; echo "$EXPORT_DONE_NS $rss_end"; } | sort -n >"$WORK/export-rss.all"
    read -r rss_peak rss_peak_job rss_peak_download < <(awk -v fin="$finished_ns" -v get="$EXPORT_GET_NS" '
        { if ($2 > p) p = $2; if ($1 <= fin && $2 > j) j = $2; if ($1 >= get && $2 > d) d = $2 }
        END { print p + 0, j + 0, d + 0 }' "$WORK/export-rss.all")
    awk -v t0="$EXPORT_POST_NS" 'BEGIN { print "seconds\trss_mib" } { printf "%.1f\t%s\n", ($1 - t0) / 1e9, $2 }' \
        "$WORK/export-rss.all" >"$EXPORT_RSS_OUT"

    # the file: a header and a line per customer, and the very lines COPY TO wrote
    file_bytes="$(stat -c %s "$FILES/export.csv")"
    lines="$(wc -l <"$FILES/export.csv")"
    lines_ok="$([[ "$lines" == "$((ROWS + 1))" ]] && echo true || echo false)"
    [[ "$lines_ok" == true ]] || log "WARNING: the export's file has $lines lines, not $((ROWS + 1))"
    [[ "$rows" == "$ROWS" ]] || log "WARNING: the export wrote $rows rows, not $ROWS"
    [[ "$masked" == false ]] || log "WARNING: the export masked email and phone"
    if cmp -s "$FILES/export.csv" "$FILES/export-reference.csv"; then
        same=true
    else
        same=false
        at="$(cmp "$FILES/export-reference.csv" "$FILES/export.csv" 2>&1 | sed -n 's/.*line \([0-9]*\).*/\1/p')" || true
        log "WARNING: the export's file differs from COPY TO's${at:+ from line $at}: (COPY TO, then the export)"
        if [[ -n "$at" ]]; then sed -n "${at}p" "$FILES/export-reference.csv"; sed -n "${at}p" "$FILES/export.csv"; fi \
            | cut -c1-300 >&2
    fi
    log "export: ${export_s} s (job ${job_s} s: queued ${queued_s} s, write ${write_s} s; download ${download_s} s), $export_rate rows/s"

    EXPORT_LINE="export: $ROWS customers (7 fields + tags; CSV $(calc %.1f "$file_bytes / 1048576") MiB), every customer, after the import
    COPY (SELECT ...) TO              ${copy_s} s   $copy_rate rows/s
    export, POST → file downloaded    ${export_s} s   $export_rate rows/s   ratio $export_ratio (target ≥ $EXPORT_TARGET: $(verdict "$meets"))
      job (POST → SUCCEEDED)          ${job_s} s   (queued ${queued_s} s; write ${write_s} s: $write_rate rows/s, ratio $write_ratio)
      download (GET .../file)         ${download_s} s   (poll latency before it, not counted: ${gap_s} s)
    file: $lines lines (N+1: $lines_ok), job rows $rows, $file_bytes bytes; the same bytes as COPY TO's: $same
    service RSS during the export: start $rss_start MiB, peak $rss_peak MiB (job $rss_peak_job, download $rss_peak_download), end $rss_end MiB
    heap's old generation in use during the export: start $old_start MiB, peak $old_peak MiB, end $old_end MiB
    CPU cores, COPY TO: machine ${c_busy}% busy (steal ${c_steal}%), PostgreSQL $c_pg, service $c_svc, psql $c_cl, other $c_other
    CPU cores, export:  machine ${e_busy}% busy (steal ${e_steal}%), PostgreSQL $e_pg, service $e_svc (JIT $e_jit), Redis $e_redis, other $e_other
    warm-up export (tagged bench-t01): $warm_rows rows in ${warm_s} s"
    EXPORT_JSON="{\"measured\": true, \"rows\": $rows, \"fields\": [$EXPORT_FIELDS], \"tags\": true,
   \"copy_s\": $copy_s, \"copy_rows_per_s\": $copy_rate,
   \"export_s\": $export_s, \"export_rows_per_s\": $export_rate, \"ratio\": $export_ratio, \"target\": $EXPORT_TARGET, \"meets_target\": $meets,
   \"job_s\": $job_s, \"queued_s\": $queued_s, \"write_s\": $write_s, \"write_rows_per_s\": $write_rate, \"write_ratio\": $write_ratio,
   \"download_s\": $download_s, \"poll_latency_s\": $gap_s,
   \"file_bytes\": $file_bytes, \"job_bytes\": $bytes, \"file_lines\": $lines, \"lines_ok\": $lines_ok, \"same_as_copy\": $same, \"masked\": $masked,
   \"rss_start_mib\": $rss_start, \"rss_peak_mib\": $rss_peak, \"rss_peak_job_mib\": $rss_peak_job,
   \"rss_peak_download_mib\": $rss_peak_download, \"rss_end_mib\": $rss_end,
   \"old_gen_start_mib\": $old_start, \"old_gen_peak_mib\": $old_peak, \"old_gen_end_mib\": $old_end,
   \"cpu_cores\": {\"copy\": {\"machine_busy_pct\": $c_busy, \"steal_pct\": $c_steal, \"postgres\": $c_pg, \"service\": $c_svc, \"client\": $c_cl, \"other\": $c_other},
     \"export\": {\"machine_busy_pct\": $e_busy, \"steal_pct\": $e_steal, \"postgres\": $e_pg, \"service\": $e_svc, \"service_jit\": $e_jit, \"redis\": $e_redis, \"other\": $e_other}},
   \"warmup_rows\": $warm_rows, \"warmup_s\": $warm_s}"
}
export_phase

# ---------------------------------------------------------------------------------------------- report
MEETS="$(meets "$RATIO" "$TARGET")"
{
    echo
    echo "import: $ROWS customers (2 attributes, 2 of $TAGS tags each; CSV ${CSV_MIB} MiB), $(git_rev)"
    echo "  COPY (customer + customer_tag)  ${COPY_S} s   $COPY_RATE rows/s"
    echo "  import, upload + apply          ${TOTAL_S} s   $IMPORT_RATE rows/s   ratio $RATIO (target ≥ $TARGET: $(verdict "$MEETS"))"
    echo "    upload (PUT until 202)        ${UPLOAD_S} s"
    echo "    queued (uploaded → started)   ${QUEUE_S} s"
    echo "    apply (started → finished)    ${APPLY_S} s   $APPLY_RATE rows/s   ratio $APPLY_RATIO"
    echo "  rows: read $READ of $TOTAL, created $CREATED, updated $UPDATED, unchanged $UNCHANGED, failed $FAILED; stored $STORED customers, $TAGGED tags"
    echo "    written again after their INSERT (version > 0): $REWRITTEN; audit_log rows: $AUDIT (warm-up included)"
    echo "  service RSS during the import: start $RSS_START MiB, peak $RSS_PEAK MiB (upload $RSS_PEAK_UPLOAD, apply $RSS_PEAK_APPLY), end $RSS_END MiB"
    echo "  heap's old generation in use during the import: start $OLD_START MiB, peak $OLD_PEAK MiB, end $OLD_END MiB"
    echo "  CPU cores, COPY:   machine ${COPY_BUSY}% busy (steal ${COPY_STEAL}%), PostgreSQL $COPY_PG, service $COPY_SVC, psql $COPY_CLIENT, other $COPY_OTHER"
    echo "  CPU cores, import: machine ${IMP_BUSY}% busy (steal ${IMP_STEAL}%), PostgreSQL $IMP_PG, service $IMP_SVC (JIT $IMP_JIT), Redis $IMP_REDIS, other $IMP_OTHER"
    echo "  until the segment upkeep settled: COPY ${COPY_SETTLED_S} s (+${COPY_SETTLE_S}), import ${IMPORT_SETTLED_S} s (+${SETTLE_S}), ratio $SETTLED_RATIO"
    echo "  warm-up import of $WARM_ROWS rows: ${WARM_S} s; machine ${BACKGROUND_BUSY}% busy before the benchmark"
    echo "  $EXPORT_LINE"
} >&2
cat >"$JSON_OUT" <<JSON
{"benchmark": "import-export", "commit": "$(git_rev)", "rows": $ROWS, "tags": $TAGS, "csv_mib": $CSV_MIB,
 "copy_s": $COPY_S, "copy_rows_per_s": $COPY_RATE,
 "import_s": $TOTAL_S, "import_rows_per_s": $IMPORT_RATE, "ratio": $RATIO, "target": $TARGET, "meets_target": $MEETS,
 "upload_s": $UPLOAD_S, "queued_s": $QUEUE_S, "apply_s": $APPLY_S, "apply_rows_per_s": $APPLY_RATE, "apply_ratio": $APPLY_RATIO,
 "read": $READ, "created": $CREATED, "updated": $UPDATED, "unchanged": $UNCHANGED, "failed": $FAILED,
 "stored_customers": $STORED, "stored_tags": $TAGGED, "rewritten": $REWRITTEN, "audit_rows": $AUDIT,
 "rss_start_mib": $RSS_START, "rss_peak_mib": $RSS_PEAK, "rss_peak_upload_mib": $RSS_PEAK_UPLOAD,
 "rss_peak_apply_mib": $RSS_PEAK_APPLY, "rss_end_mib": $RSS_END,
 "old_gen_start_mib": $OLD_START, "old_gen_peak_mib": $OLD_PEAK, "old_gen_end_mib": $OLD_END,
 "cpu_cores": {"copy": {"machine_busy_pct": $COPY_BUSY, "steal_pct": $COPY_STEAL, "postgres": $COPY_PG, "service": $COPY_SVC, "client": $COPY_CLIENT, "other": $COPY_OTHER},
   "import": {"machine_busy_pct": $IMP_BUSY, "steal_pct": $IMP_STEAL, "postgres": $IMP_PG, "service": $IMP_SVC, "service_jit": $IMP_JIT, "redis": $IMP_REDIS, "other": $IMP_OTHER}},
 "warmup_rows": $WARM_ROWS, "warmup_s": $WARM_S, "generator_s": $GEN_S,
 "segments_settled_after_copy_s": $COPY_SETTLE_S, "segments_settled_after_import_s": $SETTLE_S,
 "copy_until_settled_s": $COPY_SETTLED_S, "import_until_settled_s": $IMPORT_SETTLED_S, "ratio_until_settled": $SETTLED_RATIO, "background_busy_pct": $BACKGROUND_BUSY,
 "export": $EXPORT_JSON}
JSON
log "wrote $JSON_OUT and $RSS_OUT"
rm -rf "$FILES"
