// How the benchmark talks to a server: signing in through the real form,
// load with autocannon (percentiles from every response time), and timed
// downloads with the server's memory sampled while they stream.
import autocannon from 'autocannon';
import { parse } from 'csv-parse';
import { rssOf } from './processes.ts';

/**
 * Factdesk runs with NODE_ENV=production, so its session cookie is Secure:
 * it trusts one proxy (TRUST_PROXY=1) and every request says it came over HTTPS.
 */
export const PROXY_HEADERS = { 'X-Forwarded-Proto': 'https' } as const;

/** A signed-in browser session: the cookie and the session's CSRF token. */
export interface Session {
  email: string;
  cookie: string;
  csrf: string;
}

function cookieFrom(res: Response, previous: string): string {
  const sid = res.headers.getSetCookie().find((c) => c.startsWith('factdesk.sid='));
  return sid ? sid.split(';')[0]! : previous;
}

function csrfFrom(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no _csrf input in the page');
  return token;
}

/** Signs in through the sign-in form (GET /login, POST /login) and reads the new session's CSRF token. */
export async function signIn(base: string, email: string, password: string): Promise<Session> {
  const page = await fetch(`${base}/login`, { headers: PROXY_HEADERS, redirect: 'manual' });
  let cookie = cookieFrom(page, '');
  const token = csrfFrom(await page.text());
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...PROXY_HEADERS, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, _csrf: token }).toString(),
  });
  await res.arrayBuffer();
  if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}`);
  cookie = cookieFrom(res, cookie);
  const account = await fetch(`${base}/account`, { headers: { ...PROXY_HEADERS, Cookie: cookie }, redirect: 'manual' });
  if (account.status !== 200) throw new Error(`GET /account after sign-in answered ${account.status}`);
  return { email, cookie, csrf: csrfFrom(await account.text()) };
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function cannon(opts: autocannon.Options, onResponse?: (ms: number, status: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    if (onResponse) instance.on('response', (_client, status, _bytes, ms) => onResponse(ms, status));
  });
}

/** GETs `url` from `connections` connections: `warmup` seconds unmeasured, then `duration` seconds measured. */
export async function load(url: string, headers: Record<string, string>, o: { connections: number; duration: number; warmup: number }): Promise<LoadResult> {
  const base = { url, headers: { ...PROXY_HEADERS, ...headers }, connections: o.connections, timeout: 30 };
  if (o.warmup > 0) await cannon({ ...base, duration: o.warmup });
  const times: number[] = [];
  let non2xx = 0;
  const result = await cannon({ ...base, duration: o.duration }, (ms, status) => {
    times.push(ms);
    if (status < 200 || status >= 300) non2xx++;
  });
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: times.length,
    rps: round(times.length / result.duration),
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    p99: round(percentile(times, 99)),
    non2xx,
    errors: result.errors + result.timeouts,
  };
}

export interface DownloadResult {
  status: number;
  bytes: number;
  rows: number | null;
  firstByteMs: number;
  totalMs: number;
  rowsPerSecond: number | null;
  /** Peak VmRSS of the serving process during the download minus its value just before. */
  peakRssGrowthMb: number | null;
  body?: Buffer;
}

/**
 * Downloads `url`, timing the first body byte and the end, counting CSV
 * records as they arrive (header excluded) when `csv`, and sampling the
 * server's RSS every 20 ms when `pid` is given.
 */
export async function download(url: string, headers: Record<string, string>, o: { pid?: number; csv: boolean; keepBody?: boolean }): Promise<DownloadResult> {
  const before = o.pid ? rssOf(o.pid) : 0;
  let peak = before;
  const sampler = o.pid ? setInterval(() => (peak = Math.max(peak, rssOf(o.pid!))), 20) : null;
  const started = performance.now();
  let firstByteMs = -1;
  let bytes = 0;
  let records = 0;
  const chunks: Buffer[] = [];
  const parser = o.csv ? parse({ relax_column_count: true, bom: true }) : null;
  parser?.on('data', () => records++);
  const parsed = parser ? new Promise<void>((resolve, reject) => parser.on('end', resolve).on('error', reject)) : Promise.resolve();
  try {
    const res = await fetch(url, { headers: { ...PROXY_HEADERS, ...headers } });
    if (!res.body) throw new Error(`no body from ${url}`);
    for await (const chunk of res.body) {
      if (firstByteMs < 0) firstByteMs = performance.now() - started;
      const buf = Buffer.from(chunk);
      bytes += buf.length;
      parser?.write(buf);
      if (o.keepBody) chunks.push(buf);
    }
    const totalMs = performance.now() - started;
    parser?.end();
    await parsed;
    const rows = parser ? Math.max(0, records - 1) : null;
    return {
      status: res.status,
      bytes,
      rows,
      firstByteMs: Math.round(firstByteMs),
      totalMs: Math.round(totalMs),
      rowsPerSecond: rows === null ? null : Math.round(rows / (totalMs / 1000)),
      peakRssGrowthMb: o.pid ? Math.round(((peak - before) / 1048576) * 10) / 10 : null,
      ...(o.keepBody ? { body: Buffer.concat(chunks) } : {}),
    };
  } finally {
    if (sampler) clearInterval(sampler);
  }
}
