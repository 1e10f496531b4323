"""Sends events at a steady rate, one per request, each for a random bench customer (external id bench-N).

Usage: steady-events.py BASE API_KEY TYPE RATE SECONDS CUSTOMERS. Prints how many were accepted."""
import json
import random
import sys
import threading
import time
import urllib.request
import uuid
from datetime import datetime, timezone

BASE, KEY, TYPE = sys.argv[1], sys.argv[2], sys.argv[3]
RATE, SECONDS, CUSTOMERS = float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
accepted, failed = [0], [0]
lock = threading.Lock()
rnd = random.Random(12)


def send(n):
    item = {"eventId": str(uuid.uuid4()), "type": TYPE, "externalId": f"bench-{n}",
            "occurredAt": datetime.now(timezone.utc).isoformat()}
    request = urllib.request.Request(BASE + "/api/v1/events", data=json.dumps({"items": [item]}).encode(),
                                     method="POST", headers={"X-API-Key": KEY, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            ok = json.loads(response.read())["accepted"] == 1
    except OSError:
        ok = False
    with lock:
        (accepted if ok else failed)[0] += 1


start = time.monotonic()
threads = []
for i in range(int(RATE * SECONDS)):
    time.sleep(max(0.0, start + i / RATE - time.monotonic()))
    t = threading.Thread(target=send, args=(rnd.randint(1, CUSTOMERS),))
    t.start()
    threads.append(t)
for t in threads:
    t.join()
print(f"{accepted[0]} {failed[0]}")
