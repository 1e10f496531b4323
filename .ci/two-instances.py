"""Writers change tags through one instance; right after each acknowledged write, the other instance is read.

Usage: two-instances.py BASE_A BASE_B API_KEY. Exits non-zero on any stale read or error."""
import json
import random
import sys
import threading
import urllib.error
import urllib.request
import uuid

A, B, KEY = sys.argv[1], sys.argv[2], sys.argv[3]
WRITERS, ROUNDS, TAGS = 4, 60, 5


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"X-API-Key": KEY, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


prefix = "two-" + uuid.uuid4().hex[:8]
tags = [f"{prefix}-{i}" for i in range(TAGS)]
for tag in tags:
    assert call(A, "POST", "/api/v1/tags", {"key": tag, "name": tag})[0] == 201
customers = [call(A, "POST", "/api/v1/customers", {"name": f"{prefix} {i}"})[1]["id"] for i in range(WRITERS)]
errors, reads = [], [0]
stop = threading.Event()


def tags_of(base, customer):
    status, body = call(base, "GET", f"/api/v1/customers/{customer}/tags")
    if status != 200:
        raise RuntimeError(f"GET tags: {status} {body}")
    return sorted(t["key"] for t in body)


def writer(customer, seed):
    rnd = random.Random(seed)
    carried = set()
    for n in range(ROUNDS):
        write_to, read_from = (A, B) if n % 2 == 0 else (B, A)
        tag = rnd.choice(tags)
        if tag in carried:
            status, _ = call(write_to, "DELETE", f"/api/v1/customers/{customer}/tags/{tag}")
            carried.discard(tag)
        else:
            status, _ = call(write_to, "PUT", f"/api/v1/customers/{customer}/tags/{tag}")
            carried.add(tag)
        if status not in (200, 201, 204):
            errors.append(f"write {status}")
            return
        try:
            seen = tags_of(read_from, customer)
        except RuntimeError as e:
            errors.append(f"read via {read_from}: {e}")
            return
        if seen != sorted(carried):
            errors.append(f"stale read of {customer} via {read_from} after write {n}: {seen} != {sorted(carried)}")


def reader(base):  # keeps both instances filling and reading the cache meanwhile
    while not stop.is_set():
        for customer in customers:
            try:
                tags_of(base, customer)
            except RuntimeError as e:
                errors.append(f"background read via {base}: {e}")
                return
            reads[0] += 1


readers = [threading.Thread(target=reader, args=(base,), daemon=True) for base in (A, B)]
writers = [threading.Thread(target=writer, args=(c, i)) for i, c in enumerate(customers)]
for t in readers + writers:
    t.start()
for t in writers:
    t.join()
stop.set()

hits = []
for base in (A, B):
    with urllib.request.urlopen(base + "/q/metrics", timeout=10) as response:
        metrics = response.read().decode()
    hits.append(sum(float(line.split()[-1]) for line in metrics.splitlines()
                    if line.startswith("crm_tags_cache_total") and 'result="hit"' in line))
print(f"     {WRITERS * ROUNDS} writes, {reads[0]} background reads, cache hits A={hits[0]:.0f} B={hits[1]:.0f}, "
      f"{len(errors)} stale or failed")
for e in errors[:5]:
    print("     " + e)
sys.exit(1 if errors or min(hits) == 0 else 0)
