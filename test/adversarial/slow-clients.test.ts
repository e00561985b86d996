import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { createHttpServer } from '../../server/platform/http-server.ts';
import { createTestApp } from '../support/app.ts';

describe('slow clients', () => {
  test('a client that never finishes its headers is cut off by the server’s timeout', async () => {
    const ctx = await createTestApp();
    const server = createHttpServer(ctx.app, { headersMs: 300, requestMs: 600, keepAliveMs: 200 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const started = Date.now();
      const closedAfter = await new Promise<number>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
        socket.resume(); // read what the server sends (its 408), so the close is seen
        socket.on('close', () => resolve(Date.now() - started));
        socket.on('error', () => undefined);
        setTimeout(() => reject(new Error('the server kept the slow connection open')), 5_000);
      });
      assert.ok(closedAfter < 5_000, `closed after ${closedAfter} ms`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.close();
    }
  });
});
