import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../platform/database.ts';
import { fieldErrorsOf, type FieldErrors } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import { loadById } from '../platform/load.ts';
import { allow } from '../platform/policies.ts';
import { parseInput, requiredText } from '../platform/validate.ts';
import { findView } from './saved-views.repo.ts';
import { removeView, saveView, viewPath, viewsMenu } from './saved-views.ts';

const ListName = z.preprocess((v) => v ?? 'claims', z.enum(['claims', 'review'], { error: 'Save a view of the claims list or of the review queue.' }));
const Query = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(2000, { error: 'These filters are too long to save.' }));
const NewViewQuery = z.object({ list: ListName, query: Query });
const SaveViewForm = z.object({
  name: requiredText('the view’s name', 80),
  list: ListName,
  query: Query,
  shared: z.preprocess((v) => v === 'yes' || v === 'on' || v === true, z.boolean()),
});

/** Saved views: save a list's filters under a name (for oneself or the desk), open one by its address, remove one. */
export function viewsRoutes({ db }: { db: Db }): Router {
  const router = Router();

  router.get('/views', allow('views.manage'), async (req, res) => {
    res.render('claims/views', { title: 'Views', views: await viewsMenu(db, req.user!) });
  });

  router.get('/views/new', allow('views.manage'), (req, res) => {
    const { list, query } = parseInput(NewViewQuery, req.query);
    renderForm(res, { list, query, name: '', shared: false }, {});
  });

  router.post('/views', allow('views.manage'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    onInvalid(res, (err) => renderForm(res, { list: body.list === 'review' ? 'review' : 'claims', query: typeof body.query === 'string' ? body.query : '', name: body.name, shared: body.shared === 'yes' }, fieldErrorsOf(err)));
    const input = parseInput(SaveViewForm, body);
    const { id, path } = await saveView(db, req.user!, input);
    req.session.flash = { kind: 'success', text: `View “${input.name}” saved${input.shared ? ' for the desk' : ''}. Share it with its address, /views/${id}.` };
    res.redirect(303, path);
  });

  router.get('/views/:id', allow('desk.read'), async (req, res) => {
    const view = await loadById(req.params.id, (id) => findView(db, id));
    res.redirect(302, viewPath(view));
  });

  router.post('/views/:id/delete', allow('views.manage'), async (req, res) => {
    const view = await loadById(req.params.id, (id) => findView(db, id));
    await removeView(db, req.user!, view.id);
    req.session.flash = { kind: 'success', text: `View “${view.name}” removed.` };
    res.redirect(303, '/views');
  });

  return router;
}

function renderForm(res: Response, values: { list: string; query: string; name: unknown; shared: boolean }, errors: FieldErrors): void {
  res.render('claims/view-form', { title: 'Save a view', values, errors, path: viewPath({ list: values.list === 'review' ? 'review' : 'claims', query: values.query }) });
}
