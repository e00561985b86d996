import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A route of the test's web server: writes the whole answer itself. */
export type PageRoute = (req: IncomingMessage, res: ServerResponse, server: PageServer) => void;

/** A web server of the test's own on 127.0.0.1, counting what it was asked. */
export interface PageServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** Every path requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 with the given routes (by path, without the query); 404 for any other. */
export async function startPageServer(routes: Record<string, PageRoute>): Promise<PageServer> {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    state.requests.push(req.url ?? '/');
    const route = routes[path];
    if (route) route(req, res, state);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const state: PageServer = {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return state;
}

/** An HTML page with a title, a byline and an article of a few paragraphs. */
export function articlePage({ title, byline, paragraphs, head = '' }: { title: string; byline: string; paragraphs: string[]; head?: string }): string {
  return `<!doctype html><html><head>${head}<title>${title} | The Daily Example</title><meta name="author" content="${byline}"><meta property="og:site_name" content="The Daily Example"></head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>${title}</h1><p class="byline">By ${byline}</p>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article><footer>Copyright The Daily Example</footer></body></html>`;
}
