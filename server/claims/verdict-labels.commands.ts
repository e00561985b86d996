import { z } from 'zod';
import { recordEventsFrom } from '../audit/events.repo.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Actor } from '../platform/policies.ts';
import { choice, optionalId, optionalText, requiredText } from '../platform/validate.ts';
import { DECIDED_STATUSES } from './statuses.ts';
import {
  countLabelsOf, deleteLabel, findLabel, defaultLabelOf, insertLabel, relabelClaims, swapWithNeighbour, updateLabelIfCurrent, type LabelFields, type VerdictLabel,
} from './verdict-labels.repo.ts';

/** The desk's verdict labels as an admin edits them: the forms, the rules, the changes. */

const rating = z.preprocess(
  (v) => (v === '' || v === undefined || v === null ? null : typeof v === 'string' && /^[1-5]$/.test(v) ? Number(v) : v),
  z.number({ error: 'Choose a rating from 1 (worst) to 5 (best), or none.' }).int().min(1).max(5).nullable(),
);
const colour = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.string({ error: 'Choose a colour.' }).regex(/^#[0-9a-f]{6}$/, 'Choose a colour (like #c62828).'),
);

const editable = {
  name: requiredText('the label', 60),
  rating,
  colour,
  description: optionalText('the description', 300, { multiline: true }),
};

export const NewLabelForm = z.object({ ...editable, status: choice(DECIDED_STATUSES, 'Choose which verdict this label gives: verified, refuted or unverifiable.') });
export const EditLabelForm = z.object({ ...editable, version: z.coerce.number().int().min(1) });
export const DeleteLabelForm = z.object({ moveTo: optionalId('Choose the label its claims move to.') });
export const MoveLabelForm = z.object({ direction: choice(['up', 'down'] as const, 'Move the label up or down.') });

const nameTaken = (err: unknown) => (err as { code?: string; constraint?: string }).code === '23505';
const TAKEN = { name: 'The desk has a label with this name already. Choose another name.' };

export async function createLabel(db: Db, input: z.output<typeof NewLabelForm>): Promise<number> {
  const fields: LabelFields = { ...input, description: input.description ?? '' };
  return insertLabel(db, fields).catch((err: unknown) => {
    throw nameTaken(err) ? new ValidationError(TAKEN) : err;
  });
}

/** Renames, recolours, rates or describes a label; a stale form is a 409 with the label as it is now. */
export async function editLabel(db: Db, label: VerdictLabel, input: z.output<typeof EditLabelForm>): Promise<void> {
  const { version, ...fields } = input;
  const saved = await updateLabelIfCurrent(db, label.id, version, { ...fields, description: fields.description ?? '' }).catch((err: unknown) => {
    throw nameTaken(err) ? new ValidationError(TAKEN) : err;
  });
  if (!saved) throw new ConflictError('Someone else changed this label after you opened it. Look at it again, then make your change.', await findLabel(db, label.id), 'stale_version');
}

export async function moveLabel(db: Db, id: number, direction: 'up' | 'down'): Promise<void> {
  await db.transaction(async (trx) => {
    const label = await findLabel(trx, id, { lock: true });
    if (!label) throw new NotFoundError();
    await swapWithNeighbour(trx, label, direction);
  });
}

/**
 * Deletes a label. Its claims first move to another label of the same
 * status (each recorded in its history); the last label of a status stays,
 * since every decision of that status needs one.
 */
export async function removeLabel(db: Db, actor: Actor, id: number, moveTo: number | null): Promise<{ moved: number }> {
  return db.transaction(async (trx) => {
    const label = await findLabel(trx, id, { lock: true });
    if (!label) throw new NotFoundError();
    if ((await countLabelsOf(trx, label.status)) <= 1) {
      throw new ValidationError({ form: `“${label.name}” is the only label for ${label.status} claims, and every decision needs one. Add another label for them first.` });
    }
    const inUse = Number(((await trx('claims').where({ verdict_label_id: id }).count<{ n: number }[]>('* as n'))[0]!).n);
    let moved = 0;
    if (inUse > 0) {
      const target = moveTo === null ? null : await findLabel(trx, moveTo, { lock: true });
      if (!target || target.id === id || target.status !== label.status) {
        throw new ValidationError({ moveTo: `${inUse} ${inUse === 1 ? 'claim carries' : 'claims carry'} “${label.name}”: choose another ${label.status} label for ${inUse === 1 ? 'it' : 'them'}.` });
      }
      moved = (
        await recordEventsFrom(trx, {
          actorId: actor.id,
          type: 'relabelled',
          data: { from: label.name, to: target.name, reason: 'label deleted' },
          subject: relabelClaims(trx, id, target.id),
          returnIds: true,
        })
      ).length;
    }
    await deleteLabel(trx, id);
    return { moved };
  });
}

/**
 * The label a decision gives: the one the reviewer chose, which must be a
 * label for the status the decision gives, or else the default of that status.
 */
export async function labelForDecision(db: Db, status: VerdictLabel['status'], chosen: number | null): Promise<VerdictLabel> {
  const label = chosen === null ? await defaultLabelOf(db, status) : await findLabel(db, chosen);
  if (!label) {
    throw new ValidationError({ label: chosen === null ? `The desk has no label for ${status} claims: ask an admin to add one.` : 'That label is no longer on the desk. Choose another.' });
  }
  if (label.status !== status) {
    throw new ValidationError({ label: `“${label.name}” is a label for ${label.status} claims. Choose a label for a ${status} claim, or the decision that “${label.name}” gives.` });
  }
  return label;
}
