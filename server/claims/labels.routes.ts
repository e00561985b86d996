import { Router, type Request, type Response } from 'express';
import type { Db } from '../platform/database.ts';
import { NotFoundError, fieldErrorsOf, type FieldErrors } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import { allow } from '../platform/policies.ts';
import { parseId, parseInput } from '../platform/validate.ts';
import { DECIDED_STATUSES, STATUS_LABELS } from './statuses.ts';
import { createLabel, DeleteLabelForm, EditLabelForm, editLabel, MoveLabelForm, moveLabel, NewLabelForm, removeLabel } from './verdict-labels.commands.ts';
import { findLabel, listLabelsWithUse, type VerdictLabel } from './verdict-labels.repo.ts';

/** The verdict labels an admin keeps: the list with a form to add one, each label's page to edit, reorder or delete it. */
export function labelsRoutes({ db }: { db: Db }): Router {
  const router = Router();
  const statuses = DECIDED_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));

  const listPage = async (res: Response, state: { values: Record<string, unknown>; errors: FieldErrors }) =>
    res.render('admin/labels', { title: 'Verdict labels', labels: await listLabelsWithUse(db), statuses, ...state });

  const labelPage = async (res: Response, label: VerdictLabel, state: { values?: Record<string, unknown>; errors?: FieldErrors; panel?: string }) => {
    const all = await listLabelsWithUse(db);
    const current = all.find((l) => l.id === label.id) ?? { ...label, claims: 0 };
    res.render('admin/label', {
      title: `Label: ${label.name}`,
      label: current,
      others: all.filter((l) => l.id !== label.id && l.status === label.status),
      values: state.panel === 'edit' ? (state.values ?? {}) : label,
      errors: state.panel === 'edit' ? (state.errors ?? {}) : {},
      deleteErrors: state.panel === 'delete' ? (state.errors ?? {}) : {},
      statusLabel: STATUS_LABELS[label.status],
    });
  };

  const load = async (req: Request): Promise<VerdictLabel> => {
    const id = parseId(req.params.id);
    const label = id === null ? null : await findLabel(db, id);
    if (!label) throw new NotFoundError('There is no such label: it may have been deleted.');
    return label;
  };

  router.get('/admin/labels', allow('labels.manage'), async (_req, res) => {
    await listPage(res, { values: { status: 'verified', colour: '#1565c0' }, errors: {} });
  });

  router.post('/admin/labels', allow('labels.manage'), async (req, res) => {
    onInvalid(res, (err) => listPage(res, { values: req.body ?? {}, errors: fieldErrorsOf(err) }));
    const input = parseInput(NewLabelForm, req.body);
    await createLabel(db, input);
    req.session.flash = { kind: 'success', text: `Label “${input.name}” added. Reviewers can choose it when they decide a claim.` };
    res.redirect(303, '/admin/labels');
  });

  router.get('/admin/labels/:id', allow('labels.manage'), async (req, res) => {
    await labelPage(res, await load(req), {});
  });

  router.post('/admin/labels/:id', allow('labels.manage'), async (req, res) => {
    const label = await load(req);
    onInvalid(res, (err) => labelPage(res, label, { values: req.body ?? {}, errors: fieldErrorsOf(err), panel: 'edit' }));
    await editLabel(db, label, parseInput(EditLabelForm, req.body));
    req.session.flash = { kind: 'success', text: 'Label saved.' };
    res.redirect(303, '/admin/labels');
  });

  router.post('/admin/labels/:id/move', allow('labels.manage'), async (req, res) => {
    const label = await load(req);
    await moveLabel(db, label.id, parseInput(MoveLabelForm, req.body).direction);
    res.redirect(303, '/admin/labels');
  });

  router.post('/admin/labels/:id/delete', allow('labels.manage'), async (req, res) => {
    const label = await load(req);
    onInvalid(res, (err) => labelPage(res, label, { errors: fieldErrorsOf(err), panel: 'delete' }));
    const { moveTo } = parseInput(DeleteLabelForm, req.body);
    const { moved } = await removeLabel(db, req.user!, label.id, moveTo);
    req.session.flash = { kind: 'success', text: `Label “${label.name}” deleted${moved ? `; its ${moved} ${moved === 1 ? 'claim now carries' : 'claims now carry'} another label, recorded in their history` : ''}.` };
    res.redirect(303, '/admin/labels');
  });

  return router;
}
