import {
  Client,
  UndiciConnection,
  type ConnectionRequestOptions,
  type ConnectionRequestOptionsAsStream,
  type ConnectionRequestParams,
  type ConnectionRequestResponse,
  type ConnectionRequestResponseAsStream,
} from '@elastic/elasticsearch';

const VENDORED = /application\/vnd\.elasticsearch\+(json|x-ndjson); compatible-with=\d+/g;

/**
 * The 9.x client speaks to Elasticsearch only: it sends `application/vnd.elasticsearch+json; compatible-with=9`
 * and refuses answers without `x-elastic-product: Elasticsearch`. OpenSearch 2.x speaks the same REST API with
 * plain JSON media types; this connection translates both ways, so one client serves either engine.
 */
class OpenSearchConnection extends UndiciConnection {
  override request(params: ConnectionRequestParams, options: ConnectionRequestOptions): Promise<ConnectionRequestResponse>;
  override request(params: ConnectionRequestParams, options: ConnectionRequestOptionsAsStream): Promise<ConnectionRequestResponseAsStream>;
  override async request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptions | ConnectionRequestOptionsAsStream,
  ): Promise<ConnectionRequestResponse | ConnectionRequestResponseAsStream> {
    const headers = { ...params.headers };
    for (const name of ['accept', 'content-type']) {
      const value = headers[name];
      if (typeof value === 'string') headers[name] = value.replace(VENDORED, (_m, type: string) => `application/${type}`);
    }
    const res = await super.request({ ...params, headers }, options);
    return { ...res, headers: { ...res.headers, 'x-elastic-product': 'Elasticsearch' } };
  }
}

/**
 * A client for the search engine at `url`, Elasticsearch or OpenSearch (asked once, at connection): what it
 * guarantees is the Elasticsearch client's API either way; requests give up after `requestTimeout` ms. Throws when
 * nothing answers at `url`.
 */
export async function connectSearch(url: string, requestTimeout = 8_000): Promise<Client> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  const info = (await res.json()) as { version?: { distribution?: string } };
  const opensearch = info.version?.distribution === 'opensearch';
  return new Client({ node: url, requestTimeout, ...(opensearch ? { Connection: OpenSearchConnection } : {}) });
}
