import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

export type { Logger };

// Never write credentials, cookies or CSRF tokens to the log.
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  'currentPassword',
  'newPassword',
  '*.password',
  'sessionId',
];

/**
 * The process logger: JSON lines on stdout, for log collectors; readable lines
 * instead when a person watches a terminal in development.
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const base = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  if (options.pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } });
  return pino(base);
}

/** Request logging with an id per request, sent back as X-Request-Id and kept on every log line. */
export function requestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith('/public/') },
  });
}

// A set-password link's token is a password in all but name: whoever reads it
// in a log could choose the account's password. (Express matches routes
// without regard to case, so neither does this.)
const SECRET_IN_PATH = /^(\/set-password\/)[^/]+/i;

/** The request's path for the log: no query string (search terms, tokens) and no secret path segment. */
export function loggableUrl(url: string): string {
  const i = url.indexOf('?');
  const path = i === -1 ? url : url.slice(0, i);
  return path.replace(SECRET_IN_PATH, '$1[redacted]');
}
