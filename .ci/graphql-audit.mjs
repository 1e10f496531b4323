// The graphql-http package's GraphQL-over-HTTP audit (https://graphql.github.io/graphql-over-http/) against a
// running service: node .ci/graphql-audit.mjs <graphql url>, with the API key in CRM_API_KEY.
// Prints every audit, then "ok N, warnings N, notices N, failures N": a failure is a MUST not met, a warning a
// SHOULD, a notice a MAY. Exits 1 on any failure, and on any warning or notice that is not listed in DELIBERATE
// with the reason we chose so.
import { createRequire } from 'node:module';

// the package is installed in .ci/tools (npm ci --prefix .ci/tools), not beside this script
const { auditServer } = createRequire(new URL('./tools/package.json', import.meta.url))('graphql-http');

const url = process.argv[2];
const key = process.env.CRM_API_KEY;
if (!url || !key) {
  console.error('usage: CRM_API_KEY=<key> node .ci/graphql-audit.mjs <graphql url>');
  process.exit(2);
}

// Warnings and notices we accept on purpose, by audit id, with the reason. Empty: every recommendation holds.
const DELIBERATE = {};

// The audit sends no credentials; every request of a real client carries its API key (or bearer token).
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('X-API-Key', key);
  return fetch(input, { ...init, headers });
};

let results;
try {
  results = await auditServer({ url, fetchFn });
} catch (e) { // the audit throws only when it cannot talk to the server at all
  console.error(`graphql-http audit could not run against ${url}: ${e.cause?.message ?? e.message}`);
  process.exit(1);
}
const counts = { ok: 0, warn: 0, notice: 0, error: 0 };
let unexplained = 0;
for (const r of results) {
  counts[r.status]++;
  if (r.status === 'ok') {
    console.log(`ok     ${r.id} ${r.name}`);
    continue;
  }
  const reason = r.status === 'error' ? undefined : DELIBERATE[r.id];
  if (r.status !== 'error' && reason === undefined) {
    unexplained++;
  }
  const label = { error: 'FAIL ', warn: 'WARN ', notice: 'NOTE ' }[r.status] + (reason ? '*' : ' ');
  console.log(`${label} ${r.id} ${r.name}\n      ${r.reason}${reason ? `\n      deliberate: ${reason}` : ''}`);
  if (r.response && !reason) {
    const body = await r.response.text().catch(() => '');
    console.log(`      got ${r.response.status} ${r.response.headers.get('content-type') ?? '(no content-type)'}: `
      + body.slice(0, 300));
  }
}
console.log(`graphql-http audit: ok ${counts.ok}, warnings ${counts.warn}, notices ${counts.notice}, `
  + `failures ${counts.error}; ${unexplained} warnings or notices not explained as deliberate`);
process.exit(counts.error > 0 || unexplained > 0 ? 1 : 0);
