import type { SheetRow } from './sheet-query.ts';

/** The organisation that publishes the reviews (ORG_NAME, ORG_URL). */
export interface Publisher {
  name: string;
  url: string;
}

// The claimant is given as a Person, as the AFP examples do even for groups.
// How each verdict reads on the 1-5 scale ClaimReview consumers expect
// (schema.org; the same shape as the AFP examples in the fixtures).
const RATINGS = {
  verified: { alternateName: 'Verified', ratingValue: '5' },
  refuted: { alternateName: 'False', ratingValue: '1' },
  unverifiable: { alternateName: 'Unverifiable', ratingValue: null },
} as const;

/** A schema.org ClaimReview for a decided claim; null for a claim with no verdict. */
export function toClaimReview(row: SheetRow, options: { baseUrl: string; publisher: Publisher }) {
  if (row.status !== 'verified' && row.status !== 'refuted' && row.status !== 'unverifiable') return null;
  const rating = RATINGS[row.status];
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: `${options.baseUrl}/claims/${row.id}`,
    claimReviewed: row.statement,
    datePublished: (row.decided_at ?? new Date()).toISOString().slice(0, 10),
    author: { '@type': 'Organization', name: options.publisher.name, url: options.publisher.url },
    reviewRating: {
      '@type': 'Rating',
      alternateName: rating.alternateName,
      ...(rating.ratingValue ? { ratingValue: rating.ratingValue, bestRating: '5', worstRating: '1' } : {}),
    },
    itemReviewed: {
      '@type': 'Claim',
      ...(row.claimant ? { author: { '@type': 'Person', name: row.claimant } } : {}),
      ...(row.report_published_on ? { datePublished: row.report_published_on } : {}),
      ...(row.report_url ? { appearance: { '@type': 'CreativeWork', url: row.report_url, headline: row.report_title } } : {}),
    },
  };
}
