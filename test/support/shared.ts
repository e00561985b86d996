import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './process.ts';

/** ../shared, beside the project (or SHARED_DIR): real inputs (fixtures, data) that tests read but never copy. */
export const SHARED = process.env.SHARED_DIR ? path.resolve(process.env.SHARED_DIR) : path.resolve(ROOT, '..', 'shared');

/** The text of a shared file, or null when it is absent (the test then skips, saying why). */
export function readShared(relative: string): string | null {
  const file = path.join(SHARED, relative);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

/** A skip reason for node:test when a shared file is missing, else false. */
export function missingShared(relative: string): string | false {
  return existsSync(path.join(SHARED, relative)) ? false : `${relative} not found in ${SHARED}: this test needs the shared fixtures`;
}

/** The XSS polyglot payloads, one per line. */
export function xssPayloads(): string[] {
  return (readShared('data/xss-polyglots.txt') ?? '').split('\n').filter((l) => l.trim() !== '');
}
