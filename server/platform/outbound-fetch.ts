import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import zlib from 'node:zlib';
import { checkedAddress, OutboundRefusal, type CheckedAddress, type OutboundRules } from './outbound-address.ts';

/** The limits of one outbound request. */
export interface OutboundLimits {
  /** The most bytes of body read (after decompression). */
  maxBytes: number;
  /** How long the connection may take to open. */
  connectTimeoutMs: number;
  /** How long the whole exchange may take, redirects included. */
  totalTimeoutMs: number;
  /** How many redirects are followed (0: none). */
  maxRedirects: number;
}

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Content types (lower case, without parameters) that are read; others are refused before their body is. Unset: every type is read. */
  accept?: readonly string[];
  /** Answers outside 2xx are refused (import) or returned as they are (webhooks, which log them). */
  refuseErrors?: boolean;
  /** Stops the request early (a process shutting down abandons its send); it then fails as a timeout does. */
  signal?: AbortSignal;
}

export interface OutboundResponse {
  /** Where the answer came from, after redirects. */
  url: string;
  status: number;
  contentType: string | null;
  /** The charset parameter of its Content-Type, if any. */
  charset: string | null;
  body: Buffer;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches a URL on the desk's behalf, through the one guard
 * (outbound-address.ts): the host is resolved and checked before any
 * connection, and the socket goes to that checked address (the lookup is
 * pinned, so a name cannot resolve to one address for the check and another
 * for the connection). Each redirect's target is checked the same way.
 * Limits: connect and total time, body size, content type. Every failure is
 * an OutboundRefusal with a sentence for the person who gave the address.
 */
export async function fetchOutbound(address: string, rules: OutboundRules, limits: OutboundLimits, request: OutboundRequest = {}): Promise<OutboundResponse> {
  const timeout = AbortSignal.timeout(limits.totalTimeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  let url = parseUrl(address);
  let method = request.method ?? 'GET';
  let body = request.body;
  for (let hop = 0; ; hop++) {
    const target = await checkedAddress(url, rules);
    const res = await exchange(url, target, { ...request, method, body }, limits, signal);
    const location = res.headers.location;
    if (REDIRECTS.has(res.statusCode ?? 0) && location && limits.maxRedirects > 0) {
      res.resume();
      if (hop >= limits.maxRedirects) throw new OutboundRefusal('redirects', `The address redirected more than ${limits.maxRedirects} times, so it was not followed further.`);
      url = parseUrl(location, url);
      // 303 (and, as browsers do, 301/302 after a POST) turn into a GET without a body.
      if (res.statusCode === 303 || (method === 'POST' && res.statusCode !== 307 && res.statusCode !== 308)) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    return await answer(url, res, limits, request, signal);
  }
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new OutboundRefusal('scheme', 'This is not a web address. Enter one starting with https://');
  }
}

/** One request to one checked address; resolves with the response's head. */
function exchange(url: URL, target: CheckedAddress, request: OutboundRequest, limits: OutboundLimits, signal: AbortSignal): Promise<IncomingMessage> {
  // The socket's lookup answers with the address already checked: no second resolution.
  const pinned: LookupFunction = (_host, options, done) => {
    if (options.all) (done as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else done(null, target.address, target.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: request.method ?? 'GET',
      headers: { 'user-agent': 'Factdesk (fact-checking desk)', 'accept-encoding': 'gzip, deflate, br', ...request.headers },
      lookup: pinned,
      agent: false,
      signal,
    });
    const connectTimer = setTimeout(() => req.destroy(new OutboundRefusal('timeout', `The server did not answer within ${seconds(limits.connectTimeoutMs)}. Try again later, or paste the text.`)), limits.connectTimeoutMs);
    req.once('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.once('response', (res) => {
      clearTimeout(connectTimer);
      resolve(res);
    });
    req.once('error', (err) => {
      clearTimeout(connectTimer);
      reject(refusalOf(err, signal, limits));
    });
    req.end(request.body);
  });
}

/** The response's body, within the limits; its type checked before it is read. */
async function answer(url: URL, res: IncomingMessage, limits: OutboundLimits, request: OutboundRequest, signal: AbortSignal): Promise<OutboundResponse> {
  const status = res.statusCode ?? 0;
  const [type = '', ...params] = (res.headers['content-type'] ?? '').split(';').map((p) => p.trim());
  const contentType = type.toLowerCase() || null;
  const charset = params.map((p) => /^charset\s*=\s*"?([^";]+)"?$/i.exec(p)?.[1]).find(Boolean) ?? null;
  if (request.refuseErrors && (status < 200 || status > 299)) {
    res.resume();
    throw new OutboundRefusal('status', REDIRECTS.has(status) ? 'The address redirected elsewhere without saying where.' : `The server answered with an error (HTTP ${status}). Check the address, or paste the text.`);
  }
  if (request.accept && !request.accept.includes(contentType ?? '')) {
    res.resume();
    throw new OutboundRefusal('content_type', `The address gives ${contentType ? `a ${contentType} file` : 'something that does not say what it is'}, not a web page. Import an HTML page or plain text.`);
  }
  const declared = Number(res.headers['content-length']);
  if (!res.headers['content-encoding'] && declared > limits.maxBytes) {
    res.destroy();
    throw tooLarge(limits);
  }
  const body = await readBody(decoded(res), limits, signal);
  return { url: url.href, status, contentType, charset, body };
}

/** The body as the server meant it: gzip, deflate and brotli are undone (and counted after they are). */
function decoded(res: IncomingMessage): NodeJS.ReadableStream {
  switch ((res.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(zlib.createGunzip());
    case 'deflate':
      return res.pipe(zlib.createInflate());
    case 'br':
      return res.pipe(zlib.createBrotliDecompress());
    default:
      return res;
  }
}

async function readBody(stream: NodeJS.ReadableStream, limits: OutboundLimits, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > limits.maxBytes) throw tooLarge(limits);
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    (stream as unknown as { destroy?: () => void }).destroy?.();
    throw refusalOf(err, signal, limits);
  }
  return Buffer.concat(chunks);
}

function refusalOf(err: unknown, signal: AbortSignal, limits: OutboundLimits): OutboundRefusal {
  if (err instanceof OutboundRefusal) return err;
  if (signal.aborted) return new OutboundRefusal('timeout', `The address took longer than ${seconds(limits.totalTimeoutMs)} to send its page, so it was stopped. Try again later, or paste the text.`);
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('Z_') || code === 'ERR_BROTLI') return new OutboundRefusal('unreachable', 'The server sent a page that could not be unpacked. Try again, or paste the text.');
  return new OutboundRefusal('unreachable', `The server could not be reached (${code || 'the connection failed'}). Check the address, or paste the text.`);
}

const tooLarge = (limits: OutboundLimits) =>
  new OutboundRefusal('too_large', `The page is larger than ${Math.round(limits.maxBytes / 1_048_576)} MB, the most Factdesk fetches. Save the article’s text and paste it instead.`);

const seconds = (ms: number) => (ms < 1000 ? `${ms} milliseconds` : `${Math.round(ms / 100) / 10} seconds`);
