import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { ValidationError } from '../platform/errors.ts';
import type { Suggestion } from './checkworthiness.ts';
import type { ExtractedPage } from './extract-worker.ts';

/**
 * Reading an uploaded page runs off the request thread: a pool of worker
 * threads (piscina) does JSDOM and Readability (and scores a report's
 * sentences, suggest-worker.ts), each page with a time limit
 * (past it, its worker is stopped and the person told so) and a heap limit
 * (a page that would need more is refused, not the process). Meanwhile the
 * desk answers everyone else as usual.
 */
export interface ExtractionLimits {
  /** How long one page may take (IMPORT_TIME_LIMIT_MS). */
  timeLimitMs: number;
  /** The most heap one page's worker may use, in MB. */
  heapMb: number;
}

let limits: ExtractionLimits = { timeLimitMs: 20_000, heapMb: 1536 };
let pool: Piscina | null = null;

/** Sets the limits (createApp does, from the config); a pool made under other limits is replaced. */
export function setExtractionLimits(next: ExtractionLimits): void {
  if (pool && next.heapMb !== limits.heapMb) void closeExtraction();
  limits = next;
}

function thePool(): Piscina {
  pool ??= new Piscina({
    filename: fileURLToPath(new URL('./extract-worker.ts', import.meta.url)),
    // One page at a time per core, at most two: the request threads keep the rest.
    maxThreads: 2,
    minThreads: 0,
    // JSDOM takes a second or two to load in a fresh thread: keep an idle worker a while.
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
  });
  return pool;
}

/** The page's article and what it says about itself, or a refusal beside the file field. */
export async function extractPage(html: string): Promise<ExtractedPage> {
  const signal = AbortSignal.timeout(limits.timeLimitMs);
  try {
    return (await thePool().run({ html }, { signal })) as ExtractedPage;
  } catch (err) {
    if (signal.aborted) {
      throw new ValidationError({
        file: `This page took longer than ${seconds(limits.timeLimitMs)} to read, so it was stopped. Copy the article’s text from the page and paste it instead.`,
      });
    }
    if ((err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      throw new ValidationError({ file: 'This page needs more memory to read than Factdesk gives one import. Copy the article’s text from the page and paste it instead.' });
    }
    throw err;
  }
}

/** How long scoring one report's sentences may take before the page is shown without suggestions. */
const SUGGEST_TIME_LIMIT_MS = 10_000;

/** A report's suggested checkable sentences, scored in the same pool of workers; null when it took too long. */
export async function suggestInWorker(body: string): Promise<Suggestion[] | null> {
  const signal = AbortSignal.timeout(Math.min(SUGGEST_TIME_LIMIT_MS, limits.timeLimitMs));
  try {
    return (await thePool().run({ body }, { signal, filename: SUGGEST_WORKER })) as Suggestion[];
  } catch (err) {
    if (signal.aborted) return null;
    throw err;
  }
}

const SUGGEST_WORKER = fileURLToPath(new URL('./suggest-worker.ts', import.meta.url));

const seconds = (ms: number) => (ms < 1000 ? `${ms} milliseconds` : `${Math.round(ms / 100) / 10} seconds`);

/** Stops the workers (at shutdown, and in tests). */
export async function closeExtraction(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
