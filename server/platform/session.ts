import type { Request, RequestHandler } from 'express';
import session, { type SessionData } from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Pool } from 'pg';
import type { Db } from './database.ts';

/**
 * How the signed-in account is read in the same query as its session: the
 * columns to select from the account table (alias `a`, joined on the user id
 * passport keeps in the session) and how a row becomes the account.
 */
export interface SessionAccountLookup {
  table: string;
  columns: string;
  fromRow(row: Record<string, unknown>): unknown;
}

export interface SessionOptions {
  db: Db;
  /** The first signs the cookie; every one of them is accepted when checking it. */
  secret: string[];
  secureCookie: boolean;
  idleMinutes: number;
  maxHours: number;
  account?: SessionAccountLookup;
}

// The account read with a request's session, until passport asks for it. A
// symbol-keyed property is never copied into the session or saved with it.
const ACCOUNT = Symbol('account read with the session');
const accountsOfRequests = new WeakMap<Request, unknown>();

/**
 * The account that was read with this request's session (null when the
 * session names none that exists), or undefined when it was not read with it.
 */
export function accountReadWithSession(req: Request): unknown {
  return accountsOfRequests.get(req);
}

/**
 * Sessions live in PostgreSQL (table `session`), so any app process can serve
 * any request and signing out or disabling a user removes the row for all.
 */
export function sessionMiddleware(options: SessionOptions): RequestHandler {
  const PgStore = connectPgSimple(session);
  const pool = knexAsPool(options.db);
  const lookup = options.account;
  /**
   * connect-pg-simple's store, except that reading a session also reads its
   * account: one round trip instead of two on every signed-in request.
   */
  class SessionAndAccountStore extends PgStore {
    override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
      if (!lookup) return super.get(sid, callback);
      const userId = `CASE WHEN json_typeof(s.sess -> 'passport' -> 'user') = 'number' THEN (s.sess -> 'passport' ->> 'user')::bigint END`;
      pool
        .query(
          `SELECT s.sess, a.id IS NOT NULL AS account_found, ${lookup.columns}
             FROM session s LEFT JOIN ${lookup.table} a ON a.id = ${userId}
            WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`,
          [sid, Math.ceil(Date.now() / 1000)],
        )
        .then(({ rows }) => {
          const row = rows[0] as (Record<string, unknown> & { sess: SessionData; account_found: boolean }) | undefined;
          if (!row) return callback(null, null);
          Object.defineProperty(row.sess, ACCOUNT, { value: row.account_found ? lookup.fromRow(row) : null, enumerable: false });
          callback(null, row.sess);
        }, callback);
    }

    override createSession(req: Request, data: SessionData): session.Session & SessionData {
      if (Object.prototype.hasOwnProperty.call(data, ACCOUNT)) accountsOfRequests.set(req, (data as unknown as Record<symbol, unknown>)[ACCOUNT]);
      return super.createSession(req, data);
    }
  }
  const store = new SessionAndAccountStore({
    pool,
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

/** What a session holds, as the store would save it (the cookie's settings aside). */
function sessionContent(s: session.Session | undefined): string | undefined {
  return s && JSON.stringify(s, (key, value: unknown) => (key === 'cookie' ? undefined : value));
}

/**
 * Saves a changed session before a redirect leaves. express-session saves it
 * while the response ends, after the headers are out, so a browser following
 * the redirect at once could read the session before the save, and the next
 * page would miss what the last action left there (its notice, the page to
 * return to after sign-in). Mount it right after the session middleware.
 */
export const saveSessionBeforeRedirect: RequestHandler = (req, res, next) => {
  const before = sessionContent(req.session);
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    if (!req.session || sessionContent(req.session) === before) return redirect(...args);
    req.session.save((err) => (err ? next(err) : redirect(...args)));
  }) as typeof res.redirect;
  next();
};
