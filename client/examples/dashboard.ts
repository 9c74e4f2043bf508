// Logs in and prints where the publication stands.
//
//   node dist/examples/dashboard.js http://127.0.0.1:8080/graphql editor@imprint.test imprint-demo
import { DashboardDocument, ImprintError, LoginDocument, request } from '../src/index.js';

const [url = 'http://127.0.0.1:8080/graphql', email = 'editor@imprint.test', password = 'imprint-demo'] =
  process.argv.slice(2);

try {
  const { login } = await request({ url }, LoginDocument, { email, password });
  console.log(`logged in as ${login.user.displayName} (${login.user.roles?.join(', ')})`);

  const { publicationStatus } = await request({ url, token: login.token }, DashboardDocument);
  for (const { stage, papers } of publicationStatus.papersByStage) {
    console.log(`${stage.padEnd(12)} ${papers}`);
  }
  console.log(`overdue tasks: ${publicationStatus.overdueTasks}, reviews requested: ${publicationStatus.reviewsRequested}`);
} catch (error) {
  if (error instanceof ImprintError) {
    console.error(`${error.code ?? 'ERROR'}: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
