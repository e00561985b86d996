import type request from 'supertest';
import type { Db } from '../../server/platform/database.ts';
import { eventually } from '../support/eventually.ts';

/** Reads a binary response body into a Buffer (supertest leaves binaries unparsed otherwise). */
export const binary = (res: request.Test): request.Test =>
  res.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** The bytes of a Buffer as the ArrayBuffer exceljs's types ask for. */
export const arrayBufferOf = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/**
 * Waits until the export log holds `n` entries. An export is logged once its
 * response is over, a moment after the client has the file: a test waits for
 * that before it reads the log, or closes the database under it.
 */
export async function exportsLogged(db: Db, n: number): Promise<void> {
  await eventually(async () => (await exportLogSize(db)) >= n, { what: `${n} export log entries` });
}

/**
 * Waits until the export log stops growing (no new entry for 150 ms): the
 * last download's entry is written a moment after the client has the file,
 * and closing the database under it would only make noise.
 */
export async function exportsSettled(db: Db): Promise<void> {
  let last = -1; // the first look only takes the count; each later one compares it with the one 150 ms before
  const steady = async () => {
    const now = await exportLogSize(db);
    const same = now === last;
    last = now;
    return same;
  };
  // A log still growing after 4.5 s is left to the test's own checks.
  await eventually(steady, { timeout: 4_500, interval: 150 }).catch(() => undefined);
}

const exportLogSize = async (db: Db) => Number((await db('export_log').count<{ n: number }[]>('* as n'))[0]!.n);

/** Signs in through the sign-in form of a listening server and returns the session cookie, for a raw HTTP client. */
export async function sessionCookie(base: string, email: string, password: string): Promise<string> {
  const cookieOf = (res: Response, previous: string) => res.headers.getSetCookie().find((c) => c.startsWith('factdesk.sid='))?.split(';')[0] ?? previous;
  const page = await fetch(`${base}/login`, { redirect: 'manual' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on the sign-in page');
  const cookie = cookieOf(page, '');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, _csrf: csrf }).toString(),
  });
  await res.arrayBuffer();
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  return cookieOf(res, cookie);
}
