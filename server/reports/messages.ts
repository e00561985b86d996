import type { RevisionOutcome } from './reports.commands.ts';

/**
 * What a saved correction did, in plain words: "Saved as revision 2. All 5
 * claims still point at their quotes." or which claims lost their quote.
 */
export function revisionMessage(outcome: Pick<RevisionOutcome, 'revision' | 'claims' | 'missing'>): string {
  const saved = `Saved as revision ${outcome.revision}.`;
  const kept = outcome.claims - outcome.missing;
  if (outcome.claims === 0) return saved;
  if (outcome.missing === 0) {
    return outcome.claims === 1 ? `${saved} Its claim still points at its quote.` : `${saved} All ${outcome.claims} claims still point at their quotes.`;
  }
  const lost =
    outcome.missing === 1
      ? '1 claim’s quote was not found in the new text: it is flagged.'
      : `${outcome.missing} claims’ quotes were not found in the new text: they are flagged.`;
  const others = kept === 0 ? '' : kept === 1 ? ' The other claim still points at its quote.' : ` The other ${kept} still point at their quotes.`;
  return `${saved} ${lost}${others}`;
}
