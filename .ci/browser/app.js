// Runs in Chromium on the page's origin: what an SPA on another origin does against the CRM. Each step records
// its outcome (it never throws), so .ci/browser.sh checks and reports every step on its own.
'use strict';

const SCREEN = '{ customers(first: 2) { edges { node { id tags { key } } } } '
  + 'tags(first: 2) { edges { node { id } } } touchpoints(first: 2) { edges { node { id } } } }';
const PROGRESS = 'subscription($id: ID!) { campaignProgress(campaign: $id) { status outcomes { outcome count } } }';
const SUBSCRIPTION_TIMEOUT_MS = 30000;

async function graphql(api, key, query, variables) {
  const res = await fetch(api + '/graphql', {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json', Accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  // headers the page can read only if CORS exposes them
  return { status: res.status, requestId: res.headers.get('X-Request-Id'),
    rateLimitRemaining: res.headers.get('RateLimit-Remaining'), body: await res.json() };
}

async function rest(api, key, method, path, body, headers = {}) {
  const res = await fetch(api + path, {
    method,
    headers: { 'X-API-Key': key, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('Location'), etag: res.headers.get('ETag'),
    body: text ? JSON.parse(text) : null };
}

async function recorded(fn) {
  try {
    return await fn();
  } catch (e) {
    return { failure: String(e && e.stack || e) };
  }
}

/** Over REST, as an SPA's admin screens would: a tag, two SMS customers with it, and a campaign to them, in DRAFT. */
async function draftCampaign(api, key) {
  const mark = 'browser-' + Math.random().toString(36).slice(2, 10);
  const tag = await rest(api, key, 'POST', '/api/v1/tags', { key: mark, name: mark });
  const customers = [];
  for (let i = 0; i < 2; i++) {
    const phone = '+86177' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
    const created = await rest(api, key, 'POST', '/api/v1/customers', { name: mark + ' ' + i, phone },
      { 'Idempotency-Key': mark + '-' + i });
    const assigned = created.body && created.body.id
      ? (await rest(api, key, 'PUT', `/api/v1/customers/${created.body.id}/tags/${mark}`, {})).status : null;
    customers.push({ status: created.status, location: created.location, etag: created.etag, assigned });
  }
  const campaign = await rest(api, key, 'POST', '/api/v1/campaigns', {
    name: 'Browser ' + mark, goal: 'reach the browser test', channel: 'SMS',
    audience: { include: [{ tag: mark }] }, variants: [{ key: 'only', content: { body: 'Hello from the browser test' } }],
    schedule: { type: 'NOW' },
  }, { 'Idempotency-Key': mark + '-campaign' });
  return { tag: tag.status, customers, campaign: { status: campaign.status, location: campaign.location,
    etag: campaign.etag, id: campaign.body && campaign.body.id } };
}

/**
 * graphql-transport-ws with graphql-ws's own client, the key in connection_init's payload (a browser cannot put
 * headers on a WebSocket); once the server acknowledged, the campaign is scheduled, so its run streams progress.
 */
function progress(api, key, campaignId) {
  const result = { connected: false, scheduled: null, next: [], completed: false, error: null };
  return new Promise((resolve) => {
    let client;
    const done = () => {
      clearTimeout(timer);
      client.dispose();
      resolve(result);
    };
    const timer = setTimeout(() => {
      result.error = `no end within ${SUBSCRIPTION_TIMEOUT_MS} ms`;
      done();
    }, SUBSCRIPTION_TIMEOUT_MS);
    client = graphqlWs.createClient({
      url: api.replace(/^http/, 'ws') + '/graphql',
      connectionParams: { 'X-API-Key': key },
      retryAttempts: 0,
      on: {
        connected: async () => {
          result.connected = true;
          const scheduled = await recorded(() => rest(api, key, 'POST', `/api/v1/campaigns/${campaignId}/schedule`));
          result.scheduled = scheduled.status || scheduled.failure;
        },
      },
    });
    client.subscribe({ query: PROGRESS, variables: { id: campaignId } }, {
      next: (message) => result.next.push(message),
      error: (e) => {
        // a close (4401, 4403…), a WebSocket that failed before it opened (the handshake refused), or GraphQL errors
        result.error = e instanceof CloseEvent ? `closed ${e.code} ${e.reason}`.trim()
          : e instanceof Event ? `WebSocket ${e.type} before it opened (handshake refused?)` : JSON.stringify(e);
        done();
      },
      complete: () => {
        result.completed = true;
        done();
      },
    });
  });
}

/** Everything, in the order a screen would do it; the results of each step. */
async function crmChecks(api, key) {
  const results = {};
  results.query = await recorded(() => graphql(api, key, '{ customers(first: 1) { totalCount } }'));
  results.rest = await recorded(() => draftCampaign(api, key));
  results.screen = await recorded(() => graphql(api, key, SCREEN));
  const campaignId = results.rest.campaign && results.rest.campaign.id;
  results.subscription = campaignId ? await recorded(() => progress(api, key, campaignId))
    : { failure: 'no campaign to subscribe to' };
  return results;
}

/** From an origin the service does not allow: the browser must refuse to give the page the answer. */
async function crmRefused(api, key) {
  return recorded(async () => ({ answered: (await graphql(api, key, '{ customers(first: 1) { totalCount } }')).status }));
}
