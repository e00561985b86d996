/** The kinds of claim an editor can log, with what each asks of the checker. */
export const KINDS = ['factual', 'attributed', 'direct_quote', 'prediction', 'opinion'] as const;
export type Kind = (typeof KINDS)[number];

export const KIND_LABELS: Record<Kind, { label: string; hint: string }> = {
  factual: { label: 'Factual assertion', hint: 'Something stated as fact: check it against records and other sources.' },
  attributed: { label: 'Attributed statement', hint: 'Someone is reported to have said or believed it: confirm the attribution.' },
  direct_quote: { label: 'Direct quote', hint: 'Words in quotation marks: match the wording against the origin.' },
  prediction: { label: 'Prediction', hint: 'About the future: check the basis and who makes it.' },
  opinion: { label: 'Opinion or assessment', hint: 'A judgement: check the facts it rests on.' },
};

/** Priorities, highest first; stored as 0 (low) to 3 (urgent). */
export const PRIORITIES = [3, 2, 1, 0] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<number, string> = { 3: 'Urgent', 2: 'High', 1: 'Normal', 0: 'Low' };

/** Claim confidence (analytic confidence): how sure the desk is of the claim's status, given the evidence. */
export const CONFIDENCE_LEVELS = ['high', 'moderate', 'low'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];
export const CONFIDENCE_LABELS: Record<Confidence, { label: string; hint: string }> = {
  high: { label: 'High', hint: 'Several independent, reliable sources agree; little doubt remains.' },
  moderate: { label: 'Moderate', hint: 'Credible evidence, but not enough independent confirmation to rule out doubt.' },
  low: { label: 'Low', hint: 'Thin, unreliable or conflicting evidence; the verdict could change.' },
};

/** Tags as typed ("Budapest, summit") to the stored list: trimmed, lower case, unique. */
export function parseTags(value: unknown): string[] {
  const raw = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  const tags = raw
    .split(',')
    .map((t) => t.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase())
    .filter(Boolean);
  return [...new Set(tags)];
}
