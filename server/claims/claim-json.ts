import type { Claim } from './claims.repo.ts';

/** The fields of a claim every JSON answer has, the page's and the API's alike. */
export function claimFields(c: Claim) {
  return {
    id: c.id,
    reportId: c.reportId,
    reportTitle: c.reportTitle,
    statement: c.statement,
    quote: c.quote,
    quoteStart: c.quoteStart,
    quoteEnd: c.quoteEnd,
    quoteMissing: c.quoteMissing,
    claimant: c.claimant,
    kind: c.kind,
    tags: c.tags,
    priority: c.priority,
    confidence: c.confidence,
    status: c.status,
    assigneeId: c.assigneeId,
    createdAt: c.createdAt,
    version: c.version,
  };
}

/** What the JSON clients of the pages get for a claim in a list. */
export function claimJson(c: Claim & { evidence?: unknown }) {
  return { ...claimFields(c), url: `/claims/${c.id}`, evidence: c.evidence };
}
