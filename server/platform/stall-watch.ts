import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';

/** A response (or any stream) writing to a socket. */
type SocketWritable = Writable & { socket?: Socket | null };

/**
 * Ends a response whose client has stopped reading: when data has been
 * waiting for the socket and the socket has taken none of it for `stallMs`,
 * the response is destroyed. A download holds a database connection while it
 * streams (on the embedded database, the only one), so a client that opens a
 * large export and never reads must not hold it for ever. Returns a function
 * that stops watching.
 */
export function endWhenStalled(res: SocketWritable, stallMs: number, onStall: () => void = () => undefined): () => void {
  const every = Math.max(10, Math.min(1_000, Math.floor(stallMs / 4)));
  let lastBytes = res.socket?.bytesWritten ?? 0;
  let stuckSince: number | null = null;
  const timer = setInterval(() => {
    const bytes = res.socket?.bytesWritten ?? lastBytes;
    const waiting = res.writableLength > 0 || (res.socket?.writableLength ?? 0) > 0;
    if (!waiting || bytes !== lastBytes) {
      lastBytes = bytes;
      stuckSince = null;
      return;
    }
    stuckSince ??= Date.now();
    if (Date.now() - stuckSince >= stallMs) {
      stop();
      onStall();
      res.destroy(new Error(`the client read nothing for ${stallMs} ms`));
    }
  }, every);
  timer.unref();
  const stop = () => clearInterval(timer);
  res.once('close', stop);
  return stop;
}
