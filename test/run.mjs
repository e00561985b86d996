// Runs every test file (test/**/*.test.ts) with node's test runner and tsx.
// Arguments narrow the run: `npm test -- test/accounts` or a single file.
// At the end it repeats the counts the adversarial suite printed (routes x
// roles, payloads x fields, fast-check runs, crash cycles, pages checked).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'bench' || name === 'node_modules' ? [] : walk(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const SUMMARY = /^\s*#?\s*(route inventory|hostile input|hostile text in Chromium|fast-check|crash safety|axe-core|browser tests skipped|npm run demo)[^:]*:/;

const targets = process.argv.slice(2);
const files = (targets.length ? targets : ['test']).flatMap((t) => (statSync(t).isDirectory() ? walk(t) : [t])).sort();
const where = process.env.TEST_DATABASE_URL ? `PostgreSQL server (${new URL(process.env.TEST_DATABASE_URL).host})` : 'embedded PostgreSQL';
console.log(`Running ${files.length} test files on the ${where}`);

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, '--test-timeout=600000', ...files],
  { stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'test' } },
);
const summary = new Set();
createInterface({ input: child.stdout }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  if (SUMMARY.test(line)) summary.add(line.replace(/^\s*#?\s*/, ''));
});
child.on('close', (code) => {
  if (summary.size > 0) {
    console.log('\nAdversarial and browser checks:');
    for (const line of summary) console.log(`  ${line}`);
  }
  process.exit(code ?? 1);
});
