import { z } from 'zod';
import { claimReviewFeed } from '../../exports/claimreview-feed.ts';
import { claimReviewOptionsFrom } from '../../exports/claimreview.ts';
import { allow, publicRoute } from '../../platform/policies.ts';
import { optionalText } from '../../platform/validate.ts';
import type { ApiContext } from '../context.ts';

/** A ClaimReview, as the export writes it (schema.org JSON-LD). */
const ClaimReview = z
  .object({
    '@context': z.literal('https://schema.org'),
    '@type': z.literal('ClaimReview'),
    url: z.string(),
    name: z.string(),
    claimReviewed: z.string(),
    datePublished: z.iso.date(),
    reviewRating: z.object({ '@type': z.literal('Rating'), alternateName: z.string() }).loose(),
    author: z.object({ '@type': z.literal('Organization'), name: z.string() }).loose(),
  })
  .loose();

export const FeedOut = z.object({
  reviews: z.array(ClaimReview),
  since: z.string().nullable(),
  more: z.boolean(),
});

/**
 * The ClaimReview feed for search engines and partners: public, or for token
 * holders only, as CLAIMREVIEW_FEED says (the guard is chosen when the app is
 * built, so the route inventory sees the policy in force).
 */
export function feedOperations({ db, router, ops, config }: ApiContext): void {
  ops.add(
    router,
    {
      method: 'get',
      path: '/api/v1/claimreview',
      id: 'claimReviewFeed',
      tag: 'Feed',
      summary: 'Decided claims as ClaimReview',
      description:
        'Without `since`: the newest decisions first, and in `since` a cursor for the newest. With `since`: the decisions made after it, oldest first, up to `limit`; read again with the `since` returned while `more` is true. `since=start` reads every decision from the first. ' +
        (config.claimReviewFeed === 'public' ? 'This desk publishes the feed: no token is needed.' : 'This desk keeps the feed for token holders.'),
      policy: config.claimReviewFeed === 'public' ? publicRoute() : allow('export.run'),
      query: z.object({
        since: optionalText('the cursor', 500),
        limit: z.preprocess((v) => (v === undefined || v === '' ? 100 : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), z.int({ error: 'The limit must be a whole number from 1 to 500.' }).min(1, 'The limit must be a whole number from 1 to 500.').max(500, 'The limit must be a whole number from 1 to 500.')),
      }),
      responses: { 200: { description: 'ClaimReviews and the cursor to read on from.', schema: FeedOut } },
    },
    async (_req, res, { query }) => {
      res.json(await claimReviewFeed(db, { since: query.since, limit: query.limit }, claimReviewOptionsFrom(config)));
    },
  );
}
