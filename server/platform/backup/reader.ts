import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BackupError, damagedBackup, truncatedBackup } from './errors.ts';

/** A line this long is not a row of Factdesk's: the file is damaged (and reading on would fill memory). */
const MAX_LINE_BYTES = 256 * 1024 * 1024;
const NEWLINE = 10;
const BACKSLASH = 0x5c;
const DOT = 0x2e;

/**
 * Reads the lines of a backup (format.ts) from its gzip stream, a chunk at a
 * time: single lines for the header and markers, and a table's rows as
 * slices of whole lines, ready for COPY FROM.
 */
export class BackupReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly gunzip = createGunzip({ chunkSize: 64 * 1024 });
  private buffer: Buffer = Buffer.alloc(0);
  private pos = 0;
  private bytesIn = 0;
  private ended = false;

  constructor(input: Readable) {
    const count = new Transform({
      transform: (chunk: Buffer, _encoding, next) => {
        this.bytesIn += chunk.length;
        next(null, chunk);
      },
    });
    // Errors reach the reader through the gunzip stream, which the pipeline destroys with them.
    pipeline(input, count, this.gunzip).catch(() => undefined);
    this.chunks = this.gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Compressed bytes read so far. */
  get bytes(): number {
    return this.bytesIn;
  }

  /** The next line, without its newline; null at the end of the stream. */
  async line(): Promise<string | null> {
    for (;;) {
      const nl = this.buffer.indexOf(NEWLINE, this.pos);
      if (nl !== -1) {
        const text = this.buffer.toString('utf8', this.pos, nl);
        this.pos = nl + 1;
        return text;
      }
      if (!(await this.fill())) {
        if (this.pos < this.buffer.length) throw truncatedBackup();
        return null;
      }
    }
  }

  /**
   * The rows of one table, up to its `\.` line, as slices of whole lines;
   * `counted(n)` hears how many rows each slice holds.
   */
  async *rows(counted: (n: number) => void): AsyncGenerator<Buffer> {
    for (;;) {
      const start = this.pos;
      let at = start;
      let lines = 0;
      for (let nl = this.buffer.indexOf(NEWLINE, at); nl !== -1; nl = this.buffer.indexOf(NEWLINE, at)) {
        if (nl - at === 2 && this.buffer[at] === BACKSLASH && this.buffer[at + 1] === DOT) {
          this.pos = nl + 1;
          if (at > start) {
            counted(lines);
            yield this.buffer.subarray(start, at);
          }
          return;
        }
        lines++;
        at = nl + 1;
      }
      this.pos = at;
      if (at > start) {
        counted(lines);
        yield this.buffer.subarray(start, at);
      }
      if (!(await this.fill())) throw truncatedBackup();
    }
  }

  /** Stops reading (after a failure, or when done) and closes the input. */
  close(): void {
    this.gunzip.destroy();
  }

  /**
   * Appends what comes next to what is left unread, up to a chunk that ends
   * a line (so a long row is joined once, not once per chunk); false at the
   * end of the stream.
   */
  private async fill(): Promise<boolean> {
    const parts: Buffer[] = [this.buffer.subarray(this.pos)];
    let size = parts[0]!.length;
    for (;;) {
      const next = await this.next();
      if (!next) break;
      parts.push(next);
      size += next.length;
      if (size > MAX_LINE_BYTES) {
        throw damagedBackup('it has a line longer than any row Factdesk writes');
      }
      if (next.includes(NEWLINE)) break;
    }
    if (parts.length === 1) return false;
    this.buffer = parts.length === 2 && parts[0]!.length === 0 ? parts[1]! : Buffer.concat(parts, size);
    this.pos = 0;
    return true;
  }

  private async next(): Promise<Buffer | null> {
    if (this.ended) return null;
    try {
      const next = await this.chunks.next();
      if (!next.done) return next.value;
    } catch (err) {
      throw unreadable(err as NodeJS.ErrnoException);
    }
    this.ended = true;
    return null;
  }
}


function unreadable(err: NodeJS.ErrnoException): Error {
  if (err.code === 'Z_BUF_ERROR') return truncatedBackup();
  if (err.code === 'Z_DATA_ERROR') {
    return new BackupError('not_a_backup', `The file is not a Factdesk backup, or it is damaged (${err.message}). Nothing was restored.`);
  }
  return err;
}
