// The client against a live server (CI starts one): typed requests, errors
// with their codes, and a subscription that receives a real event.
//
//   IMPRINT_URL=http://127.0.0.1:8080/graphql IMPRINT_AUTHOR=... IMPRINT_EDITOR=... IMPRINT_PASSWORD=... npm test
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';

import {
  CreatePaperDocument,
  DashboardDocument,
  ImprintError,
  LoginDocument,
  MovePaperDocument,
  PaperEventsDocument,
  request,
  subscribe,
} from '../src/index.js';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const url = setting('IMPRINT_URL');
const password = setting('IMPRINT_PASSWORD');
const login = async (email: string) => (await request({ url }, LoginDocument, { email, password })).login;

test('an editor reads the dashboard; an author is refused with FORBIDDEN', async () => {
  const author = await login(setting('IMPRINT_AUTHOR'));
  await request({ url, token: author.token }, CreatePaperDocument, {
    input: { originalLanguage: 'ru', title: 'Черновик для сводки', abstract: 'Аннотация.' },
  });
  const editor = await login(setting('IMPRINT_EDITOR'));
  assert.deepEqual(editor.user.roles, ['EDITOR']);
  const { publicationStatus } = await request({ url, token: editor.token }, DashboardDocument);
  const drafts = publicationStatus.papersByStage.find(({ stage }) => stage === 'DRAFT');
  assert.ok(drafts && drafts.papers >= 1, JSON.stringify(publicationStatus.papersByStage));

  await assert.rejects(request({ url, token: author.token }, DashboardDocument), (error: unknown) => {
    assert.ok(error instanceof ImprintError);
    assert.equal(error.code, 'FORBIDDEN');
    return true;
  });
});

test('a wrong password is an ImprintError with its code', async () => {
  await assert.rejects(
    request({ url }, LoginDocument, { email: setting('IMPRINT_EDITOR'), password: 'not the password' }),
    (error: unknown) => error instanceof ImprintError && error.code === 'UNAUTHENTICATED',
  );
});

test('a subscription receives the stage changes of new papers', async () => {
  const author = await login(setting('IMPRINT_AUTHOR'));
  const editor = await login(setting('IMPRINT_EDITOR'));
  const events = subscribe({ url, token: editor.token, webSocketImpl: WebSocket }, PaperEventsDocument);
  const first = events.next();
  // The subscription may start after a move: submit papers until an event
  // arrives; each is a new paper, so the event tells which one it was.
  const made = new Set<string>();
  let event: Awaited<typeof first> | undefined;
  for (let attempt = 0; attempt < 20 && !event; attempt += 1) {
    const { createPaper: paper } = await request({ url, token: author.token }, CreatePaperDocument, {
      input: { originalLanguage: 'ru', title: `Проверка клиента ${attempt}`, abstract: 'Аннотация.' },
    });
    await request({ url, token: author.token }, MovePaperDocument, {
      id: paper.id,
      to: 'SUBMITTED',
      expectedVersion: paper.version,
    });
    made.add(paper.id);
    event = await Promise.race([first, new Promise<undefined>((resolve) => setTimeout(resolve, 300))]);
  }
  assert.ok(event && !event.done, 'no event arrived');
  const { paperEvents } = event.value;
  assert.ok(made.has(paperEvents.paper.id), JSON.stringify(paperEvents));
  // An editor sees each paper's creation (from null) and its submission.
  assert.ok(
    (paperEvents.from === null && paperEvents.to === 'DRAFT') ||
      (paperEvents.from === 'DRAFT' && paperEvents.to === 'SUBMITTED'),
    JSON.stringify(paperEvents),
  );
  await events.return();
});
