// GraphiQL in a real browser with nothing reachable but loopback: Debian's
// Chromium, driven by playwright-core, opens the page the server embeds,
// runs `login` as the editor, puts the token in the Headers editor, runs a
// query with it, then subscribes to `paperEvents` and waits for the event of
// a move the author's and editor's own requests make meanwhile. Any request
// off loopback, any Content-Security-Policy violation and any script error
// fails the run. Screenshots of the answered query and the received event are
// saved for the CI log.
//
//   node browser.mjs http://127.0.0.1:8080 AUTHOR_EMAIL EDITOR_EMAIL PASSWORD ARTIFACT_DIR
//
// Exits 0 when every step passed, 1 otherwise (every wait has a deadline).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { server } from './server.mjs';

const [base, authorEmail, editorEmail, password, artifacts] = process.argv.slice(2);
if (!base || !authorEmail || !editorEmail || !password || !artifacts) {
  console.error('usage: node browser.mjs <server url> <author e-mail> <editor e-mail> <password> <artifact dir>');
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const WAIT_MS = 15_000;
const problems = [];
const imprint = server(base);

function fail(message) {
  console.error(`browser: FAILED: ${message}`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}

/** Sets one of the page's CodeMirror editors, as typing or pasting would. */
async function setEditor(page, selector, text) {
  await page.locator(selector).waitFor({ timeout: WAIT_MS });
  await page.evaluate(
    ([selector, text]) => document.querySelector(selector).CodeMirror.setValue(text),
    [selector, text],
  );
}

/** Puts an operation in the query editor and runs it, once GraphiQL has read
 * it (its tab takes the operation's name). */
async function run(page, name, operation) {
  await setEditor(page, QUERY_EDITOR, operation);
  await page.locator('.graphiql-tab-active', { hasText: name }).waitFor({ timeout: WAIT_MS });
  await page.click(EXECUTE);
}

/** What the result pane shows now. */
function resultText(page) {
  return page.evaluate(() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue());
}

/** The result pane's text once `ready` accepts it. */
async function waitForResult(page, ready, what) {
  const deadline = Date.now() + WAIT_MS;
  let text = '';
  while (Date.now() < deadline) {
    text = await resultText(page);
    if (text && ready(text)) return text;
    await page.waitForTimeout(100);
  }
  fail(`timed out after ${WAIT_MS} ms waiting for ${what}; the result pane says: ${text || '(nothing)'}`);
}

const QUERY_EDITOR = '.graphiql-query-editor .CodeMirror';
const HEADERS_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
const EXECUTE = 'button[aria-label^="Execute query"]';

mkdirSync(artifacts, { recursive: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  // Every host name resolves to nothing: only the loopback address works.
  args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const origin = new URL(base).origin;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== origin) problems.push(`request off this server: ${request.url()}`);
  });
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).host !== new URL(base).host) problems.push(`WebSocket off this server: ${socket.url()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.request().method()} ${response.url()}`);
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`),
    ),
  );

  const response = await page.goto(`${base}/graphql`);
  if (!response.ok()) fail(`GET /graphql answered ${response.status()}`);
  if (!response.headers()['content-security-policy']) fail('the page came without a Content-Security-Policy');
  await page.locator(QUERY_EDITOR).waitFor({ timeout: WAIT_MS });

  // The schema's docs, read by introspection, and a dialog (whose library
  // adds styles at run time, which the policy must allow).
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.locator('.graphiql-doc-explorer', { hasText: 'Mutation' }).waitFor({ timeout: WAIT_MS });
  await page.click('button[aria-label="Open settings dialog"]');
  await page.locator('.graphiql-dialog', { hasText: 'Settings' }).waitFor({ timeout: WAIT_MS });
  await page.keyboard.press('Escape');
  await page.locator('.graphiql-dialog').waitFor({ state: 'detached', timeout: WAIT_MS });
  await page.click('button[aria-label="Hide Documentation Explorer"]');

  // 1. login, as a user would: the mutation in the editor, then Run.
  await run(
    page,
    'Login',
    `mutation Login {\n  login(email: ${JSON.stringify(editorEmail)}, password: ${JSON.stringify(password)}) {\n    token\n  }\n}\n`,
  );
  const login = JSON.parse(await waitForResult(page, (text) => text.includes('"login"') || text.includes('"errors"'), 'the login answer'));
  const token = login.data?.login?.token;
  if (!token) fail(`login answered ${JSON.stringify(login)}`);
  console.log('browser: login ran in GraphiQL');

  // 2. A query with the token in the Headers editor.
  await setEditor(page, HEADERS_EDITOR, JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2));
  await run(page, 'Me', 'query Me {\n  me {\n    email\n    roles\n  }\n}\n');
  const me = JSON.parse(await waitForResult(page, (text) => text.includes('"me"') || text.includes('"errors"'), 'the me answer'));
  if (me.data?.me?.email !== editorEmail) fail(`the query with the token answered ${JSON.stringify(me)}`);
  const queryShot = join(artifacts, 'graphiql-query.png');
  await page.screenshot({ path: queryShot });
  console.log(`browser: the query ran with the token; screenshot ${queryShot}`);

  // 3. A subscription over /graphql/ws, with the same Headers.
  await run(page, 'Events', 'subscription Events {\n  paperEvents {\n    paper { id stage }\n    from\n    to\n  }\n}\n');
  const author = await imprint.login(authorEmail, password);
  const editor = await imprint.login(editorEmail, password);
  // The page's `subscribe` may reach the server after a move, so make and
  // submit papers until an event arrives; each is a new paper, so any event
  // tells which one it was.
  const moved = new Set();
  let event = null;
  for (let attempt = 0; attempt < 20 && !event; attempt += 1) {
    const paper = await imprint.draft(author, `Проверка в браузере ${attempt}`);
    await imprint.move(editor, paper, 'SUBMITTED');
    moved.add(paper.id);
    const deadline = Date.now() + 500;
    while (Date.now() < deadline && !event) {
      const text = await resultText(page);
      if (text.includes('"paperEvents"')) event = JSON.parse(text).data.paperEvents;
      else await page.waitForTimeout(50);
    }
  }
  if (!event) {
    const text = await resultText(page);
    fail(`no paperEvents event reached GraphiQL; the result pane says: ${text || '(nothing)'}`);
  }
  // The editor sees each paper's creation (from null) and its submission.
  const expected = (event.from === null && event.to === 'DRAFT') || (event.from === 'DRAFT' && event.to === 'SUBMITTED');
  if (!moved.has(event.paper.id) || !expected) fail(`unexpected event ${JSON.stringify(event)}`);
  const eventShot = join(artifacts, 'graphiql-subscription.png');
  await page.screenshot({ path: eventShot });
  console.log(`browser: GraphiQL received ${JSON.stringify(event)}; screenshot ${eventShot}`);

  if (problems.length > 0) fail('the page misbehaved');
  console.log('browser: ok');
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
} finally {
  await browser.close();
}
