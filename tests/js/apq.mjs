// Automatic Persisted Queries with Apollo Client 4's own link, against a live server:
//   node apq.mjs URL QUERY VARIABLES_JSON
// Two clients ask the same query one after the other, each with `PersistedQueryLink` (GET for
// hashed queries) in front of `HttpLink`, and print the data each received and every HTTP
// exchange it made: the first should meet PERSISTED_QUERY_NOT_FOUND and send the query text, the
// second should need its hash alone.
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { createHash } from 'node:crypto';

const [url, query, variablesJson] = process.argv.slice(2);
const variables = JSON.parse(variablesJson ?? '{}');
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

function recordingFetch(exchanges) {
  return async (input, init = {}) => {
    const response = await fetch(input, init);
    const sent = new URL(String(input));
    const body = init.body ? JSON.parse(init.body) : {};
    const answer = await response.clone().json();
    exchanges.push({
      method: init.method ?? 'GET',
      sentQuery: sent.searchParams.has('query') || 'query' in body,
      sentHash: Boolean(
        JSON.parse(sent.searchParams.get('extensions') ?? 'null')?.persistedQuery?.sha256Hash ??
          body.extensions?.persistedQuery?.sha256Hash,
      ),
      status: response.status,
      etag: response.headers.get('etag'),
      errorCodes: (answer.errors ?? []).map((e) => e.extensions?.code),
    });
    return response;
  };
}

async function ask() {
  const exchanges = [];
  const link = new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
    new HttpLink({ uri: url, fetch: recordingFetch(exchanges) }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const result = await client.query({ query: gql(query), variables, fetchPolicy: 'network-only' });
  if (result.error) throw new Error(`apollo: ${result.error.message}`);
  return { data: result.data, exchanges };
}

console.log(JSON.stringify({ first: await ask(), second: await ask() }));
