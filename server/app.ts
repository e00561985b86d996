import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import multer from 'multer';
import { accountsRouter, createPassport, firstRunGate } from './accounts/index.ts';
import type { Config } from './platform/config.ts';
import { csrfProtection, exposeCsrfToken } from './platform/csrf.ts';
import type { Db } from './platform/database.ts';
import { errorHandler, notFound } from './platform/error-handler.ts';
import { requestLogger, type Logger } from './platform/logging.ts';
import { can } from './platform/policies.ts';
import { sessionMiddleware, sessionTimeouts } from './platform/session.ts';
import { viewHelpers } from './platform/views.ts';
import { healthRoutes } from './platform/health.ts';
import { dashboardRoutes } from './dashboard/dashboard.routes.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the app needs from outside: the open database, the settings and a logger. */
export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
}

/** Builds the Express app: middleware in order, then each feature's routes. Never listens. */
export function createApp(deps: AppDeps): Express {
  const { db, config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('views', path.join(ROOT, 'views'));
  app.set('view engine', 'ejs');
  app.set('view cache', config.nodeEnv !== 'development');
  app.set('query parser', 'simple');
  app.set('view options', { rmWhitespace: true });
  Object.assign(app.locals, viewHelpers, {
    // Defaults for pages rendered before the session is known (e.g. a 413 from the body parser).
    currentUser: null,
    flash: null,
    currentPath: '',
    can: () => false,
    csrfToken: () => '',
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

  // Bodies: forms, JSON and one uploaded file. Large enough that an over-long
  // field gets its own message (400) rather than a bare 413.
  app.use(express.urlencoded({ extended: false, limit: '12mb', parameterLimit: 200 }));
  app.use(express.json({ limit: '12mb' }));
  app.use(multer({ storage: multer.memoryStorage(), limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 50, parts: 60, fieldSize: 4 * 1024 * 1024 } }).single('file'));

  const passport = createPassport(db);
  app.use(
    sessionMiddleware({
      db,
      secret: config.sessionSecret,
      secureCookie: config.nodeEnv === 'production',
      idleMinutes: config.sessionIdleMinutes,
      maxHours: config.sessionMaxHours,
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(sessionTimeouts({ idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours }));
  app.use(csrfProtection);
  app.use(exposeCsrfToken);
  app.use((req, res, next) => {
    res.locals.currentUser = req.user ?? null;
    res.locals.can = (action: Parameters<typeof can>[1], record?: Parameters<typeof can>[2]) => can(req.user, action, record);
    res.locals.currentPath = req.path;
    res.locals.flash = req.session?.flash ?? null;
    if (req.session?.flash) delete req.session.flash;
    next();
  });
  app.use(firstRunGate(db));

  app.use(accountsRouter({ db, logger, passport, baseUrl: config.baseUrl, loginMaxFailsPerIp: config.loginMaxFailsPerIp }));
  app.use(dashboardRoutes({ db }));

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
