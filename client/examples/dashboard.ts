// Logs in and prints where the publication stands:
//   node dist/examples/dashboard.js http://127.0.0.1:8080/graphql editor@imprint.test imprint-demo
import { DashboardDocument, ImprintError, LoginDocument, request } from '../src/index.js';

const [url = 'http://127.0.0.1:8080/graphql', email = 'editor@imprint.test', password = 'imprint-demo'] =
  process.argv.slice(2);

try {
  const { login } = await request({ url }, LoginDocument, { email, password });
  const { publicationStatus } = await request({ url, token: login.token }, DashboardDocument);
  console.log(`${login.user.displayName} sees:`);
  for (const { stage, papers } of publicationStatus.papersByStage) {
    console.log(`  ${stage.padEnd(12)} ${papers}`);
  }
  console.log(`  overdue tasks: ${publicationStatus.overdueTasks}`);
} catch (error) {
  // An answer with errors: `code` is its extensions.code (FORBIDDEN, ...).
  if (!(error instanceof ImprintError)) throw error;
  console.error(`${error.code}: ${error.message}`);
  process.exit(1);
}
