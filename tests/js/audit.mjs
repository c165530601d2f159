// Runs graphql-http's GraphQL-over-HTTP audit suite against a live server and prints one JSON
// object: the count of each outcome and every audit's id, name, status and reason.
//   node audit.mjs http://127.0.0.1:8000/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}
const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
const audits = results.map((r) => {
  counts[r.status] += 1;
  return { id: r.id, name: r.name, status: r.status, reason: r.status === 'ok' ? null : r.reason };
});
console.log(JSON.stringify({ counts, audits }));
