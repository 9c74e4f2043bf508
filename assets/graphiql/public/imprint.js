// Renders GraphiQL against this server: queries and mutations over POST
// /graphql, subscriptions over /graphql/ws. The Headers tab carries the token
// for both: the WebSocket client sends those headers in `connection_init`,
// where the server reads `Authorization` as it reads the HTTP header.
(function () {
  'use strict';

  // The library behind GraphiQL's dialogs reads this global for the nonce of
  // the <style> element it adds; without it the page's policy blocks it.
  window.__webpack_nonce__ = document.querySelector('meta[name="style-nonce"]').content;

  var subscriptionUrl = new URL('/graphql/ws', window.location.href);
  subscriptionUrl.protocol = subscriptionUrl.protocol === 'https:' ? 'wss:' : 'ws:';

  var fetcher = GraphiQL.createFetcher({
    url: new URL('/graphql', window.location.href).toString(),
    subscriptionUrl: subscriptionUrl.toString(),
  });

  var defaultQuery = [
    '# Welcome to Imprint.',
    '#',
    '# 1. Log in: put your e-mail and',
    '#    password below and run this.',
    '# 2. In Headers (below), put',
    '#    {"Authorization": "Bearer TOKEN"}',
    '#    with the token from the answer.',
    '# 3. Docs (top left) lists every field.',
    '',
    'mutation Login {',
    '  login(email: "you@example.org", password: "your password") {',
    '    token',
    '    expiresAt',
    '    user { displayName roles }',
    '  }',
    '}',
    '',
  ].join('\n');

  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
})();
