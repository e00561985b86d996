// Runs every test file (test/**/*.test.ts) with node's test runner and tsx.
// Arguments narrow the run: `npm test -- test/accounts` or a single file.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'bench' || name === 'node_modules' ? [] : walk(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const targets = process.argv.slice(2);
const files = (targets.length ? targets : ['test']).flatMap((t) => (statSync(t).isDirectory() ? walk(t) : [t])).sort();
const where = process.env.TEST_DATABASE_URL ? `PostgreSQL server (${new URL(process.env.TEST_DATABASE_URL).host})` : 'embedded PostgreSQL';
console.log(`Running ${files.length} test files on the ${where}`);

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, '--test-timeout=300000', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
