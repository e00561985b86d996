import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../platform/database.ts';
import { ConflictError, type FieldErrors, fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid, respond } from '../platform/http.ts';
import { allow } from '../platform/policies.ts';
import { loadById } from '../platform/load.ts';
import { optionalText, parseInput } from '../platform/validate.ts';
import { CREDIBILITY, RELIABILITY } from './ratings.ts';
import { SourceEditForm, SourceForm } from './schemas.ts';
import { createSource, DuplicateSourceError, updateSource } from './sources.commands.ts';
import { differencesFromSaved, type VersionDifference } from './source-form.ts';
import { renderSourcePage } from './source-page.ts';
import { sourceUsage, type SourceUsage } from './source-usage.ts';
import { statusCountsOfSource } from './evidence.repo.ts';
import { findSource, listSources, SOURCE_KIND_LABELS, SOURCE_KINDS, type Source } from './sources.repo.ts';

const ListQuery = z.object({ q: optionalText('search', 200), after: z.string().max(2000).optional() });

/** The source library: list and search, add, the source page with every claim using it, edit. */
export function sourcesRoutes({ db }: { db: Db }): Router {
  const router = Router();

  router.get('/sources', allow('desk.read'), async (req, res) => {
    const query = parseInput(ListQuery, req.query);
    const page = await listSources(db, { q: query.q, after: query.after ?? null });
    await respond(req, res, () => res.render('sources/index', { title: 'Sources', page, q: query.q ?? '' }), () => page);
  });

  router.get('/api/sources', allow('desk.read'), async (req, res) => {
    const query = parseInput(ListQuery, req.query);
    const page = await listSources(db, { q: query.q, limit: 10 });
    res.json({ sources: page.sources });
  });

  router.get('/sources/new', allow('source.create'), (_req, res) => {
    renderForm(res, { values: { kind: 'web_page', reliability: 'F' } });
  });

  router.post('/sources', allow('source.create'), async (req, res) => {
    onInvalid(res, (err) => renderForm(res, { values: req.body ?? {}, errors: fieldsOf(err), duplicate: duplicateOf(err) }));
    const input = parseInput(SourceForm, req.body);
    const id = await createSource(db, req.user!, input);
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(201).json({ id, url: `/sources/${id}` });
      return;
    }
    req.session.flash = { kind: 'success', text: 'Source added to the library.' };
    res.redirect(303, `/sources/${id}`);
  });

  router.get('/sources/:id', allow('desk.read'), async (req, res) => {
    await renderSourcePage(db, req, res, await loadSource(db, req));
  });

  router.get('/sources/:id/edit', allow('source.edit'), async (req, res) => {
    const source = await loadSource(db, req);
    renderForm(res, { source, values: source, usage: sourceUsage(await statusCountsOfSource(db, source.id)) });
  });

  router.post('/sources/:id', allow('source.edit'), async (req, res) => {
    const source = await loadSource(db, req);
    onInvalid(res, async (err) => {
      const current = err instanceof ConflictError && err.code === 'stale_version' ? (err.current as Source) : null;
      const values = { ...(req.body ?? {}), ...(current ? { version: current.version } : {}) } as Record<string, unknown>;
      renderForm(res, {
        source: current ?? source,
        values,
        errors: fieldsOf(err),
        duplicate: duplicateOf(err),
        current,
        differences: current ? differencesFromSaved(current, values) : [],
        usage: sourceUsage(await statusCountsOfSource(db, source.id)),
      });
    });
    const input = parseInput(SourceEditForm, req.body);
    await updateSource(db, req.user!, source.id, input.version, input);
    req.session.flash = { kind: 'success', text: 'Source saved.' };
    res.redirect(303, `/sources/${source.id}`);
  });

  return router;
}

/** The source named by the path's :id, or a 404. */
export function loadSource(db: Db, req: Request): Promise<Source> {
  return loadById(req.params.id, (id) => findSource(db, id));
}

interface FormView {
  source?: Source | null;
  values: object;
  errors?: FieldErrors;
  duplicate?: Source | null;
  /** The saved source when the form was stale, and where it differs from what was typed. */
  current?: Source | null;
  differences?: VersionDifference[];
  usage?: SourceUsage | null;
}

function renderForm(res: Response, view: FormView): void {
  const source = view.source ?? null;
  res.render('sources/form', {
    title: source ? `Edit ${source.title}` : 'Add a source',
    source,
    values: view.values,
    errors: view.errors ?? {},
    duplicate: view.duplicate ?? null,
    current: view.current ?? null,
    differences: view.differences ?? [],
    usage: view.usage ?? null,
    kinds: SOURCE_KINDS,
    kindLabels: SOURCE_KIND_LABELS,
    reliabilities: RELIABILITY,
    credibilities: CREDIBILITY,
  });
}

function duplicateOf(err: Error): Source | null {
  return err instanceof DuplicateSourceError ? err.existing : null;
}

function fieldsOf(err: Error): FieldErrors {
  return err instanceof DuplicateSourceError ? { url: err.message } : fieldErrorsOf(err);
}
