import assert from 'node:assert/strict';
import { createServer, request, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { endWhenStalled } from '../../server/platform/stall-watch.ts';
import { eventually } from '../support/eventually.ts';

/**
 * A server that writes `total` bytes to whoever asks, watched for stalls, and
 * a client that reads them or pauses at once. Resolves when the server's
 * response is over, one way or the other.
 */
async function download(options: { clientReads: boolean; stallMs: number; total: number }): Promise<{ stalled: boolean; completed: boolean; received: number }> {
  let stalled = false;
  let received = 0;
  let client: ClientRequest | undefined;
  const over = new Promise<boolean>((resolve) => {
    const server = createServer((_req, res) => {
      endWhenStalled(res, options.stallMs, () => (stalled = true));
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let written = 0;
      const pump = () => {
        while (written < options.total) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      res.on('close', () => {
        server.close();
        server.closeAllConnections();
        resolve(res.writableFinished);
      });
      pump();
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      client = request({ port, host: '127.0.0.1', path: '/' }, (res) => {
        if (options.clientReads) res.on('data', (b: Buffer) => (received += b.length));
        else res.pause();
      });
      client.on('error', () => undefined);
      client.end();
    });
  });
  const completed = await over;
  if (options.clientReads && completed) await eventually(() => received >= options.total, { what: 'the client to read the last bytes' });
  client?.destroy();
  return { stalled, completed, received };
}

describe('a download whose client stops reading', () => {
  test('is ended once the socket has taken nothing for the stall time', { timeout: 20_000 }, async () => {
    const result = await download({ clientReads: false, stallMs: 300, total: 256 * 1024 * 1024 });
    assert.equal(result.stalled, true);
    assert.equal(result.completed, false);
  });

  test('a client that keeps reading gets the whole of it', { timeout: 20_000 }, async () => {
    const result = await download({ clientReads: true, stallMs: 300, total: 32 * 1024 * 1024 });
    assert.equal(result.stalled, false);
    assert.equal(result.completed, true);
    assert.ok(result.received > 31 * 1024 * 1024, `received ${result.received}`);
  });
});
