// A small typed client for Imprint: queries and mutations over HTTP,
// subscriptions over /graphql/ws. Pass one of the generated documents
// (src/gql), and TypeScript checks the variables and knows the shape of
// the answer.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';

/** One error of an answer, with Imprint's `extensions.code`. */
export interface ImprintErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** An answer that carried errors (or no data): `code` is the first error's. */
export class ImprintError extends Error {
  readonly code: string | undefined;

  constructor(
    readonly status: number,
    readonly errors: ImprintErrorEntry[],
  ) {
    super(errors.map((error) => error.message).join('; ') || `HTTP ${status}`);
    this.name = 'ImprintError';
    this.code = errors[0]?.extensions?.code;
  }
}

export interface ClientOptions {
  /** The server's GraphQL endpoint, e.g. http://127.0.0.1:8080/graphql. */
  url: string;
  /** A token from `login`, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /**
   * The WebSocket class for subscriptions where there is no global one
   * (Node before 22: `import WebSocket from 'ws'`).
   */
  webSocketImpl?: unknown;
}

/** Variables are optional exactly when the operation has no required ones. */
type VariablesArgument<Variables> = Record<string, never> extends Variables ? [Variables?] : [Variables];

/** Runs a query or mutation; throws ImprintError when the answer has errors. */
export async function request<Result, Variables extends Record<string, unknown>>(
  options: ClientOptions,
  document: TypedDocumentNode<Result, Variables>,
  ...[variables]: VariablesArgument<Variables>
): Promise<Result> {
  const response = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
  });
  const body = (await response.json()) as { data?: Result | null; errors?: ImprintErrorEntry[] };
  if (body.errors?.length || body.data == null) {
    throw new ImprintError(response.status, body.errors ?? []);
  }
  return body.data;
}

/**
 * Runs a subscription over `<url>/ws` (graphql-transport-ws, the token in
 * `connection_init`) and yields each event's data; throws ImprintError on
 * an error. Leaving the loop (`break`) ends the subscription and closes
 * the socket.
 */
export async function* subscribe<Result, Variables extends Record<string, unknown>>(
  options: ClientOptions,
  document: TypedDocumentNode<Result, Variables>,
  ...[variables]: VariablesArgument<Variables>
): AsyncGenerator<Result, void, undefined> {
  const client = createClient({
    url: `${options.url.replace(/^http/, 'ws')}/ws`,
    connectionParams: options.token ? { token: options.token } : {},
    webSocketImpl: options.webSocketImpl,
    retryAttempts: 0,
  });
  try {
    for await (const event of client.iterate<Result>({ query: print(document), variables: variables ?? {} })) {
      if (event.errors?.length || event.data == null) {
        throw new ImprintError(200, (event.errors ?? []) as ImprintErrorEntry[]);
      }
      yield event.data;
    }
  } catch (error) {
    // graphql-ws throws the `error` message's list when the server refuses
    // the operation (a validation error, say).
    if (Array.isArray(error)) throw new ImprintError(200, error as ImprintErrorEntry[]);
    throw error;
  } finally {
    await client.dispose();
  }
}
