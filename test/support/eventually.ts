/** How long `eventually` keeps asking, and how often. */
export interface EventuallyOptions {
  /** Give up after this many milliseconds (default 5 s). */
  timeout?: number;
  /** Wait this long between two tries (default 50 ms). */
  interval?: number;
  /** What is waited for, for the message when it never comes. */
  what?: string;
}

/**
 * Asks `check` until it returns something truthy, and returns that; throws
 * when `timeout` passes first. The one way a test waits for something that
 * happens a moment later (a log entry written after the response, a feed
 * reconnecting): never a fixed sleep, which is too short on a busy machine
 * and wasted time on an idle one.
 */
export async function eventually<T>(check: () => T | null | undefined | false | Promise<T | null | undefined | false>, options: EventuallyOptions = {}): Promise<T> {
  const { timeout = 5_000, interval = 50 } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
