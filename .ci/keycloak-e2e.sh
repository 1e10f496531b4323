#!/usr/bin/env bash
# End-to-end check of authentication against a real Keycloak: downloads Keycloak (Maven Central), starts it in
# dev mode with docker/keycloak/crm-realm.json imported into a fresh database, starts the packaged service with
# CRM_OIDC_URL pointing at it, fetches tokens for the demo users (password grant through crm-spa) and the partner
# client (client credentials through crm-partner), and checks the role matrix over REST and GraphQL, plus
# anonymous, tampered and wrong-audience requests.
set -euo pipefail
cd "$(dirname "$0")/.."

KC_VERSION=26.7.3
KC_PORT=${KC_PORT:-18180}
PORT=${E2E_PORT:-18091}
KC_DIR=target/keycloak
KC_HOME=$KC_DIR/keycloak-$KC_VERSION
LOGS=target/keycloak-e2e # logs are kept for a look after a failure
JAR=target/quarkus-app/quarkus-run.jar
REALM_URL="http://127.0.0.1:$KC_PORT/realms/crm"
TOKEN_URL="$REALM_URL/protocol/openid-connect/token"
BASE="http://127.0.0.1:$PORT"
# Body of POST /api/v1/api-keys for the role matrix; {who} is replaced by the caller's name.
API_KEY_BODY=${API_KEY_BODY:-'{"name": "keycloak-e2e {who}", "roles": ["crm-partner"]}'}

DATA=$(mktemp -d)
TMP=$(mktemp -d)
KC_PID=
PID=
. .ci/lib.sh
# With an issuer configured the service makes no bootstrap key of its own; scripts name one explicitly.
KEY=$(random_api_key)
mkdir -p "$LOGS"
KC_LOG="$LOGS/keycloak.log"
LOG="$LOGS/service.log"
: >"$KC_LOG"
: >"$LOG"

stop_pid() { # stop_pid <pid>: SIGTERM, up to 60 s for it to end, then SIGKILL
  local pid=$1
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

stop_pidfile() { # the service stops its embedded servers on SIGTERM; this only catches what a failed run left
  local pid
  [ -f "$1" ] || return 0
  pid=$(head -1 "$1" | tr -dc 0-9)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
}

cleanup() {
  set +e
  [ -n "$PID" ] && stop_pid "$PID"
  stop_pidfile "$DATA/postgres/postmaster.pid"
  stop_pidfile "$DATA/redis/redis.pid"
  [ -n "$KC_PID" ] && stop_pid "$KC_PID"
  rm -rf "$DATA" "$TMP"
}
trap cleanup EXIT
trap 'exit 143' TERM INT


# --- Keycloak -------------------------------------------------------------------------------------------------

find_jdk21() { # the newest JDK >= 21 in the directory that holds the default java's JDK (e.g. /usr/lib/jvm)
  local jvm_dir d v best='' best_v=0
  jvm_dir=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for d in "$jvm_dir"/*/; do
    d=${d%/}
    [ -f "$d/release" ] && [ -x "$d/bin/java" ] || continue
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$d/release")
    [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ] && { best=$d; best_v=$v; }
  done
  [ -n "$best" ] || return 1
  echo "$best"
}

install_keycloak() {
  [ -f "$KC_HOME/bin/kc.sh" ] && return 0
  mkdir -p "$KC_DIR"
  ./mvnw -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -DoutputDirectory="$KC_DIR"
  rm -rf "$KC_HOME"
  if command -v unzip >/dev/null; then
    unzip -q -o "$KC_DIR/keycloak-quarkus-dist-$KC_VERSION.zip" -d "$KC_DIR"
  else
    python3 -m zipfile -e "$KC_DIR/keycloak-quarkus-dist-$KC_VERSION.zip" "$KC_DIR"
    chmod +x "$KC_HOME"/bin/*.sh
  fi
  rm -f "$KC_DIR/keycloak-quarkus-dist-$KC_VERSION.zip"
  [ -f "$KC_HOME/bin/kc.sh" ]
}

start_keycloak() {
  local jdk started=$SECONDS
  if ! jdk=$(find_jdk21); then
    echo "keycloak-e2e: Keycloak $KC_VERSION needs a JDK 21 or newer, and none is installed beside $(readlink -f "$(command -v java)")" >&2
    return 1
  fi
  # a fresh H2 database each run, so the realm is always imported from the file as it is now
  rm -rf "$KC_HOME/data"
  mkdir -p "$KC_HOME/data/import"
  cp docker/keycloak/crm-realm.json "$KC_HOME/data/import/crm-realm.json"
  JAVA_HOME="$jdk" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    bash "$KC_HOME/bin/kc.sh" start-dev --http-port "$KC_PORT" --import-realm </dev/null >>"$KC_LOG" 2>&1 &
  KC_PID=$!
  # the first start also builds Keycloak: 45-70 s here, more on a busy machine
  wait_ready "$REALM_URL/.well-known/openid-configuration" "$KC_PID" "$KC_LOG" 300 || return 1
  echo "     Keycloak $KC_VERSION ($jdk) ready in $((SECONDS - started)) s"
}

# --- the service ----------------------------------------------------------------------------------------------

start_service() {
  CRM_DATA_DIR="$DATA" QUARKUS_HTTP_PORT="$PORT" CRM_OIDC_URL="$REALM_URL" CRM_BOOTSTRAP_API_KEY="$KEY" \
    java -jar "$JAR" </dev/null >>"$LOG" 2>&1 &
  PID=$!
  wait_ready "$BASE/q/health/ready" "$PID" "$LOG" 90
}

# --- tokens ---------------------------------------------------------------------------------------------------

declare -A TOKEN
WHO=(admin marketer sales analyst partner crm-partner) # the five demo users, then the partner client
declare -A ROLE=([admin]=crm-admin [marketer]=crm-marketer [sales]=crm-sales [analyst]=crm-analyst
  [partner]=crm-partner [crm-partner]=crm-partner)
declare -A USERNAME=([admin]=admin [marketer]=marketer [sales]=sales [analyst]=analyst [partner]=partner
  [crm-partner]=service-account-crm-partner)

claims() { # the decoded payload of a JWT, as JSON
  python3 -c '
import base64, json, sys
p = sys.argv[1].split(".")[1]
print(json.dumps(json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))))' "$1"
}

fetch_token() { # fetch_token <who>: password grant through crm-spa, or client credentials for crm-partner
  local who=$1 response
  if [ "$who" = crm-partner ]; then
    response=$(curl -sS --max-time 30 "$TOKEN_URL" -d grant_type=client_credentials \
      -d client_id=crm-partner -d client_secret=crm-partner-secret)
  else
    response=$(curl -sS --max-time 30 "$TOKEN_URL" -d grant_type=password -d client_id=crm-spa \
      -d scope=openid -d "username=$who" -d "password=$who-demo")
  fi
  TOKEN[$who]=$(echo "$response" | json "d.get('access_token', '')" 2>/dev/null || true)
  [ -n "${TOKEN[$who]}" ] || { echo "     token endpoint said: $response"; return 1; }
}

token_claims_ok() { # token_claims_ok <who>: sub, preferred_username, aud with crm-api, the role in realm_access.roles
  local c
  c=$(claims "${TOKEN[$1]:-}" 2>/dev/null) || return 1
  echo "     $1: $(echo "$c" | json "{k: d.get(k) for k in ('iss', 'sub', 'aud', 'azp', 'preferred_username')} | {'roles': d.get('realm_access', {}).get('roles')}")"
  echo "$c" | python3 -c '
import json, sys
d = json.load(sys.stdin)
aud = d.get("aud") if isinstance(d.get("aud"), list) else [d.get("aud")]
ok = (d.get("sub") and d.get("preferred_username") == sys.argv[1] and "crm-api" in aud
      and sys.argv[2] in d.get("realm_access", {}).get("roles", []) and d.get("iss") == sys.argv[3])
sys.exit(0 if ok else 1)' "${USERNAME[$1]}" "${ROLE[$1]}" "$REALM_URL"
}

# --- HTTP helpers ---------------------------------------------------------------------------------------------

call() { # call <token|-> <method> <path> [content-type body]: prints the HTTP status; body and headers in $TMP
  local tok=$1 method=$2 path=$3; shift 3
  local args=(-sS --max-time 30 -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' -X "$method")
  [ "$tok" = - ] || args+=(-H "Authorization: Bearer $tok")
  [ $# -lt 2 ] || args+=(-H "Content-Type: $1" --data-binary "$2")
  : >"$TMP/body"
  : >"$TMP/headers"
  curl "${args[@]}" "$BASE$path" 2>/dev/null || true
}

header() { grep -i "^$1:" "$TMP/headers" | head -1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }

problem() { # problem <slug>: the last response is application/problem+json of that type
  [[ "$(header Content-Type)" == application/problem+json* ]] \
    && [ "$(json "d.get('type')" <"$TMP/body" 2>/dev/null)" = "https://headless-crm.dev/problems/$1" ]
}

expect() { # expect <statuses, e.g. 200|201> <token|-> <method> <path> [content-type body]
  local want=$1 got; shift
  got=$(call "$@")
  case "|$want|" in
    *"|$got|"*) ;;
    *) echo "     got HTTP $got: $(head -c 300 "$TMP/body")"; return 1 ;;
  esac
  case $got in # errors are problem+json; a 401 also says how to authenticate
    401) problem unauthorized && [ -n "$(header WWW-Authenticate)" ] \
      || { echo "     401 without problem+json or WWW-Authenticate: $(header Content-Type) $(head -c 300 "$TMP/body")"; return 1; } ;;
    403) problem forbidden || { echo "     403 is not a forbidden problem: $(head -c 300 "$TMP/body")"; return 1; } ;;
  esac
}

create_as_admin() { # create_as_admin <json>: prints the new customer's id
  [ "$(call "${TOKEN[admin]:--}" POST /api/v1/customers application/json "$1")" = 201 ] || return 0
  json "d['id']" <"$TMP/body" 2>/dev/null || true
}

matrix() { # matrix <label> <admin> <marketer> <sales> <analyst> <partner> <method> <path> [content-type body]
  # every caller in WHO; the partner client expects what the partner user does. In path and body {who} is the
  # caller's name, {patch} and {delete} the customer set aside for that caller's PATCH and DELETE.
  local label=$1 i=0 who p b
  local -a want=("$2" "$3" "$4" "$5" "$6" "$6")
  shift 6
  local method=$1 path=$2; shift 2
  for who in "${WHO[@]}"; do
    p=${path//\{who\}/$who}
    p=${p//\{patch\}/${PATCH_ID[$who]:-missing}}
    p=${p//\{delete\}/${DELETE_ID[$who]:-missing}}
    if [ $# -ge 2 ]; then
      b=${2//\{who\}/$who}
      check "$who: $label -> ${want[$i]}" expect "${want[$i]}" "${TOKEN[$who]:--}" "$method" "$p" "$1" "$b"
    else
      check "$who: $label -> ${want[$i]}" expect "${want[$i]}" "${TOKEN[$who]:--}" "$method" "$p"
    fi
    i=$((i + 1))
  done
}

# --- run ------------------------------------------------------------------------------------------------------

summary() { echo "keycloak-e2e: $passed passed, $failed failed"; [ "$failed" = 0 ]; }
abort_if_failed() { [ "$failed" = 0 ] || { echo "keycloak-e2e: stopping here, nothing after this can pass"; summary; exit 1; }; }

check "Keycloak $KC_VERSION is downloaded and unpacked under $KC_DIR" install_keycloak
abort_if_failed
check "Keycloak starts in dev mode with the crm realm imported" start_keycloak
abort_if_failed

for who in "${WHO[@]}"; do
  check "$who gets an access token" fetch_token "$who"
  check "$who's token carries sub, preferred_username, aud crm-api and ${ROLE[$who]}" token_claims_ok "$who"
done

[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
check "the service starts with CRM_OIDC_URL=$REALM_URL" start_service
abort_if_failed

# Anonymous and bad credentials.
check "readiness is anonymous" expect 200 - GET /q/health/ready
check "anonymous GET /api/v1/customers -> 401 problem+json with WWW-Authenticate" expect 401 - GET /api/v1/customers
check "anonymous GraphQL -> 401" expect 401 - POST /graphql application/json '{"query": "{ customers(first: 1) { totalCount } }"}'
TAMPERED=$(python3 -c '
import sys
h, p, s = sys.argv[1].split(".")
i = len(s) // 2                      # a middle character: the last one may only hold padding bits
s = s[:i] + ("A" if s[i] != "A" else "B") + s[i + 1:]
print(".".join((h, p, s)))' "${TOKEN[admin]:-a.b.cdef}")
check "an admin token with one signature character changed -> 401" expect 401 "$TAMPERED" GET /api/v1/customers
check "a malformed bearer token -> 401" expect 401 not-a-token GET /api/v1/customers
OTHER_AUD=$(curl -sS --max-time 30 "$TOKEN_URL" -d grant_type=password -d client_id=admin-cli \
  -d username=admin -d password=admin-demo | json "d.get('access_token', '')" 2>/dev/null || true)
no_crm_api_aud() { [ -n "$OTHER_AUD" ] && claims "$OTHER_AUD" | python3 -c '
import json, sys
aud = json.load(sys.stdin).get("aud")
sys.exit(1 if "crm-api" in (aud if isinstance(aud, list) else [aud]) else 0)'; }
check "the realm's admin-cli client issues an admin token without crm-api in aud" no_crm_api_aud
check "an admin token without crm-api in aud -> 401" expect 401 "${OTHER_AUD:-x}" GET /api/v1/customers

# CRM_BOOTSTRAP_API_KEY works beside OIDC, also as a bearer token; with an issuer no key file is made.
no_key_file() { [ ! -e "$DATA/bootstrap-api-key" ]; }
check "with an OIDC issuer the service writes no bootstrap key file of its own" no_key_file
key_as_bearer() { [ "$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$BASE/api/v1/customers")" = 200 ]; }
check "the bootstrap API key as Authorization: Bearer -> 200" key_as_bearer
key_as_header() { [ "$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -H "X-API-Key: $KEY" "$BASE/api/v1/customers")" = 200 ]; }
check "the bootstrap API key as X-API-Key -> 200" key_as_header
unknown_key() { # a well-formed key that was never issued
  [ "$(curl -sS --max-time 30 -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' \
    -H "X-API-Key: hcrm_0000000000000000000000000000000000000000" "$BASE/api/v1/customers")" = 401 ] && problem unauthorized
}
check "an unknown API key -> 401 problem+json" unknown_key

# Customers the role matrix works on, created by the admin.
MASK_EMAIL=mask.check@example.com
MASK_PHONE=+14155550123
MASK_ID=$(create_as_admin "{\"name\": \"Mask Check\", \"email\": \"$MASK_EMAIL\", \"phone\": \"$MASK_PHONE\"}")
check "the admin creates a customer with an email and a phone" test -n "$MASK_ID"
declare -A PATCH_ID DELETE_ID
for who in "${WHO[@]}"; do
  PATCH_ID[$who]=$(create_as_admin "{\"name\": \"Patch target for $who\", \"email\": \"patch.$who@example.com\"}")
  DELETE_ID[$who]=$(create_as_admin "{\"name\": \"Delete target for $who\", \"email\": \"delete.$who@example.com\"}")
done

#      label                                admin    marketer sales analyst partner  method  path
matrix "GET /api/v1/customers"              200      200      200   200     403      GET     /api/v1/customers
matrix "GET /api/v1/customers/{id}"         200      200      200   200     403      GET     "/api/v1/customers/$MASK_ID"
matrix "POST /api/v1/customers"             201      201      403   403     201      POST    /api/v1/customers \
  application/json '{"name": "Created by {who}", "email": "created.{who}@example.com"}'
matrix "PATCH /api/v1/customers/{id}"       200      200      200   403     403      PATCH   "/api/v1/customers/{patch}" \
  application/merge-patch+json '{"name": "Patched by {who}"}'
matrix "DELETE /api/v1/customers/{id}"      204      204      403   403     403      DELETE  "/api/v1/customers/{delete}"
matrix "PUT /api/v1/customers-by-external-id/{ext}" \
                                            "200|201" "200|201" 403 403   "200|201" PUT    "/api/v1/customers-by-external-id/kc-e2e-{who}" \
  application/json '{"name": "Upserted by {who}", "type": "INDIVIDUAL", "email": "upserted.{who}@example.com"}'
matrix "GET /api/v1/api-keys"               200      403      403   403     403      GET     /api/v1/api-keys
matrix "POST /api/v1/api-keys"              201      403      403   403     403      POST    /api/v1/api-keys \
  application/json "$API_KEY_BODY"
matrix "GET /api/v1/audit-log"              200      403      403   403     403      GET     /api/v1/audit-log

check "partner: GET /api/v1/customers -> 403 problem+json forbidden" expect 403 "${TOKEN[partner]:--}" GET /api/v1/customers

# The analyst sees customers with email and phone masked.
analyst_masked_by_id() {
  expect 200 "${TOKEN[analyst]:--}" GET "/api/v1/customers/$MASK_ID" || return 1
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("     analyst sees email %r, phone %r" % (d.get("email"), d.get("phone")))
sys.exit(0 if d.get("email") and d.get("phone") and d["email"] != sys.argv[2] and d["phone"] != sys.argv[3] else 1)' \
    "$TMP/body" "$MASK_EMAIL" "$MASK_PHONE"
}
check "analyst: GET /api/v1/customers/{id} masks email and phone" analyst_masked_by_id
analyst_masked_in_list() {
  expect 200 "${TOKEN[analyst]:--}" GET "/api/v1/customers?limit=100" || return 1
  python3 -c '
import json, sys
items = [i for i in json.load(open(sys.argv[1]))["items"] if i["id"] == sys.argv[2]]
sys.exit(0 if items and items[0].get("email") not in (None, sys.argv[3]) and items[0].get("phone") not in (None, sys.argv[4]) else 1)' \
    "$TMP/body" "$MASK_ID" "$MASK_EMAIL" "$MASK_PHONE"
}
check "analyst: GET /api/v1/customers masks email and phone" analyst_masked_in_list
admin_sees_unmasked() {
  expect 200 "${TOKEN[admin]:--}" GET "/api/v1/customers/$MASK_ID" \
    && [ "$(json "d.get('email'), d.get('phone')" <"$TMP/body")" = "('$MASK_EMAIL', '$MASK_PHONE')" ]
}
check "admin: GET /api/v1/customers/{id} shows email and phone as stored" admin_sees_unmasked

# GraphQL: readers get data, the partner gets an error in a 200.
GQL='{"query": "{ customers(first: 5) { edges { node { id email } } } }"}'
gql_reads() { # gql_reads <who>: 200, no errors, a list of edges; the edges are kept in $TMP/gql-<who>
  expect 200 "${TOKEN[$1]:--}" POST /graphql application/json "$GQL" || return 1
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if d.get("errors") or not isinstance(((d.get("data") or {}).get("customers") or {}).get("edges"), list):
    print("     " + json.dumps(d)[:300]); sys.exit(1)
json.dump({e["node"]["id"]: e["node"]["email"] for e in d["data"]["customers"]["edges"]}, open(sys.argv[2], "w"))' \
    "$TMP/body" "$TMP/gql-$1"
}
for who in admin marketer sales analyst; do
  check "$who: GraphQL customers(first: 5) -> data" gql_reads "$who"
done
gql_analyst_masked() { # every email the admin sees in clear, the analyst sees otherwise
  python3 -c '
import json, sys
admin, analyst = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
pairs = [(e, analyst.get(i)) for i, e in admin.items() if e]
print("     analyst sees %s" % [m for _, m in pairs])
sys.exit(0 if pairs and all(m and m != e for e, m in pairs) else 1)' "$TMP/gql-admin" "$TMP/gql-analyst" 2>/dev/null
}
check "analyst: GraphQL masks the email" gql_analyst_masked
gql_denied() { # gql_denied <who>: 200 with errors and no customers
  expect 200 "${TOKEN[$1]:--}" POST /graphql application/json "$GQL" || return 1
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ok = bool(d.get("errors")) and (d.get("data") or {}).get("customers") is None
if not ok: print("     " + json.dumps(d)[:300])
sys.exit(0 if ok else 1)' "$TMP/body"
}
check "partner: GraphQL customers -> 200 with errors and data.customers null" gql_denied partner
check "crm-partner: GraphQL customers -> 200 with errors and data.customers null" gql_denied crm-partner

if [ "$failed" != 0 ]; then
  echo "--- service log (tail) ---"
  tail -40 "$LOG"
fi
summary
