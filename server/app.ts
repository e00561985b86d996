import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { ACCOUNT_WITH_SESSION, accountsRouter, createPassport, firstRunGate } from './accounts/index.ts';
import type { Config } from './platform/config.ts';
import { csrfProtection, exposeCsrfToken } from './platform/csrf.ts';
import type { Db } from './platform/database.ts';
import { errorHandler, notFound } from './platform/error-handler.ts';
import { UnauthorizedError } from './platform/errors.ts';
import { requestLogger, type Logger } from './platform/logging.ts';
import { can } from './platform/policies.ts';
import { saveSessionBeforeRedirect, sessionMiddleware, sessionTimeouts } from './platform/session.ts';
import { exposeFlash } from './platform/flash.ts';
import { createFragments } from './platform/fragments.ts';
import { viewHelpers } from './platform/views.ts';
import { healthRoutes } from './platform/health.ts';
import { CONFIDENCE_LABELS, KIND_LABELS, PRIORITY_LABELS } from './claims/fields.ts';
import { STATUS_LABELS } from './claims/statuses.ts';
import { CREDIBILITY_LABELS, RELATION_LABELS, RELIABILITY_LABELS } from './sources/ratings.ts';
import { reportsRoutes } from './reports/reports.routes.ts';
import { importUploads } from './reports/upload.ts';
import { claimsRoutes } from './claims/claims.routes.ts';
import { repeatsRoutes } from './claims/repeats.routes.ts';
import { labelsRoutes } from './claims/labels.routes.ts';
import { reanchorReportClaims } from './claims/reanchor.ts';
import { provenanceRoutes } from './sources/provenance.routes.ts';
import { bulkRoutes } from './bulk/bulk.routes.ts';
import { viewsRoutes } from './claims/views.routes.ts';
import { setExtractionLimits } from './reports/extract.ts';
import { MAX_BULK } from './bulk/schemas.ts';
import { sourcesRoutes } from './sources/sources.routes.ts';
import { evidenceRoutes } from './sources/evidence.routes.ts';
import { reviewRoutes } from './review/review.routes.ts';
import { reuseRoutes } from './review/reuse.routes.ts';
import { exportsRoutes } from './exports/exports.routes.ts';
import { loadSampleForSetup } from './demo/load.ts';
import type { QueueFeed } from './review/live.ts';
import { webhooksRoutes } from './webhooks/webhooks.routes.ts';
import { pagesRoutes, screens } from './pages/pages.routes.ts';
import { apiRoutes } from './api/api.routes.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the app needs from outside: the open database, the settings and a logger. */
export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  /** Pushes queue changes to open queue pages (server database only). */
  feed?: QueueFeed;
  /** The desk's clock: what "today" is for re-check dates (tests set it). */
  clock?: () => Date;
  /** The session cookie's secrets, the first signing (server/platform/session-secret.ts); else config.sessionSecret. */
  sessionSecrets?: string[];
  /** Resolves host names for server-side fetches (tests name hosts that resolve to private addresses); else the system's resolver. */
  resolveHost?: (host: string) => Promise<{ address: string; family: number }[]>;
}

/**
 * Builds the Express app: middleware in order, then each feature's routes and
 * the screens (server/pages/). Features never import pages: the screens a
 * refused form is shown again on are handed to them here, and so is the one
 * function a report correction re-anchors its claims with. Never listens.
 */
export function createApp(deps: AppDeps): Express {
  const { db, config, logger } = deps;
  setExtractionLimits(config.importLimits);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('views', path.join(ROOT, 'views'));
  app.set('view engine', 'ejs');
  // EJS 7 no longer reads Express's 'view options', so its options are given here:
  // compiled templates are cached outside development; template indentation is dropped.
  const ejsOptions = { rmWhitespace: true, cache: config.nodeEnv !== 'development' };
  // Every page is drawn inside views/layout.ejs (header, navigation, notice, footer); views hold only their own part.
  const layout = path.join(ROOT, 'views', 'layout.ejs');
  app.engine('ejs', (file: string, data: object, done: (err: Error | null, html?: string) => void) => {
    ejs.renderFile(file, data as ejs.Data, ejsOptions, (err, content) => {
      if (err) return done(err);
      ejs.renderFile(layout, { ...(data as ejs.Data), content }, ejsOptions, (err2, html) => done(err2, html));
    });
  });
  app.set('query parser', 'simple');
  // The words for every coded value, so views never show a bare code.
  const labels = {
    status: STATUS_LABELS,
    kind: KIND_LABELS,
    priority: PRIORITY_LABELS,
    confidence: CONFIDENCE_LABELS,
    reliability: RELIABILITY_LABELS,
    credibility: CREDIBILITY_LABELS,
    relation: RELATION_LABELS,
  };
  const fragment = createFragments(path.join(ROOT, 'views'), { labels }, { cache: ejsOptions.cache });
  Object.assign(app.locals, viewHelpers, {
    // Defaults for pages rendered before the session is known (e.g. a 413 from the body parser).
    currentUser: null,
    flash: null,
    currentPath: '',
    can: () => false,
    csrfToken: () => '',
    labels,
    fragment,
  });

  app.use(requestLogger(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: config.nodeEnv === 'production' ? [] : null,
        },
      },
      strictTransportSecurity: config.nodeEnv === 'production',
    }),
  );
  app.use('/public', express.static(path.join(ROOT, 'public'), { index: false, maxAge: config.nodeEnv === 'production' ? '1h' : 0 }));
  app.use(healthRoutes(db));

  // The JSON API answers to tokens, never to the session's cookie: it comes before the session.
  const clock = deps.clock ?? (() => new Date());
  app.use(apiRoutes({ db, config, logger, repeats: config.repeats, clock }).router);

  const passport = createPassport(db);
  app.use(
    sessionMiddleware({
      db,
      secret: deps.sessionSecrets ?? [required(config.sessionSecret, 'a session secret')],
      secureCookie: config.nodeEnv === 'production',
      idleMinutes: config.sessionIdleMinutes,
      maxHours: config.sessionMaxHours,
      account: ACCOUNT_WITH_SESSION,
    }),
  );
  app.use(saveSessionBeforeRedirect);
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(sessionTimeouts({ idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours }));
  // Bodies are read once the session says who is asking, and before the CSRF
  // check, which reads the token from them.
  app.use(bodyParsers());
  // The import form's file: read only on its route, for someone who may import.
  app.use(importUploads());
  app.use(csrfProtection);
  app.use(exposeCsrfToken);
  app.use((req, res, next) => {
    // A signed-in page holds the newsroom's unpublished work: no browser or proxy keeps a copy (Back after sign-out shows nothing).
    if (req.user) res.set('Cache-Control', 'no-store');
    res.locals.currentUser = req.user ?? null;
    res.locals.can = (action: Parameters<typeof can>[1], record?: Parameters<typeof can>[2]) => can(req.user, action, record);
    res.locals.currentPath = req.path;
    next();
  });
  app.use(exposeFlash);
  app.use(firstRunGate(db));

  app.use(accountsRouter({ db, logger, passport, baseUrl: config.baseUrl, loginMaxFailsPerIp: config.loginMaxFailsPerIp, loadDemo: loadSampleForSetup }));
  const { claimPage, reportPage } = screens(db, clock);
  // Every server-side fetch (import by address, webhook endpoints) asks the one guard with these rules.
  const outboundRules = { ...config.outbound, ...(deps.resolveHost ? { resolve: deps.resolveHost } : {}) };
  // Exports first: /claims/sheet must not be read as the claim with id "sheet".
  app.use(exportsRoutes({ db, config }));
  app.use(bulkRoutes({ db })); // before the claim pages: /claims/bulk is not a claim
  app.use(reportsRoutes({ db, reanchorClaims: reanchorReportClaims, outbound: outboundRules }));
  app.use(claimsRoutes({ db, screens: { claimPage, reportPage }, repeats: config.repeats }));
  app.use(repeatsRoutes({ db, settings: config.repeats, claimPage }));
  app.use(labelsRoutes({ db }));
  app.use(viewsRoutes({ db }));
  app.use(provenanceRoutes({ db, claimPage })); // before the source pages: /sources/provenance is not a source
  app.use(sourcesRoutes({ db }));
  app.use(evidenceRoutes({ db, claimPage }));
  app.use(reviewRoutes({ db, feed: deps.feed, claimPage, clock }));
  app.use(reuseRoutes({ db, clock }));
  app.use(webhooksRoutes({ db, outbound: outboundRules }));
  // The screens after the features: /reports/new is a form, not the report with id "new".
  app.use(pagesRoutes({ db, feed: deps.feed, clock }));

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

/**
 * Form and JSON bodies. A signed-in person's may be large, so that an
 * over-long field gets its own message (400) rather than a bare 413; so may
 * the few forms a visitor fills in before signing in (sign-in, setup, setting
 * a password), for the same reason. Any other body from a visitor is kept
 * small, so nobody without an account can make the server buffer megabytes
 * anywhere else; a larger one (a form sent after the session ended) is sent
 * to sign in.
 */
function bodyParsers(): RequestHandler {
  const parsers = (limit: string, parameterLimit: number) => ({ form: express.urlencoded({ extended: false, limit, parameterLimit }), json: express.json({ limit }) });
  const full = parsers('12mb', 200);
  // The bulk form names up to MAX_BULK claims ticked on a report's page: only it takes that many fields.
  const bulk = parsers('12mb', 2 * MAX_BULK + 200);
  const visitor = parsers('64kb', 200);
  const visitorForms = /^\/(login|setup|set-password\/[^/]+)$/i;
  return (req, res, next) => {
    const { form, json } = req.user ? (req.path === '/claims/bulk' ? bulk : full) : visitorForms.test(req.path) ? full : visitor;
    const tooLargeForVisitor = (err: unknown) => !req.user && typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.too.large';
    form(req, res, (err?: unknown) => {
      if (err) return next(tooLargeForVisitor(err) ? new UnauthorizedError() : err);
      json(req, res, (err2?: unknown) => next(err2 && tooLargeForVisitor(err2) ? new UnauthorizedError() : err2));
    });
  };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`createApp needs ${what}`);
  return value;
}
