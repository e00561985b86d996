import type request from 'supertest';

/** Reads a binary response body into a Buffer (supertest leaves binaries unparsed otherwise). */
export const binary = (res: request.Test): request.Test =>
  res.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** The bytes of a Buffer as the ArrayBuffer exceljs's types ask for. */
export const arrayBufferOf = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** Polls until `check` returns something truthy (within 5 s), and returns it. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
