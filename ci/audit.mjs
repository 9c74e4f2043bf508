// Runs the GraphQL-over-HTTP spec audits of `graphql-http` against a server.
//
//   node audit.mjs http://127.0.0.1:8080/graphql
//
// Prints every result (status, id, name, reason) and a summary. Exits 1 when
// any audit is an `error` (a MUST of the spec is broken); `warn` and `notice`
// results (SHOULD and MAY) are printed and accepted: each accepted one is
// explained in AUDIT.md.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] = (counts[result.status] ?? 0) + 1;
  let line = `${result.status.toUpperCase().padEnd(6)} ${result.id} ${result.name}`;
  if (result.status !== 'ok') {
    line += `\n       reason: ${result.reason}`;
    if (result.response) {
      line += `\n       response: ${result.response.status} ${result.response.headers.get('content-type') ?? ''}`;
    }
  }
  console.log(line);
}

const summary = Object.entries(counts)
  .map(([status, count]) => `${count} ${status}`)
  .join(', ');
console.log(`\ngraphql-http audit of ${url}: ${results.length} audits: ${summary}`);
if (counts.error > 0) {
  console.error(`${counts.error} audit(s) failed a MUST of the GraphQL-over-HTTP spec`);
  process.exit(1);
}
