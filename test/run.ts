// Runs every test file (test/**/*.test.ts) with node's test runner and tsx.
// Arguments narrow the run: `npm test -- test/accounts` or a single file.
// Without TEST_DATABASE_URL it starts one embedded PostgreSQL server for the
// whole run (each test file works in a schema of its own on it) and stops it
// at the end. At the end it repeats the counts the adversarial suite printed
// (routes x roles, payloads x fields, fast-check runs, crash cycles, pages checked).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { EMBEDDED_URL_VARIABLE, startOwnEmbedded } from './support/database.ts';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'bench' || name === 'node_modules' ? [] : walk(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const SUMMARY = /^\s*#?\s*(route inventory|hostile input|hostile text in Chromium|fast-check|crash safety|first start|axe-core|browser tests skipped|npm run demo|stalled download|no TCP|backup|runtime role)[^:]*:/;

const targets = process.argv.slice(2);
const files = (targets.length ? targets : ['test']).flatMap((t) => (statSync(t).isDirectory() ? walk(t) : [t])).sort();
const started = Date.now();
const embedded = process.env.TEST_DATABASE_URL ? undefined : await startOwnEmbedded();
const where = embedded ? `the embedded PostgreSQL (started in ${((Date.now() - started) / 1000).toFixed(1)} s)` : `the PostgreSQL server (${new URL(process.env.TEST_DATABASE_URL!).host})`;
console.log(`Running ${files.length} test files on ${where}`);

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, '--test-timeout=600000', ...files],
  { stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'test', ...(embedded ? { [EMBEDDED_URL_VARIABLE]: embedded.url } : {}) } },
);
// Ctrl-C reaches the test files too; the runner waits for them, then stops the server.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
const summary = new Set<string>();
createInterface({ input: child.stdout! }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  if (SUMMARY.test(line)) summary.add(line.replace(/^\s*#?\s*/, ''));
});
child.on('close', (code) => {
  if (summary.size > 0) {
    console.log('\nAdversarial and browser checks:');
    for (const line of summary) console.log(`  ${line}`);
  }
  console.log(`\nThe whole run took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  void (embedded?.stop() ?? Promise.resolve()).finally(() => process.exit(code ?? 1));
});
