import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The rule messages ESLint gives a piece of code as if it were the file at `file` (which need not exist). */
async function restrictedImports(eslint: ESLint, file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/**
 * The house's one-way stack is held by the lint (eslint.config.js): a room
 * that imports a room above it fails `npm run lint`. These cases run the real
 * configuration through ESLint's Node API, so a zone that stops matching
 * fails here instead of going quiet.
 */
describe('the lint keeps the rooms of server/ one-way', () => {
  const eslint = new ESLint({ cwd: ROOT });

  const refused: [string, string][] = [
    ['server/claims/example.ts', "import { TRANSITIONS } from '../review/states.ts';"],
    ['server/claims/example.ts', "import type { SheetRow } from '../exports/sheet.repo.ts';"],
    ['server/platform/example.ts', "import { findClaim } from '../claims/claims.repo.ts';"],
    ['server/sources/example.ts', "export { renderClaimPage } from '../pages/claim-page.ts';"],
    ['server/review/example.ts', "import { renderQueue } from '../pages/queue-page.ts';"],
    ['server/reports/example.ts', "import { reanchorReportClaims } from '../claims/reanchor.ts';"],
    ['server/audit/example.ts', "import { STATUSES } from '../claims/statuses.ts';"],
  ];
  for (const [file, code] of refused) {
    test(`${file}: \`${code}\` is refused`, async () => {
      const messages = await restrictedImports(eslint, file, code);
      assert.equal(messages.length, 1, `expected one no-restricted-imports error, got ${JSON.stringify(messages)}`);
      assert.match(messages[0]!, /one-way stack/);
    });
  }

  const allowed: [string, string][] = [
    ['server/review/example.ts', "import { STATUSES } from '../claims/statuses.ts';"],
    ['server/claims/example.ts', "import { findReport } from '../reports/reports.repo.ts';"],
    ['server/pages/example.ts', "import { reviewPanel } from '../review/review-panel.ts';"],
    ['server/exports/example.ts', "import type { Claim } from '../claims/claims.repo.ts';"],
    ['server/app.ts', "import { pagesRoutes } from './pages/pages.routes.ts';"],
    ['test/claims/example.test.ts', "import { TRANSITIONS } from '../../server/review/states.ts';"],
  ];
  for (const [file, code] of allowed) {
    test(`${file}: \`${code}\` is allowed`, async () => {
      assert.deepEqual(await restrictedImports(eslint, file, code), []);
    });
  }
});
