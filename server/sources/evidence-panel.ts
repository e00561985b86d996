import type { Claim } from '../claims/claims.repo.ts';
import { canChangeEvidenceIn, isDecided } from '../claims/statuses.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { can, type Actor } from '../platform/policies.ts';
import type { FormState } from '../platform/screens.ts';
import type { ClaimProvenance } from './claim-provenance.ts';
import type { Suggestion } from './confidence.ts';
import type { EvidenceLink } from './evidence.repo.ts';
import { CITATION_KIND_LABELS, CITATION_KINDS } from './provenance.ts';
import { CREDIBILITY, RELATIONS, RELIABILITY } from './ratings.ts';
import { SOURCE_KIND_LABELS, SOURCE_KINDS, type Source, type SourceSummary } from './sources.repo.ts';

/** A refused evidence form: the claim page shows it again, with the library source it offers or the person chose. */
export interface EvidenceFormState extends FormState {
  offeredSource?: Source | null;
}

/**
 * The evidence panel of the claim page: the claim's evidence with the
 * confidence suggestion, the library search and the form to add evidence,
 * and flags saying what this user may do (the view asks them, never the rules).
 */
export function evidencePanel(
  user: Actor | undefined,
  claim: Claim,
  state: { evidence: EvidenceLink[]; suggestion: Suggestion; provenance: ClaimProvenance; sourceQuery: string; results: SourceSummary[]; form: EvidenceFormState },
) {
  const open = canChangeEvidenceIn(claim.status);
  const canManage = can(user, 'evidence.manage', claim);
  const own = state.form.panel === 'evidence';
  return {
    claim,
    evidence: state.evidence,
    suggestion: state.suggestion,
    provenance: state.provenance,
    canJudgeOrigins: can(user, 'source.edit'),
    citationKinds: CITATION_KINDS,
    citationKindLabels: CITATION_KIND_LABELS,
    open,
    canManage,
    canChange: open && canManage,
    decided: isDecided(claim.status),
    sourceQuery: state.sourceQuery,
    results: state.results,
    offered: state.form.offeredSource ?? null,
    values: own ? (state.form.values ?? {}) : {},
    errors: own ? (state.form.errors ?? {}) : ({} as FieldErrors),
    relations: RELATIONS,
    reliabilities: RELIABILITY,
    credibilities: CREDIBILITY,
    sourceKinds: SOURCE_KINDS,
    sourceKindLabels: SOURCE_KIND_LABELS,
  };
}
