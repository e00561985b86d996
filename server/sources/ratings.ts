/**
 * The two scales of the NATO/Admiralty system: how reliable a source is
 * (A-F), and how credible one piece of information from it is (1-6).
 */

export const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITY)[number];

export const RELIABILITY_LABELS: Record<Reliability, { label: string; hint: string }> = {
  A: { label: 'A · Completely reliable', hint: 'No doubt about authenticity, trustworthiness or competence; a history of complete reliability.' },
  B: { label: 'B · Usually reliable', hint: 'Minor doubt; a history of mostly valid information.' },
  C: { label: 'C · Fairly reliable', hint: 'Doubt; has provided valid information in the past.' },
  D: { label: 'D · Not usually reliable', hint: 'Significant doubt; has provided valid information in the past.' },
  E: { label: 'E · Unreliable', hint: 'Lacking authenticity, trustworthiness and competence; a history of invalid information.' },
  F: { label: 'F · Reliability cannot be judged', hint: 'No basis for judging the source’s reliability.' },
};

export const CREDIBILITY = [1, 2, 3, 4, 5, 6] as const;
export type Credibility = (typeof CREDIBILITY)[number];

export const CREDIBILITY_LABELS: Record<Credibility, { label: string; hint: string }> = {
  1: { label: '1 · Confirmed by other sources', hint: 'Confirmed by other independent sources; logical in itself; consistent with other information.' },
  2: { label: '2 · Probably true', hint: 'Not confirmed; logical in itself; consistent with other information.' },
  3: { label: '3 · Possibly true', hint: 'Not confirmed; reasonably logical in itself; agrees with some other information.' },
  4: { label: '4 · Doubtful', hint: 'Not confirmed; possible but not logical; no other information on the subject.' },
  5: { label: '5 · Improbable', hint: 'Not confirmed; not logical in itself; contradicted by other information.' },
  6: { label: '6 · Truth cannot be judged', hint: 'No basis for judging the validity of the information.' },
};

export const RELATIONS = ['origin', 'supports', 'contradicts', 'context'] as const;
export type Relation = (typeof RELATIONS)[number];

export const RELATION_LABELS: Record<Relation, { label: string; hint: string }> = {
  origin: { label: 'Origin', hint: 'Where the claim first appeared (the report it came from, the speech, the post).' },
  supports: { label: 'Supports', hint: 'Evidence that the claim is true.' },
  contradicts: { label: 'Contradicts', hint: 'Evidence that the claim is false.' },
  context: { label: 'Context', hint: 'Background that bears on the claim without settling it.' },
};

/** Reliability A-C: the sources whose contradiction caps confidence at low. */
export const isReliable = (r: string): boolean => r === 'A' || r === 'B' || r === 'C';
