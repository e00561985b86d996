import { isDecided } from '../claims/statuses.ts';
import type { SheetRow } from './sheet.repo.ts';

/** The organisation that publishes the reviews (ORG_NAME, ORG_URL). */
export interface Publisher {
  name: string;
  url: string;
}

// How each verdict reads on the 1-5 scale ClaimReview consumers expect, in
// the layout of the fact-checkers' own ClaimReviews (the AFP examples in the
// fixtures): ratingValue, bestRating and worstRating as strings, and the
// verdict in words as alternateName. "Unverifiable" has no place on a
// true-false scale, so it is given in words only, with no number.
const RATINGS = {
  verified: { alternateName: 'Verified', ratingValue: '5' },
  refuted: { alternateName: 'False', ratingValue: '1' },
  unverifiable: { alternateName: 'Unverifiable', ratingValue: null },
} as const;

/** A schema.org ClaimReview for a decided claim; null for a claim with no verdict. */
export function toClaimReview(row: SheetRow, options: { baseUrl: string; publisher: Publisher }) {
  if (!isDecided(row.status)) return null;
  const rating = RATINGS[row.status];
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    // A ClaimReview's url is the page that publishes the review. Factdesk has
    // no public page: this is the claim's page on BASE_URL, which only the
    // desk can open. A newsroom that publishes its fact-checks replaces it
    // with the article's address when it puts the review on its site.
    url: `${options.baseUrl}/claims/${row.id}`,
    claimReviewed: row.statement,
    datePublished: (row.decided_at ?? new Date()).toISOString().slice(0, 10),
    author: { '@type': 'Organization', name: options.publisher.name, url: options.publisher.url },
    reviewRating: {
      '@type': 'Rating',
      ...(rating.ratingValue ? { ratingValue: rating.ratingValue, bestRating: '5', worstRating: '1' } : {}),
      alternateName: rating.alternateName,
    },
    itemReviewed: {
      '@type': 'Claim',
      // The claimant is given as a Person, as the AFP examples do even for groups.
      ...(row.claimant ? { author: { '@type': 'Person', name: row.claimant } } : {}),
      ...(row.report_published_on ? { datePublished: row.report_published_on } : {}),
      // Where the claim appeared: the report, as a list of CreativeWorks with
      // their url (the shape schema.org and the fixtures' URL lists share).
      ...(row.report_url ? { appearance: [{ '@type': 'CreativeWork', url: row.report_url, headline: row.report_title }] } : {}),
    },
  };
}
