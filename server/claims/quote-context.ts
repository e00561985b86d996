import { paragraphsOf } from '../reports/text.ts';
import type { Claim } from './claims.repo.ts';

/** The paragraph a quote sits in, cut around the quote. */
export interface QuoteContext {
  before: string;
  quote: string;
  after: string;
}

/** The paragraph holding the quote, split at the quote; null when the quote is gone from the text. */
export function quoteContext(body: string, claim: Pick<Claim, 'quoteStart' | 'quoteEnd' | 'quoteMissing'>): QuoteContext | null {
  if (claim.quoteMissing) return null;
  const paragraph = paragraphsOf(body).find((p) => p.start <= claim.quoteStart && claim.quoteStart < p.end);
  if (!paragraph) return null;
  const end = Math.min(claim.quoteEnd, paragraph.end);
  return {
    before: body.slice(paragraph.start, claim.quoteStart),
    quote: body.slice(claim.quoteStart, end),
    after: body.slice(end, paragraph.end),
  };
}
