// The screen's code against the generated types (./graphql.ts, written next to a copy of this file by .ci/codegen.sh):
// tsc --strict fails if the operation's result or variables do not have the shape the screen uses.
import type { CustomerScreenQuery, CustomerScreenQueryVariables } from './graphql';

export async function loadCustomerScreen(
  endpoint: string,
  apiKey: string,
  document: string,
  variables: CustomerScreenQueryVariables,
): Promise<CustomerScreenQuery> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey },
    body: JSON.stringify({ query: document, variables }),
  });
  const body = (await response.json()) as { data?: CustomerScreenQuery; errors?: { message: string }[] };
  if (!body.data) {
    throw new Error(body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`);
  }
  return body.data;
}

export const firstVisit: CustomerScreenQueryVariables = { id: '5f0c6a1e-8f3b-4c1d-9a7e-2b6d4e8f1a3c' };
export const nextTagPage: CustomerScreenQueryVariables = { id: firstVisit.id, tags: 50, tagsAfter: 'cursor' };

/** What the screen shows; each line reads a field of the result as the generated types say it is. */
export function lines(screen: CustomerScreenQuery): string[] {
  const customer = screen.customer;
  if (!customer) {
    return ['No such customer'];
  }
  const since: string = customer.createdAt; // DateTime: an RFC 3339 string
  const version: number = customer.version; // BigInteger: a JSON number
  const attributes: unknown = customer.attributes; // JSON: any value
  const kind: 'INDIVIDUAL' | 'ENTERPRISE' = customer.type;
  const tags = customer.tags.map((tag) => `${tag.name} (${tag.key}) ${tag.expiresAt ?? 'no expiry'}`);
  const touchpoints = (customer.touchpoints?.edges ?? []).map(({ node }) => `${node.channel} ${node.status}`);
  const more = customer.touchpoints?.pageInfo.hasNextPage ? ['more touchpoints'] : [];
  const choices = (screen.tags?.edges ?? []).map(({ node }) => `${node.key}: ${node.customerCount}`);
  return [customer.name, customer.email ?? '', kind, since, String(version), JSON.stringify(attributes),
    ...tags, ...touchpoints, ...more, ...choices];
}
