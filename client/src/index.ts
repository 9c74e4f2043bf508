export { request, subscribe, ImprintError, type ClientOptions, type ImprintErrorEntry } from './client.js';
export * from './gql/graphql.js';
