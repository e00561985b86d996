import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { END_OF_ROWS, FORMAT_VERSION, MAGIC, TABLE_PREFIX, TRAILER_PREFIX, type BackupHeader } from './format.ts';

/**
 * Writes the backup format (format.ts) into a gzip stream piped to `out`,
 * waiting whenever `out` is slower than the database, so memory stays flat.
 */
export class BackupWriter {
  private readonly gzip = createGzip();
  private readonly done: Promise<void>;
  private bytesOut = 0;

  constructor(out: Writable) {
    const count = new Transform({
      transform: (chunk: Buffer, _encoding, next) => {
        this.bytesOut += chunk.length;
        next(null, chunk);
      },
    });
    this.done = pipeline(this.gzip, count, out);
    // A failure of `out` shows in write() and finish(); this only keeps it from going unhandled meanwhile.
    this.done.catch(() => undefined);
  }

  /** The magic line and the header. */
  async header(header: BackupHeader): Promise<void> {
    await this.line(`${MAGIC} ${FORMAT_VERSION}`);
    await this.line(JSON.stringify(header));
  }

  /** The line that starts a table's rows. */
  async table(name: string): Promise<void> {
    await this.line(`${TABLE_PREFIX}${name}`);
  }

  /** COPY text rows, as the database sent them (whole lines). */
  async rows(chunk: Buffer): Promise<void> {
    await this.write(chunk);
  }

  /** The line that ends a table's rows. */
  async endTable(): Promise<void> {
    await this.line(END_OF_ROWS);
  }

  /** Writes the trailer, ends the stream and waits until `out` has everything; returns the bytes written. */
  async finish(rows: Record<string, number>): Promise<number> {
    await this.line(`${TRAILER_PREFIX}${JSON.stringify({ rows })}`);
    this.gzip.end();
    await this.done;
    return this.bytesOut;
  }

  /** Stops writing after a failure; `out` is destroyed with the error (a partial file has no END line). */
  abort(err: Error): void {
    this.gzip.destroy(err);
  }

  private async line(text: string): Promise<void> {
    await this.write(Buffer.from(`${text}\n`, 'utf8'));
  }

  private async write(chunk: Buffer): Promise<void> {
    if (this.gzip.destroyed) throw this.gzip.errored ?? new Error('the backup output was closed');
    if (this.gzip.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const settle = (err?: Error) => {
        this.gzip.off('drain', onDrain);
        this.gzip.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => settle();
      const onClose = () => settle(this.gzip.errored ?? new Error('the backup output was closed'));
      this.gzip.on('drain', onDrain);
      this.gzip.on('close', onClose);
    });
  }
}
