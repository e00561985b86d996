import { createHash } from 'node:crypto';
import type { User } from '../accounts/users.repo.ts';
import { insertUser } from '../accounts/users.repo.ts';
import { logClaim } from '../claims/claims.commands.ts';
import { findClaim } from '../claims/claims.repo.ts';
import type { Db } from '../platform/database.ts';
import type { Actor } from '../platform/policies.ts';
import { createReport } from '../reports/reports.commands.ts';
import { addComment } from '../review/comments.ts';
import { takeNext } from '../review/queue.ts';
import { DECISION_ACTIONS } from '../review/states.ts';
import { transitionClaim } from '../review/transitions.ts';
import { linkLibrarySource } from '../sources/evidence.commands.ts';
import { createSource } from '../sources/sources.commands.ts';
import { findSourceByUrl } from '../sources/sources.repo.ts';
import { SAMPLE_CLAIMS, SAMPLE_REPORT, SAMPLE_SOURCES } from './sample.ts';
import { citeSource } from '../sources/provenance.commands.ts';

/** The people the sample's work is done by: an editor writes, a reviewer decides. */
export interface SampleCast {
  editor: Actor;
  reviewer: Actor;
}

/**
 * Loads the sample newsroom through the app's own commands, so every claim
 * has an honest history (logged, evidence linked, submitted, decided).
 */
export async function loadSampleNewsroom(db: Db, cast: SampleCast): Promise<number> {
  const reportId = await createReport(db, cast.editor, { ...SAMPLE_REPORT });
  const sourceIds = new Map<string, number>();
  for (const s of SAMPLE_SOURCES) {
    const known = await findSourceByUrl(db, s.url);
    sourceIds.set(
      s.key,
      known?.id ??
        (await createSource(db, cast.editor, {
          kind: s.kind,
          title: s.title,
          url: s.url,
          publisher: s.publisher,
          outlet: null,
          author: null,
          publishedOn: null,
          accessedOn: '2025-11-21',
          archiveUrl: null,
          reliability: s.reliability,
          notes: 'Sample entry of the Factdesk demo newsroom.',
        })),
    );
  }
  for (const s of SAMPLE_SOURCES) {
    if (s.repeats) await citeSource(db, cast.editor, sourceIds.get(s.key)!, { cited: `#${sourceIds.get(s.repeats.key)!}`, kind: s.repeats.kind });
  }
  for (const c of SAMPLE_CLAIMS) {
    const claimId = await logClaim(db, cast.editor, reportId, {
      quote: c.quote,
      quotePrefix: '',
      quoteSuffix: '',
      quoteStart: null,
      quoteEnd: null,
      statement: c.statement,
      claimant: c.claimant,
      kind: c.kind,
      tags: c.tags,
      priority: c.priority,
    });
    for (const e of c.evidence) {
      await linkLibrarySource(db, cast.editor, claimId, { sourceId: sourceIds.get(e.source)!, relation: e.relation, credibility: e.credibility, excerpt: e.excerpt });
    }
    for (const comment of c.comments ?? []) {
      if (comment.by === 'editor') await addComment(db, cast.editor, claimId, comment.text);
    }
    for (const step of c.path) {
      if (step === 'take') {
        await takeNext(db, cast.reviewer);
        continue;
      }
      const { version } = (await findClaim(db, claimId))!;
      const actor = DECISION_ACTIONS.includes(step) ? cast.reviewer : cast.editor;
      await transitionClaim(db, { actor, claimId, action: step, version, comment: c.notes?.[step] ?? null, confidence: c.confidence ?? null });
    }
    for (const comment of c.comments ?? []) {
      if (comment.by === 'reviewer') await addComment(db, cast.reviewer, claimId, comment.text);
    }
  }
  return reportId;
}

/**
 * For the "load the sample newsroom" choice at setup: two sample colleagues
 * (who cannot sign in: they have no password) do the sample's work.
 */
export async function loadSampleForSetup(db: Db, _adminId: number): Promise<void> {
  const suffix = createHash('sha256').update(String(Date.now())).digest('hex').slice(0, 6);
  const editor: User = await insertUser(db, { email: `sample.editor.${suffix}@example.org`, displayName: 'Sam Sample (editor)', role: 'editor', passwordHash: null });
  const reviewer: User = await insertUser(db, { email: `sample.reviewer.${suffix}@example.org`, displayName: 'Riya Sample (reviewer)', role: 'reviewer', passwordHash: null });
  await loadSampleNewsroom(db, { editor, reviewer });
}
