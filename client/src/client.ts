// A small typed client for Imprint's GraphQL over HTTP: pass one of the
// generated documents (src/gql), and TypeScript checks the variables and
// knows the shape of the answer.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

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
}

/** Runs a query or mutation; throws ImprintError when the answer has errors. */
export async function request<Result, Variables extends Record<string, unknown>>(
  options: ClientOptions,
  document: TypedDocumentNode<Result, Variables>,
  ...[variables]: Record<string, never> extends Variables ? [Variables?] : [Variables]
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
