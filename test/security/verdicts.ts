/**
 * Reading a sqlmap run: what sqlmap concluded about each parameter, whether the run can be
 * trusted (its requests reached the signed-in app), and the app's 5xx answers under it.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Hit } from './app-under-test.ts';
import type { Run } from './run-sqlmap.ts';
import type { Target } from './targets.ts';

/** What sqlmap said about one parameter; 'not tested' fails the scan (it proves nothing). */
export type Verdict = 'injectable' | 'not injectable' | 'not tested';

/** A judged sqlmap run. */
export interface Outcome {
  run: Run;
  verdicts: Map<string, Verdict>;
  /** Why the run proves nothing (connection trouble, sign-in lost, a parameter left untested...). */
  problems: string[];
  /** Worth a look though not an injection: sqlmap's heuristics, 5xx answers. */
  notes: string[];
  requests: number;
  serverErrors: Hit[];
}

/** What one part of the judgement found. */
interface Findings {
  problems: string[];
  notes: string[];
}

/**
 * Per parameter: what sqlmap concluded (injectable, not injectable, or no verdict), whether the
 * run can be trusted (problems), and what is worth a look anyway (notes: sqlmap's heuristics,
 * findings it ruled out, the app's 5xx answers with the parameter and the error logged).
 */
export function judge(run: Run, hits: Hit[], base: string, logs: Record<string, unknown>[]): Outcome {
  const { verdicts, identifiedBlock, ...said } = readVerdicts(run.target, run.output);
  const complaints = readComplaints(run, [...verdicts.values()].includes('injectable'), identifiedBlock);
  const traffic = checkTraffic(run.target, hits);
  const serverErrors = hits.filter((h) => h.status >= 500 || h.status === 0);
  const notes = [...said.notes, ...complaints.notes, ...describeServerErrors(run, serverErrors, base, logs)];
  const codes = /HTTP error codes detected during run:\s*\n([^[]+)/.exec(run.output)?.[1]?.trim();
  if (codes && /^5\d\d \(/m.test(codes)) notes.push(`sqlmap saw HTTP errors: ${codes.replace(/\s*\n\s*/g, '; ')}`);
  const problems = [...said.problems, ...complaints.problems, ...traffic.problems];
  return { run, verdicts, problems, notes, requests: traffic.requests, serverErrors };
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** sqlmap's verdict on each parameter under test, and the injection points it reported. */
function readVerdicts(target: Target, output: string): Findings & { verdicts: Map<string, Verdict>; identifiedBlock: boolean } {
  const verdicts = new Map<string, Verdict>();
  const problems: string[] = [];
  const notes: string[] = [];

  // The block sqlmap prints when it found something: "Parameter: q (GET)" / "Parameter: #1* (URI)".
  const identified = new Set<string>();
  const block = output.indexOf('sqlmap identified the following injection point');
  const kinds: string[] = [];
  if (block !== -1) {
    const report = output.slice(block);
    for (const m of report.matchAll(/^Parameter: (.+?) \(([^)]+)\)\s*$/gm)) identified.add(m[1]!.trim());
    for (const m of report.matchAll(/^---\r?\nParameter: ([^\r\n]+)([\s\S]*?)^---/gm)) {
      const types = [...m[2]!.matchAll(/^\s+Type: (.+)$/gm)].map((t) => t[1]!.trim());
      kinds.push(`sqlmap identified ${m[1]!.trim()}: ${types.join(', ')}`);
    }
  }

  for (const name of target.test) {
    const p = escapeRe(name);
    // sqlmap's final word: the injection points it reports (after its own false-positive checks),
    // or the "is vulnerable, keep testing the others?" question it asks about each of them.
    const injectable = identified.has(name) || [...identified].some((i) => i.startsWith(`${name} `)) || new RegExp(`parameter '${p}' is vulnerable`).test(output);
    const clean = new RegExp(`parameter '${p}' does not seem to be injectable`).test(output);
    verdicts.set(name, injectable ? 'injectable' : clean ? 'not injectable' : 'not tested');
    if (!injectable && !clean) problems.push(`sqlmap gave no verdict for parameter '${name}'`);
    // A provisional finding sqlmap then dropped as a false positive: worth a look all the same.
    const provisional = new RegExp(`parameter '${p}' (?:is|appears to be) '([^']+)' injectable([^\\r\\n]*)`).exec(output);
    if (provisional && !injectable) notes.push(`sqlmap first found '${name}' ${provisional[1]} injectable${provisional[2]?.trim() ? ` ${provisional[2].trim()}` : ''}, then ruled it out`);
  }
  notes.push(...kinds);
  return { verdicts, identifiedBlock: block !== -1, problems, notes };
}

/** sqlmap's heuristics and errors, and how it ended: an error or a bad exit means the run cannot be trusted. */
function readComplaints(run: Run, found: boolean, identifiedBlock: boolean): Findings {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const line of run.output.split(/\r?\n/)) {
    if (/heuristic \(basic\) test shows that .* might be injectable/.test(line)) notes.push(`sqlmap: ${clip(line)}`);
    else if (/false positive or unexploitable/.test(line)) notes.push(`sqlmap: ${clip(line)}`);
    else if (/heuristic \((?:XSS|FI)\) test shows/.test(line)) notes.push(`sqlmap: ${clip(line)}`);
    else if (/\[(?:CRITICAL|ERROR)\]/.test(line)) {
      // The normal end of a clean run; and, once an injection is found, sqlmap's complaints about
      // exploiting it (e.g. time-based lag) do not change the verdict. Anything else (a connection
      // refused or timed out, a token not found, an unstable page) means the run cannot be trusted.
      if (/all tested parameters do not appear to be injectable/.test(line)) continue;
      if (found && /considerable lagging|time-based/.test(line)) notes.push(`sqlmap: ${clip(line)}`);
      else problems.push(`sqlmap: ${clip(line)}`);
    }
  }
  if (run.timedOut) problems.push('sqlmap ran out of time and was stopped');
  else if (run.exitCode === null) problems.push('sqlmap could not be started');
  else if (run.exitCode !== 0 && !/all tested parameters do not appear to be injectable/.test(run.output) && !identifiedBlock) problems.push(`sqlmap exited with code ${run.exitCode}`);
  return { problems, notes };
}

/**
 * Did the requests reach the signed-in app? The first request for the target's own page
 * is sqlmap's original request: it must have been answered as a signed-in user would be.
 */
function checkTraffic(target: Target, hits: Hit[]): { problems: string[]; requests: number } {
  const problems: string[] = [];
  const ownPath = target.path.replace('*', '');
  const own = hits.filter((h) => h.method === target.method && (target.path.includes('*') ? h.url.startsWith(ownPath) : pathOf(h.url) === ownPath));
  const first = own[0];
  const baseStatus = target.baseStatus ?? (target.method === 'GET' ? 200 : 303);
  if (!first) problems.push(`the app never saw sqlmap's ${target.method} ${ownPath}`);
  else if (first.status !== baseStatus || first.location.startsWith('/login'))
    problems.push(
      `the original ${target.method === 'GET' ? 'request' : 'form post'} answered ${first.status}${first.location ? ` to ${first.location}` : ''}, not ${baseStatus}` +
        (target.method === 'POST' && first.status === 400 ? ' (the form values do not pass validation)' : ''),
    );
  if (own.length < 20) problems.push(`only ${own.length} requests reached ${ownPath}: too few for a scan`);
  const signedOut = hits.filter((h) => h.status === 401 || h.location.startsWith('/login'));
  if (signedOut.length > 0) problems.push(`${signedOut.length} requests were sent to sign-in (session lost), e.g. ${clip(decode(signedOut[0]!.url))}`);
  const refused = hits.filter((h) => h.status === 403);
  if (refused.length > 0) problems.push(`${refused.length} requests were refused with 403 (CSRF token not accepted?), e.g. ${target.method} ${clip(decode(refused[0]!.url))}`);
  if (target.method === 'POST' && !hits.some((h) => h.method === 'GET' && pathOf(h.url) === target.csrfPage)) problems.push(`sqlmap never fetched the CSRF token page ${target.csrfPage}`);
  return { problems, requests: own.length };
}

/** Notes on the app's 5xx answers (or none): how many per parameter, and the first three with the error logged. */
function describeServerErrors(run: Run, serverErrors: Hit[], base: string, logs: Record<string, unknown>[]): string[] {
  if (serverErrors.length === 0) return [];
  const { target } = run;
  const notes: string[] = [];
  // Which parameter caused them: from the URL for a GET, from sqlmap's traffic log for a form.
  const posted = target.method === 'POST' ? postedBodies(run.trafficFile) : new Map<string, string>();
  const bodyOf = (h: Hit) => posted.get(h.requestId) ?? null;
  const byParam = new Map<string, number>();
  for (const h of serverErrors) {
    const body = bodyOf(h);
    const param = target.method === 'GET' ? changedParam(target, new URL(h.url, base).searchParams) : body !== null ? changedParam(target, new URLSearchParams(body)) : '(form field?)';
    byParam.set(param, (byParam.get(param) ?? 0) + 1);
  }
  notes.push(`the app answered ${serverErrors.length} requests with 5xx/no answer (${[...byParam].map(([k, n]) => `${k}: ${n}`).join(', ')})`);
  for (const h of serverErrors.slice(0, 3)) {
    const logged = logs.find((l) => l.reqId === h.requestId);
    const err = logged?.err as { message?: string } | undefined;
    const body = bodyOf(h);
    const sent = body !== null ? ` ${clip(decode(body).replace(/(^|&)_csrf=[^&]*/, '$1_csrf=…'), 160)}` : '';
    notes.push(`  ${h.status || 'no answer'} ${h.method} ${clip(decode(h.url), 160)}${sent}${err?.message ? ` -> ${clip(err.message, 200)}` : logged?.msg ? ` -> ${String(logged.msg)}` : ''}`);
  }
  return notes;
}

function pathOf(url: string): string {
  const i = url.indexOf('?');
  return i === -1 ? url : url.slice(0, i);
}

function decode(url: string): string {
  try {
    return decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    return url;
  }
}

/** Squeezes text onto one line of at most max characters, for the notes and the summary. */
export function clip(s: string, max = 140): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Which parameter differs from the original (the one sqlmap was attacking). */
function changedParam(target: Target, sent: URLSearchParams): string {
  if (target.path.includes('*')) return 'path id';
  const changed = target.test.filter((k) => sent.get(k) !== target.params.get(k));
  return changed.join('+') || '(original values)';
}

/**
 * The form bodies sqlmap posted, by the X-Request-Id the app answered with, from its
 * traffic log (-t): blocks of "HTTP request [#n]: ... body" then "HTTP response [#n] (...): headers".
 */
function postedBodies(trafficFile: string | null): Map<string, string> {
  const bodies = new Map<string, string>();
  if (!trafficFile || !existsSync(trafficFile)) return bodies;
  for (const block of readFileSync(trafficFile, 'utf8').split(/\r?\n#{76}\r?\n/)) {
    const request = /HTTP request \[#\d+\]:\r?\nPOST [^\r\n]*\r?\n[\s\S]*?\r?\n\r?\n([^\r\n]*)/.exec(block);
    const requestId = /^X-Request-Id: *([\w-]+)/im.exec(block);
    if (request?.[1] !== undefined && requestId?.[1]) bodies.set(requestId[1], request[1]);
  }
  return bodies;
}
