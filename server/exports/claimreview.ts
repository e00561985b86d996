import { isDecided } from '../claims/statuses.ts';
import type { Config } from '../platform/config.ts';
import type { SheetRow } from './sheet.repo.ts';

/** The organisation that publishes the reviews (ORG_NAME, ORG_URL, ORG_SAME_AS, ORG_LOGO). */
export interface Publisher {
  name: string;
  url: string | undefined;
  sameAs: string[];
  logo: string | undefined;
}

export interface ClaimReviewOptions {
  baseUrl: string;
  publisher: Publisher;
  /** PUBLIC_REVIEW_URL: where each review is published, {id} standing for the claim's number. */
  publicReviewUrl: string | undefined;
}

/** The ClaimReview options the desk's settings give (ORG_*, PUBLIC_REVIEW_URL). */
export function claimReviewOptionsFrom(config: Pick<Config, 'baseUrl' | 'publicReviewUrl' | 'orgName' | 'orgUrl' | 'orgSameAs' | 'orgLogo'>): ClaimReviewOptions {
  return {
    baseUrl: config.baseUrl,
    publicReviewUrl: config.publicReviewUrl,
    publisher: { name: config.orgName, url: config.orgUrl, sameAs: config.orgSameAs, logo: config.orgLogo },
  };
}

/** A headline's length that search results show whole. */
const MAX_NAME = 110;

/**
 * The address of a review: the newsroom's public page for it, or else the
 * claim's page on the desk, which only the desk can open (the export then
 * warns: see exports.routes.ts).
 */
export function reviewUrl(id: number, options: Pick<ClaimReviewOptions, 'baseUrl' | 'publicReviewUrl'>): string {
  return options.publicReviewUrl ? options.publicReviewUrl.replaceAll('{id}', String(id)) : `${options.baseUrl}/claims/${id}`;
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
export function toClaimReview(row: SheetRow, options: ClaimReviewOptions) {
  if (!isDecided(row.status)) return null;
  // The desk's label and its rating where the claim has one; the status's own words otherwise.
  const fallback = RATINGS[row.status];
  const rating = row.verdict
    ? { alternateName: row.verdict, ratingValue: row.verdict_rating === null ? null : String(row.verdict_rating) }
    : fallback;
  const { publisher } = options;
  const headline = `${rating.alternateName}: ${row.statement}`;
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: reviewUrl(row.id, options),
    // The review's headline, as the fact-checkers' own have one: the verdict and the claim.
    name: headline.length > MAX_NAME ? `${headline.slice(0, MAX_NAME - 1).trimEnd()}…` : headline,
    claimReviewed: row.statement,
    datePublished: (row.decided_at ?? new Date()).toISOString().slice(0, 10),
    // The day the verdict must be checked again: after it, the review may no longer hold.
    ...(row.recheck_by ? { expires: row.recheck_by } : {}),
    author: {
      '@type': 'Organization',
      name: publisher.name,
      ...(publisher.url ? { url: publisher.url } : {}),
      ...(publisher.sameAs.length === 1 ? { sameAs: publisher.sameAs[0] } : publisher.sameAs.length > 1 ? { sameAs: publisher.sameAs } : {}),
      ...(publisher.logo ? { logo: { '@type': 'ImageObject', url: publisher.logo } } : {}),
    },
    reviewRating: {
      '@type': 'Rating',
      ...(rating.ratingValue ? { ratingValue: rating.ratingValue, bestRating: '5', worstRating: '1' } : {}),
      alternateName: rating.alternateName,
    },
    itemReviewed: {
      '@type': 'Claim',
      // The claimant is given as a Person, as the AFP examples do even for groups
      // ("Multiple sources"); a claim nobody is named for is "Unknown", as AFP writes it.
      author: { '@type': 'Person', name: row.claimant || 'Unknown' },
      ...(row.report_published_on ? { datePublished: row.report_published_on } : {}),
      // Where the claim appeared: the report, as a list of CreativeWorks with
      // their url (the shape schema.org and the fixtures' URL lists share).
      ...(row.report_url ? { appearance: [{ '@type': 'CreativeWork', url: row.report_url, headline: row.report_title }] } : {}),
    },
  };
}
