import type { RequestHandler } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Pool } from 'pg';
import type { Db } from './database.ts';

export interface SessionOptions {
  db: Db;
  secret: string;
  secureCookie: boolean;
  idleMinutes: number;
  maxHours: number;
}

/**
 * Sessions live in PostgreSQL (table `session`), so any app process can serve
 * any request and signing out or disabling a user removes the row for all.
 */
export function sessionMiddleware(options: SessionOptions): RequestHandler {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: knexAsPool(options.db),
    tableName: 'session',
    ttl: options.maxHours * 3600,
    // The idle timeout is enforced by sessionTimeouts(), which records activity
    // at most once a minute, instead of an UPDATE on every request.
    disableTouch: true,
    pruneSessionInterval: 15 * 60,
  });
  return session({
    name: 'factdesk.sid',
    secret: options.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookie, path: '/' },
  });
}

/**
 * Ends a signed-in session after `idleMinutes` without a request or `maxHours`
 * after sign-in, whichever comes first.
 */
export function sessionTimeouts(options: Pick<SessionOptions, 'idleMinutes' | 'maxHours'>): RequestHandler {
  const idleMs = options.idleMinutes * 60_000;
  const maxMs = options.maxHours * 3_600_000;
  return (req, _res, next) => {
    const s = req.session;
    if (!s || !req.user || s.signedInAt === undefined) {
      next();
      return;
    }
    const now = Date.now();
    const lastSeen = s.lastSeenAt ?? s.signedInAt;
    if (now - s.signedInAt > maxMs || now - lastSeen > idleMs) {
      req.logout({ keepSessionInfo: false }, (err) => {
        if (err) return next(err);
        req.session.flash = { kind: 'info', text: 'Your session ended after a period without activity. Sign in again to continue.' };
        next();
      });
      return;
    }
    if (now - lastSeen > 60_000) s.lastSeenAt = now;
    next();
  };
}

/**
 * connect-pg-simple expects a pg Pool; this lends it connections from knex's
 * pool instead, so sessions share the app's connections and its search_path.
 */
function knexAsPool(db: Db): Pool {
  const adapter = {
    async query(text: string, params: unknown[]) {
      const conn = (await db.client.acquireConnection()) as { query(text: string, params: unknown[]): Promise<unknown> };
      try {
        return await conn.query(text, params);
      } finally {
        await db.client.releaseConnection(conn);
      }
    },
  };
  return adapter as unknown as Pool;
}
