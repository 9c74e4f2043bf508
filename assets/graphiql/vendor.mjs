// Copies the browser bundles GraphiQL needs from node_modules (installed from
// package-lock.json by `npm ci`) into public/, which the server embeds at
// build time. With --check it copies nothing and fails when public/ differs
// from the locked packages, so CI proves the checked-in files are exactly the
// pinned releases.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** [file in node_modules, file in public/] */
const files = [
  ['react/umd/react.production.min.js', 'react.production.min.js'],
  ['react/LICENSE', 'licenses/react.txt'],
  ['react-dom/umd/react-dom.production.min.js', 'react-dom.production.min.js'],
  ['react-dom/LICENSE', 'licenses/react-dom.txt'],
  ['graphiql/graphiql.min.js', 'graphiql.min.js'],
  ['graphiql/graphiql.min.css', 'graphiql.min.css'],
  ['graphiql/LICENSE', 'licenses/graphiql.txt'],
];

const check = process.argv.includes('--check');
let stale = 0;
for (const [from, to] of files) {
  const source = readFileSync(join(here, 'node_modules', from));
  const target = join(here, 'public', to);
  if (check) {
    let current = null;
    try {
      current = readFileSync(target);
    } catch {
      // missing: reported below
    }
    if (current === null || !current.equals(source)) {
      console.error(`public/${to} is not node_modules/${from}: run \`npm ci && npm run vendor\``);
      stale += 1;
    }
  } else {
    writeFileSync(target, source);
    console.log(`public/${to} <- node_modules/${from}`);
  }
}
if (stale > 0) process.exit(1);
if (check) console.log(`public/ holds the ${files.length} locked files`);
