// What the CI checks ask of the running server over plain HTTP: one GraphQL
// request, logging in, drafting a paper and moving it. Each throws on any
// error, with the answer in the message.

/** The requests of one server, e.g. server('http://127.0.0.1:8080'). */
export function server(base) {
  async function gql(query, variables = {}, token) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    if (!response.ok || body.errors) {
      throw new Error(`${query.split('(')[0].trim()}: ${response.status} ${JSON.stringify(body)}`);
    }
    return body.data;
  }

  return {
    gql,

    /** A token for the account. */
    async login(email, password) {
      const data = await gql(
        'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
        { email, password },
      );
      return data.login.token;
    },

    /** A new Russian draft by the token's author: { id, version, stage }. */
    async draft(token, title) {
      const data = await gql(
        'mutation($input: CreatePaperInput!) { createPaper(input: $input) { id version stage } }',
        { input: { originalLanguage: 'ru', title, abstract: 'Аннотация.' } },
        token,
      );
      return data.createPaper;
    },

    /** Moves a paper at the version it was read at. */
    async move(token, paper, to) {
      return gql(
        'mutation($id: ID!, $to: Stage!, $v: Int!) { movePaper(id: $id, to: $to, expectedVersion: $v) { stage } }',
        { id: paper.id, to, v: paper.version },
        token,
      );
    },
  };
}
