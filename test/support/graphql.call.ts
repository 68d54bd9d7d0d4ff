/** A GraphQL request over real HTTP: status, headers, the parsed `{ data, errors }` and the raw text. */
export async function gql(
  url: string,
  query: string,
  init: { token?: string; cookie?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: GraphqlBody; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.cookie !== undefined) headers.cookie = init.cookie;
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as GraphqlBody, text };
}

export interface GraphqlError {
  message: string;
  path?: string[];
  extensions?: Record<string, unknown>;
}

export interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: GraphqlError[];
}
