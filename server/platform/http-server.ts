import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

/** How long a client may take: to send its headers, its whole request, and between requests on a kept-alive connection. */
export interface ServerTimeouts {
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 20_000, requestMs: 60_000, keepAliveMs: 5_000 };

/**
 * The HTTP server around the app, with timeouts so that a slow or stalled
 * client (a slowloris) cannot hold connections open for ever.
 */
export function createHttpServer(app: Express, timeouts: ServerTimeouts = DEFAULT_TIMEOUTS): Server {
  // Node checks these timeouts only every connectionsCheckingInterval (30 s by default).
  const server = createServer({ connectionsCheckingInterval: Math.max(100, Math.min(timeouts.headersMs / 4, 2_000)) }, app);
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  return server;
}
