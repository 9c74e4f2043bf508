// Checks live events with the real `graphql-ws` client from npm: an author
// subscribes to `paperEvents` over /graphql/ws (token in `connectionParams`),
// an editor submits the author's draft over HTTP, and the event must arrive.
// Then the author disconnects, starts another paper meanwhile, and
// reconnects with the last event's cursor as `after`: the missed event must
// arrive, and nothing before it.
//
//   node live.mjs http://127.0.0.1:8080 AUTHOR_EMAIL EDITOR_EMAIL PASSWORD
//
// Exits 0 when the event arrived, 1 otherwise (every wait has a deadline).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

import { server } from './server.mjs';

const [base, authorEmail, editorEmail, password] = process.argv.slice(2);
if (!base || !authorEmail || !editorEmail || !password) {
  console.error('usage: node live.mjs <server url> <author e-mail> <editor e-mail> <password>');
  process.exit(2);
}
const WAIT_MS = 10_000;
const imprint = server(base);

function fail(message) {
  console.error(`live events: FAILED: ${message}`);
  process.exit(1);
}

/** Rejects after WAIT_MS with what was being waited for. */
function deadline(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

try {
  const author = await imprint.login(authorEmail, password);
  const editor = await imprint.login(editorEmail, password);
  const paper = await imprint.draft(author, 'Проверка живых событий');

  // The server starts a subscription before it reads the next message, so a
  // `pong` to a `ping` sent after `subscribe` means it is listening.
  let pingSent = () => {};
  let pongReceived = () => {};
  let connected = () => {};
  const isConnected = new Promise((resolve) => (connected = resolve));
  const client = createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql/ws`,
    webSocketImpl: WebSocket,
    connectionParams: { token: author },
    keepAlive: 100,
    retryAttempts: 0,
    on: {
      connected: () => connected(),
      ping: (received) => !received && pingSent(),
      pong: (received) => received && pongReceived(),
    },
  });

  const events = client.iterate({
    query: 'subscription { paperEvents { cursor kind paper { id stage } from to at } }',
  });
  const first = events.next();
  await deadline(isConnected, 'connection_ack');
  await new Promise((resolve) => setTimeout(resolve, 0)); // `subscribe` goes out
  await deadline(new Promise((resolve) => (pingSent = resolve)), 'a ping after subscribe');
  await deadline(new Promise((resolve) => (pongReceived = resolve)), 'its pong');

  await imprint.move(editor, paper, 'SUBMITTED');

  const { value, done } = await deadline(first, 'the paperEvents event');
  if (done) fail('the subscription ended without an event');
  if (value.errors) fail(`the event carried errors: ${JSON.stringify(value.errors)}`);
  const event = value.data.paperEvents;
  if (event.paper.id !== paper.id || event.from !== 'DRAFT' || event.to !== 'SUBMITTED') {
    fail(`unexpected event ${JSON.stringify(event)}`);
  }
  console.log(`live events: ok: the author received ${JSON.stringify(event)} from the editor's move`);
  await events.return();
  await client.dispose();

  // Away, the author starts another paper; back, it resumes after the last
  // event it received.
  const second = await imprint.draft(author, 'Пока подписчик отключён');
  const again = createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql/ws`,
    webSocketImpl: WebSocket,
    connectionParams: { token: author },
    retryAttempts: 0,
  });
  const resumed = again.iterate({
    query: 'subscription($after: String) { paperEvents(after: $after) { cursor kind paper { id stage } } }',
    variables: { after: event.cursor },
  });
  const missed = await deadline(resumed.next(), 'the event missed while away');
  if (missed.done) fail('the resumed subscription ended without an event');
  if (missed.value.errors) fail(`the resumed event carried errors: ${JSON.stringify(missed.value.errors)}`);
  const caughtUp = missed.value.data.paperEvents;
  if (caughtUp.paper.id !== second.id || caughtUp.kind !== 'CREATED' || Number(caughtUp.cursor) <= Number(event.cursor)) {
    fail(`unexpected event after resuming: ${JSON.stringify(caughtUp)}`);
  }
  console.log(`live events: ok: resuming after cursor ${event.cursor} delivered ${JSON.stringify(caughtUp)}`);
  await resumed.return();
  await again.dispose();
  process.exit(0);
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
