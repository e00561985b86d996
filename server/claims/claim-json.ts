import type { Claim } from './claims.repo.ts';

/** What the JSON clients get for a claim in a list. */
export function claimJson(c: Claim & { evidence?: unknown }) {
  return {
    id: c.id,
    url: `/claims/${c.id}`,
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
    evidence: c.evidence,
  };
}
