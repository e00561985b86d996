import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportFileName } from '../../server/exports/filenames.ts';
import { neutraliseCell } from '../../server/exports/neutralise.ts';

describe('formula neutralisation', () => {
  const dangerous = ['=HYPERLINK("http://x","y")', '+1+1', '-2', '@SUM(A1)', '\t=1', '\r=1', '\n=1', '  =1+1', '\u00a0@cmd', ' -3'];
  for (const value of dangerous) {
    test(`${JSON.stringify(value)} is shown as text`, () => assert.equal(neutraliseCell(value), `'${value}`));
  }
  const safe = ['Plain text', '1+1', 'e=mc2', 'A claim about -2 degrees', '', "'already quoted", 'Кирилл'];
  for (const value of safe) {
    test(`${JSON.stringify(value)} is left as it is`, () => assert.equal(neutraliseCell(value), value));
  }
});

describe('export file names', () => {
  const day = new Date('2026-11-24T10:00:00Z');
  const cases: [string | null, string][] = [
    ['US has been working on a 28-point plan', 'factdesk-us-has-been-working-on-a-28-point-plan-2026-11-24.csv'],
    ['Zoë’s café: “news”', 'factdesk-zoe-s-cafe-news-2026-11-24.csv'],
    ['../../etc/passwd', 'factdesk-etc-passwd-2026-11-24.csv'],
    ['"; filename="evil.exe\r\nX-Injected: 1', 'factdesk-filename-evil-exe-x-injected-1-2026-11-24.csv'],
    ['Кирилл Дмитриев', 'factdesk-claims-2026-11-24.csv'],
    [null, 'factdesk-claims-2026-11-24.csv'],
    ['x'.repeat(200), `factdesk-${'x'.repeat(60)}-2026-11-24.csv`],
  ];
  for (const [title, expected] of cases) {
    test(`${JSON.stringify(title)?.slice(0, 40)} -> ${expected.slice(0, 50)}`, () => assert.equal(exportFileName(title, day, 'csv'), expected));
  }
});
