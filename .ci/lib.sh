# Shared by the end-to-end scripts in .ci: checks that count, JSON reading, waiting for a process to serve.
passed=0
failed=0

check() { # check <description> <command...>: runs the command and counts it as passed or failed
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   - $what"; else failed=$((failed + 1)); echo "FAIL - $what"; fi
}

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }

wait_ready() { # wait_ready <url> <pid> <log> <seconds>: until <url> answers 2xx, or <pid> dies, or time is up
  local url=$1 pid=$2 log=$3 deadline=$((SECONDS + $4))
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -fsS --max-time 5 "$url" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "$url did not become ready; log:" >&2
  tail -60 "$log" >&2
  return 1
}

random_api_key() { # an API key in the service's format, for CRM_BOOTSTRAP_API_KEY
  echo "hcrm_$(python3 -c 'import secrets, string; print("".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(40)))')"
}

start_service() { # the packaged jar ($JAR) on $DATA and $PORT with $KEY as its bootstrap admin key, logging to $LOG; sets PID
  CRM_DATA_DIR="$DATA" QUARKUS_HTTP_PORT="$PORT" CRM_BOOTSTRAP_API_KEY="$KEY" java -jar "$JAR" </dev/null >>"$LOG" 2>&1 &
  PID=$!
  wait_ready "http://127.0.0.1:$PORT/q/health/ready" "$PID" "$LOG" 90
}

stop_service() { # SIGTERM to $PID and wait for it, if it still runs
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID"; wait "$PID" 2>/dev/null; fi
}
