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
