// Asks a live server one query with real browser-side GraphQL clients and prints, as one JSON
// object per client, the data received and every HTTP exchange the client made:
//   node clients.mjs URL QUERY VARIABLES_JSON
// urql with its defaults (GET when the URL stays within its length limit), and Apollo Client 4
// (POST, asking for application/graphql-response+json first).
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Client, fetchExchange } from '@urql/core';

const [url, query, variablesJson] = process.argv.slice(2);
const variables = JSON.parse(variablesJson ?? '{}');

function recordingFetch(exchanges) {
  return async (input, init = {}) => {
    const response = await fetch(input, init);
    exchanges.push({
      method: init.method ?? 'GET',
      url: String(input),
      accept: new Headers(init.headers).get('accept'),
      status: response.status,
      contentType: response.headers.get('content-type'),
    });
    return response;
  };
}

async function withUrql() {
  const exchanges = [];
  const client = new Client({ url, exchanges: [fetchExchange], fetch: recordingFetch(exchanges) });
  const result = await client.query(query, variables).toPromise();
  if (result.error) throw new Error(`urql: ${result.error.message}`);
  return { data: result.data, exchanges };
}

async function withApollo() {
  const exchanges = [];
  const client = new ApolloClient({
    link: new HttpLink({ uri: url, fetch: recordingFetch(exchanges) }),
    cache: new InMemoryCache(),
  });
  const result = await client.query({ query: gql(query), variables, fetchPolicy: 'network-only' });
  if (result.error) throw new Error(`apollo: ${result.error.message}`);
  return { data: result.data, exchanges };
}

console.log(JSON.stringify({ urql: await withUrql(), apollo: await withApollo() }));
