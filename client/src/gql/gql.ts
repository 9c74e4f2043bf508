/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation AcceptTranslation($id: ID!) {\n  acceptTranslation(id: $id) {\n    id\n    status\n    paper {\n      id\n      texts {\n        language\n        title\n        stale\n      }\n    }\n  }\n}": typeof types.AcceptTranslationDocument,
    "mutation ClaimTranslationTask($id: ID!) {\n  claimTranslationTask(id: $id) {\n    id\n    status\n    leaseExpiresAt\n  }\n}": typeof types.ClaimTranslationTaskDocument,
    "mutation CorrectPaper($id: ID!, $expectedVersion: Int!, $input: CorrectionInput!, $note: String!) {\n  correctPaper(\n    id: $id\n    expectedVersion: $expectedVersion\n    input: $input\n    note: $note\n  ) {\n    id\n    version\n    correctedAt\n    correctionNote\n  }\n}": typeof types.CorrectPaperDocument,
    "mutation CreatePaper($input: CreatePaperInput!) {\n  createPaper(input: $input) {\n    id\n    slug\n    version\n    stage\n    availableTransitions {\n      to\n      allowed\n      unmetGuards\n    }\n  }\n}": typeof types.CreatePaperDocument,
    "mutation CreateTranslationTask($paperId: ID!, $targetLanguage: String!, $kind: TaskKind!, $dueAt: DateTime) {\n  createTranslationTask(\n    paperId: $paperId\n    targetLanguage: $targetLanguage\n    kind: $kind\n    dueAt: $dueAt\n  ) {\n    id\n    status\n    kind\n    targetLanguage\n  }\n}": typeof types.CreateTranslationTaskDocument,
    "query Dashboard($filter: PublicationStatusFilter) {\n  publicationStatus(filter: $filter) {\n    papersByStage {\n      stage\n      papers\n    }\n    tasks {\n      status\n      targetLanguage\n      tasks\n    }\n    overdueTasks\n    reviewsRequested\n    reviewsOverdue\n    publishedPerMonth {\n      month\n      papers\n    }\n    submissionToPublication {\n      samples\n      medianHours\n      p90Hours\n    }\n  }\n}": typeof types.DashboardDocument,
    "mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    user {\n      id\n      displayName\n      roles\n    }\n  }\n}": typeof types.LoginDocument,
    "mutation MovePaper($id: ID!, $to: Stage!, $expectedVersion: Int!, $note: String) {\n  movePaper(id: $id, to: $to, expectedVersion: $expectedVersion, note: $note) {\n    id\n    stage\n    version\n  }\n}": typeof types.MovePaperDocument,
    "query OpenTranslationTasks($targetLanguage: String!, $first: Int = 20, $after: String) {\n  translationTasks(\n    filter: {statuses: [OPEN], targetLanguage: $targetLanguage}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        kind\n        sourceLanguage\n        dueAt\n        paper {\n          id\n          slug\n          originalLanguage\n        }\n      }\n    }\n  }\n}": typeof types.OpenTranslationTasksDocument,
    "subscription PaperEvents($seriesId: ID, $after: String) {\n  paperEvents(seriesId: $seriesId, after: $after) {\n    cursor\n    kind\n    paper {\n      id\n      slug\n      stage\n    }\n    from\n    to\n    at\n  }\n}": typeof types.PaperEventsDocument,
    "query PaperRevisions($slug: String!) {\n  paper(slug: $slug) {\n    correctedAt\n    correctionNote\n    revisions {\n      number\n      kind\n      at\n      note\n      texts {\n        language\n        title\n        abstract\n        keyFindings\n      }\n    }\n  }\n}": typeof types.PaperRevisionsDocument,
    "mutation PublishPaper($id: ID!, $expectedVersion: Int!) {\n  movePaper(id: $id, to: PUBLISHED, expectedVersion: $expectedVersion) {\n    id\n    slug\n    stage\n    version\n    publishedAt\n  }\n}": typeof types.PublishPaperDocument,
    "query PublishedPaper($slug: String!, $language: String!) {\n  paper(slug: $slug) {\n    slug\n    publishedAt\n    series {\n      slug\n      title\n    }\n    contributors {\n      name\n      position\n      affiliation\n    }\n    text(language: $language) {\n      title\n      abstract\n      keyFindings\n    }\n  }\n}": typeof types.PublishedPaperDocument,
    "mutation RequestReview($paperId: ID!, $reviewerId: ID!, $dueAt: DateTime) {\n  requestReview(paperId: $paperId, reviewerId: $reviewerId, dueAt: $dueAt) {\n    id\n    status\n    round\n  }\n}": typeof types.RequestReviewDocument,
    "mutation ReschedulePaper($id: ID!, $expectedVersion: Int!, $publishAt: DateTime!, $note: String!) {\n  reschedulePaper(\n    id: $id\n    expectedVersion: $expectedVersion\n    publishAt: $publishAt\n    note: $note\n  ) {\n    id\n    stage\n    version\n    publishAt\n  }\n}": typeof types.ReschedulePaperDocument,
    "mutation SchedulePaper($id: ID!, $expectedVersion: Int!, $publishAt: DateTime!) {\n  movePaper(\n    id: $id\n    to: PUBLISHED\n    expectedVersion: $expectedVersion\n    publishAt: $publishAt\n  ) {\n    id\n    stage\n    version\n    publishAt\n  }\n}": typeof types.SchedulePaperDocument,
    "query SearchPapers($search: String!, $first: Int = 20, $after: String) {\n  papers(\n    filter: {search: $search}\n    orderBy: {field: UPDATED_AT, direction: DESC}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        slug\n        stage\n        texts {\n          language\n          title\n        }\n      }\n    }\n  }\n}": typeof types.SearchPapersDocument,
    "mutation SubmitReview($id: ID!, $recommendation: Recommendation!, $comments: String!) {\n  submitReview(id: $id, recommendation: $recommendation, comments: $comments) {\n    id\n    status\n    recommendation\n  }\n}": typeof types.SubmitReviewDocument,
    "mutation SubmitTranslation($id: ID!, $input: TranslationInput!) {\n  submitTranslation(id: $id, input: $input) {\n    id\n    status\n    submission {\n      title\n      abstract\n      keyFindings\n    }\n  }\n}": typeof types.SubmitTranslationDocument,
};
const documents: Documents = {
    "mutation AcceptTranslation($id: ID!) {\n  acceptTranslation(id: $id) {\n    id\n    status\n    paper {\n      id\n      texts {\n        language\n        title\n        stale\n      }\n    }\n  }\n}": types.AcceptTranslationDocument,
    "mutation ClaimTranslationTask($id: ID!) {\n  claimTranslationTask(id: $id) {\n    id\n    status\n    leaseExpiresAt\n  }\n}": types.ClaimTranslationTaskDocument,
    "mutation CorrectPaper($id: ID!, $expectedVersion: Int!, $input: CorrectionInput!, $note: String!) {\n  correctPaper(\n    id: $id\n    expectedVersion: $expectedVersion\n    input: $input\n    note: $note\n  ) {\n    id\n    version\n    correctedAt\n    correctionNote\n  }\n}": types.CorrectPaperDocument,
    "mutation CreatePaper($input: CreatePaperInput!) {\n  createPaper(input: $input) {\n    id\n    slug\n    version\n    stage\n    availableTransitions {\n      to\n      allowed\n      unmetGuards\n    }\n  }\n}": types.CreatePaperDocument,
    "mutation CreateTranslationTask($paperId: ID!, $targetLanguage: String!, $kind: TaskKind!, $dueAt: DateTime) {\n  createTranslationTask(\n    paperId: $paperId\n    targetLanguage: $targetLanguage\n    kind: $kind\n    dueAt: $dueAt\n  ) {\n    id\n    status\n    kind\n    targetLanguage\n  }\n}": types.CreateTranslationTaskDocument,
    "query Dashboard($filter: PublicationStatusFilter) {\n  publicationStatus(filter: $filter) {\n    papersByStage {\n      stage\n      papers\n    }\n    tasks {\n      status\n      targetLanguage\n      tasks\n    }\n    overdueTasks\n    reviewsRequested\n    reviewsOverdue\n    publishedPerMonth {\n      month\n      papers\n    }\n    submissionToPublication {\n      samples\n      medianHours\n      p90Hours\n    }\n  }\n}": types.DashboardDocument,
    "mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    user {\n      id\n      displayName\n      roles\n    }\n  }\n}": types.LoginDocument,
    "mutation MovePaper($id: ID!, $to: Stage!, $expectedVersion: Int!, $note: String) {\n  movePaper(id: $id, to: $to, expectedVersion: $expectedVersion, note: $note) {\n    id\n    stage\n    version\n  }\n}": types.MovePaperDocument,
    "query OpenTranslationTasks($targetLanguage: String!, $first: Int = 20, $after: String) {\n  translationTasks(\n    filter: {statuses: [OPEN], targetLanguage: $targetLanguage}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        kind\n        sourceLanguage\n        dueAt\n        paper {\n          id\n          slug\n          originalLanguage\n        }\n      }\n    }\n  }\n}": types.OpenTranslationTasksDocument,
    "subscription PaperEvents($seriesId: ID, $after: String) {\n  paperEvents(seriesId: $seriesId, after: $after) {\n    cursor\n    kind\n    paper {\n      id\n      slug\n      stage\n    }\n    from\n    to\n    at\n  }\n}": types.PaperEventsDocument,
    "query PaperRevisions($slug: String!) {\n  paper(slug: $slug) {\n    correctedAt\n    correctionNote\n    revisions {\n      number\n      kind\n      at\n      note\n      texts {\n        language\n        title\n        abstract\n        keyFindings\n      }\n    }\n  }\n}": types.PaperRevisionsDocument,
    "mutation PublishPaper($id: ID!, $expectedVersion: Int!) {\n  movePaper(id: $id, to: PUBLISHED, expectedVersion: $expectedVersion) {\n    id\n    slug\n    stage\n    version\n    publishedAt\n  }\n}": types.PublishPaperDocument,
    "query PublishedPaper($slug: String!, $language: String!) {\n  paper(slug: $slug) {\n    slug\n    publishedAt\n    series {\n      slug\n      title\n    }\n    contributors {\n      name\n      position\n      affiliation\n    }\n    text(language: $language) {\n      title\n      abstract\n      keyFindings\n    }\n  }\n}": types.PublishedPaperDocument,
    "mutation RequestReview($paperId: ID!, $reviewerId: ID!, $dueAt: DateTime) {\n  requestReview(paperId: $paperId, reviewerId: $reviewerId, dueAt: $dueAt) {\n    id\n    status\n    round\n  }\n}": types.RequestReviewDocument,
    "mutation ReschedulePaper($id: ID!, $expectedVersion: Int!, $publishAt: DateTime!, $note: String!) {\n  reschedulePaper(\n    id: $id\n    expectedVersion: $expectedVersion\n    publishAt: $publishAt\n    note: $note\n  ) {\n    id\n    stage\n    version\n    publishAt\n  }\n}": types.ReschedulePaperDocument,
    "mutation SchedulePaper($id: ID!, $expectedVersion: Int!, $publishAt: DateTime!) {\n  movePaper(\n    id: $id\n    to: PUBLISHED\n    expectedVersion: $expectedVersion\n    publishAt: $publishAt\n  ) {\n    id\n    stage\n    version\n    publishAt\n  }\n}": types.SchedulePaperDocument,
    "query SearchPapers($search: String!, $first: Int = 20, $after: String) {\n  papers(\n    filter: {search: $search}\n    orderBy: {field: UPDATED_AT, direction: DESC}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        slug\n        stage\n        texts {\n          language\n          title\n        }\n      }\n    }\n  }\n}": types.SearchPapersDocument,
    "mutation SubmitReview($id: ID!, $recommendation: Recommendation!, $comments: String!) {\n  submitReview(id: $id, recommendation: $recommendation, comments: $comments) {\n    id\n    status\n    recommendation\n  }\n}": types.SubmitReviewDocument,
    "mutation SubmitTranslation($id: ID!, $input: TranslationInput!) {\n  submitTranslation(id: $id, input: $input) {\n    id\n    status\n    submission {\n      title\n      abstract\n      keyFindings\n    }\n  }\n}": types.SubmitTranslationDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AcceptTranslation($id: ID!) {\n  acceptTranslation(id: $id) {\n    id\n    status\n    paper {\n      id\n      texts {\n        language\n        title\n        stale\n      }\n    }\n  }\n}"): (typeof documents)["mutation AcceptTranslation($id: ID!) {\n  acceptTranslation(id: $id) {\n    id\n    status\n    paper {\n      id\n      texts {\n        language\n        title\n        stale\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ClaimTranslationTask($id: ID!) {\n  claimTranslationTask(id: $id) {\n    id\n    status\n    leaseExpiresAt\n  }\n}"): (typeof documents)["mutation ClaimTranslationTask($id: ID!) {\n  claimTranslationTask(id: $id) {\n    id\n    status\n    leaseExpiresAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CorrectPaper($id: ID!, $expectedVersion: Int!, $input: CorrectionInput!, $note: String!) {\n  correctPaper(\n    id: $id\n    expectedVersion: $expectedVersion\n    input: $input\n    note: $note\n  ) {\n    id\n    version\n    correctedAt\n    correctionNote\n  }\n}"): (typeof documents)["mutation CorrectPaper($id: ID!, $expectedVersion: Int!, $input: CorrectionInput!, $note: String!) {\n  correctPaper(\n    id: $id\n    expectedVersion: $expectedVersion\n    input: $input\n    note: $note\n  ) {\n    id\n    version\n    correctedAt\n    correctionNote\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreatePaper($input: CreatePaperInput!) {\n  createPaper(input: $input) {\n    id\n    slug\n    version\n    stage\n    availableTransitions {\n      to\n      allowed\n      unmetGuards\n    }\n  }\n}"): (typeof documents)["mutation CreatePaper($input: CreatePaperInput!) {\n  createPaper(input: $input) {\n    id\n    slug\n    version\n    stage\n    availableTransitions {\n      to\n      allowed\n      unmetGuards\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateTranslationTask($paperId: ID!, $targetLanguage: String!, $kind: TaskKind!, $dueAt: DateTime) {\n  createTranslationTask(\n    paperId: $paperId\n    targetLanguage: $targetLanguage\n    kind: $kind\n    dueAt: $dueAt\n  ) {\n    id\n    status\n    kind\n    targetLanguage\n  }\n}"): (typeof documents)["mutation CreateTranslationTask($paperId: ID!, $targetLanguage: String!, $kind: TaskKind!, $dueAt: DateTime) {\n  createTranslationTask(\n    paperId: $paperId\n    targetLanguage: $targetLanguage\n    kind: $kind\n    dueAt: $dueAt\n  ) {\n    id\n    status\n    kind\n    targetLanguage\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Dashboard($filter: PublicationStatusFilter) {\n  publicationStatus(filter: $filter) {\n    papersByStage {\n      stage\n      papers\n    }\n    tasks {\n      status\n      targetLanguage\n      tasks\n    }\n    overdueTasks\n    reviewsRequested\n    reviewsOverdue\n    publishedPerMonth {\n      month\n      papers\n    }\n    submissionToPublication {\n      samples\n      medianHours\n      p90Hours\n    }\n  }\n}"): (typeof documents)["query Dashboard($filter: PublicationStatusFilter) {\n  publicationStatus(filter: $filter) {\n    papersByStage {\n      stage\n      papers\n    }\n    tasks {\n      status\n      targetLanguage\n      tasks\n    }\n    overdueTasks\n    reviewsRequested\n    reviewsOverdue\n    publishedPerMonth {\n      month\n      papers\n    }\n    submissionToPublication {\n      samples\n      medianHours\n      p90Hours\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    user {\n      id\n      displayName\n      roles\n    }\n  }\n}"): (typeof documents)["mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    user {\n      id\n      displayName\n      roles\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MovePaper($id: ID!, $to: Stage!, $expectedVersion: Int!, $note: String) {\n  movePaper(id: $id, to: $to, expectedVersion: $expectedVersion, note: $note) {\n    id\n    stage\n    version\n  }\n}"): (typeof documents)["mutation MovePaper($id: ID!, $to: Stage!, $expectedVersion: Int!, $note: String) {\n  movePaper(id: $id, to: $to, expectedVersion: $expectedVersion, note: $note) {\n    id\n    stage\n    version\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OpenTranslationTasks($targetLanguage: String!, $first: Int = 20, $after: String) {\n  translationTasks(\n    filter: {statuses: [OPEN], targetLanguage: $targetLanguage}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        kind\n        sourceLanguage\n        dueAt\n        paper {\n          id\n          slug\n          originalLanguage\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query OpenTranslationTasks($targetLanguage: String!, $first: Int = 20, $after: String) {\n  translationTasks(\n    filter: {statuses: [OPEN], targetLanguage: $targetLanguage}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        kind\n        sourceLanguage\n        dueAt\n        paper {\n          id\n          slug\n          originalLanguage\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription PaperEvents($seriesId: ID, $after: String) {\n  paperEvents(seriesId: $seriesId, after: $after) {\n    cursor\n    kind\n    paper {\n      id\n      slug\n      stage\n    }\n    from\n    to\n    at\n  }\n}"): (typeof documents)["subscription PaperEvents($seriesId: ID, $after: String) {\n  paperEvents(seriesId: $seriesId, after: $after) {\n    cursor\n    kind\n    paper {\n      id\n      slug\n      stage\n    }\n    from\n    to\n    at\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PaperRevisions($slug: String!) {\n  paper(slug: $slug) {\n    correctedAt\n    correctionNote\n    revisions {\n      number\n      kind\n      at\n      note\n      texts {\n        language\n        title\n        abstract\n        keyFindings\n      }\n    }\n  }\n}"): (typeof documents)["query PaperRevisions($slug: String!) {\n  paper(slug: $slug) {\n    correctedAt\n    correctionNote\n    revisions {\n      number\n      kind\n      at\n      note\n      texts {\n        language\n        title\n        abstract\n        keyFindings\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PublishPaper($id: ID!, $expectedVersion: Int!) {\n  movePaper(id: $id, to: PUBLISHED, expectedVersion: $expectedVersion) {\n    id\n    slug\n    stage\n    version\n    publishedAt\n  }\n}"): (typeof documents)["mutation PublishPaper($id: ID!, $expectedVersion: Int!) {\n  movePaper(id: $id, to: PUBLISHED, expectedVersion: $expectedVersion) {\n    id\n    slug\n    stage\n    version\n    publishedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PublishedPaper($slug: String!, $language: String!) {\n  paper(slug: $slug) {\n    slug\n    publishedAt\n    series {\n      slug\n      title\n    }\n    contributors {\n      name\n      position\n      affiliation\n    }\n    text(language: $language) {\n      title\n      abstract\n      keyFindings\n    }\n  }\n}"): (typeof documents)["query PublishedPaper($slug: String!, $language: String!) {\n  paper(slug: $slug) {\n    slug\n    publishedAt\n    series {\n      slug\n      title\n    }\n    contributors {\n      name\n      position\n      affiliation\n    }\n    text(language: $language) {\n      title\n      abstract\n      keyFindings\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RequestReview($paperId: ID!, $reviewerId: ID!, $dueAt: DateTime) {\n  requestReview(paperId: $paperId, reviewerId: $reviewerId, dueAt: $dueAt) {\n    id\n    status\n    round\n  }\n}"): (typeof documents)["mutation RequestReview($paperId: ID!, $reviewerId: ID!, $dueAt: DateTime) {\n  requestReview(paperId: $paperId, reviewerId: $reviewerId, dueAt: $dueAt) {\n    id\n    status\n    round\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ReschedulePaper($id: ID!, $expectedVersion: Int!, $publishAt: DateTime!, $note: String!) {\n  reschedulePaper(\n    id: $id\n    expectedVersion: $expectedVersion\n    publishAt: $publishAt\n    note: $note\n  ) {\n    id\n    stage\n    version\n    publishAt\n  }\n}"): (typeof documents)["mutation ReschedulePaper($id: ID!, $expectedVersion: Int!, $publishAt: DateTime!, $note: String!) {\n  reschedulePaper(\n    id: $id\n    expectedVersion: $expectedVersion\n    publishAt: $publishAt\n    note: $note\n  ) {\n    id\n    stage\n    version\n    publishAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SchedulePaper($id: ID!, $expectedVersion: Int!, $publishAt: DateTime!) {\n  movePaper(\n    id: $id\n    to: PUBLISHED\n    expectedVersion: $expectedVersion\n    publishAt: $publishAt\n  ) {\n    id\n    stage\n    version\n    publishAt\n  }\n}"): (typeof documents)["mutation SchedulePaper($id: ID!, $expectedVersion: Int!, $publishAt: DateTime!) {\n  movePaper(\n    id: $id\n    to: PUBLISHED\n    expectedVersion: $expectedVersion\n    publishAt: $publishAt\n  ) {\n    id\n    stage\n    version\n    publishAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SearchPapers($search: String!, $first: Int = 20, $after: String) {\n  papers(\n    filter: {search: $search}\n    orderBy: {field: UPDATED_AT, direction: DESC}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        slug\n        stage\n        texts {\n          language\n          title\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query SearchPapers($search: String!, $first: Int = 20, $after: String) {\n  papers(\n    filter: {search: $search}\n    orderBy: {field: UPDATED_AT, direction: DESC}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        slug\n        stage\n        texts {\n          language\n          title\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SubmitReview($id: ID!, $recommendation: Recommendation!, $comments: String!) {\n  submitReview(id: $id, recommendation: $recommendation, comments: $comments) {\n    id\n    status\n    recommendation\n  }\n}"): (typeof documents)["mutation SubmitReview($id: ID!, $recommendation: Recommendation!, $comments: String!) {\n  submitReview(id: $id, recommendation: $recommendation, comments: $comments) {\n    id\n    status\n    recommendation\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SubmitTranslation($id: ID!, $input: TranslationInput!) {\n  submitTranslation(id: $id, input: $input) {\n    id\n    status\n    submission {\n      title\n      abstract\n      keyFindings\n    }\n  }\n}"): (typeof documents)["mutation SubmitTranslation($id: ID!, $input: TranslationInput!) {\n  submitTranslation(id: $id, input: $input) {\n    id\n    status\n    submission {\n      title\n      abstract\n      keyFindings\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;