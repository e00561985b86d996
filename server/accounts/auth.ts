import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Request } from 'express';
import type { Db } from '../platform/database.ts';
import { accountReadWithSession } from '../platform/session.ts';
import type { Actor } from '../platform/policies.ts';
import { verifyPassword } from './passwords.ts';
import { findCredentials, findUserById, type User } from './users.repo.ts';

/** A passport instance of this app's own (not the module-wide singleton). */
export type Passport = InstanceType<typeof passport.Passport>;

/**
 * A passport instance for this app: email + password sign-in, and the
 * session holding only the user id; the account is read again on every
 * request (with the session, see ACCOUNT_WITH_SESSION), so a role change or
 * a disabled account takes effect at once.
 */
export function createPassport(db: Db): Passport {
  const instance = new passport.Passport();
  instance.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', session: true }, (email, password, done) => {
      authenticate(db, email, password).then((actor) => done(null, actor ?? false), done);
    }),
  );
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser((req: Request, id: unknown, done: (err: unknown, user?: Express.User | false) => void) => {
    if (typeof id !== 'number') return done(null, false);
    const enabled = (user: User | null) => done(null, user && user.id === id && !user.disabled ? { ...toActor(user), showSuggestions: user.showSuggestions } : false);
    // Usually the account came with the session, in the same query; otherwise it is read now.
    const withSession = accountReadWithSession(req) as User | null | undefined;
    if (withSession !== undefined) return enabled(withSession);
    findUserById(db, id).then(enabled, done);
  });
  return instance;
}

/** The enabled user with this email and password, or null. */
export async function authenticate(db: Db, email: string, password: string): Promise<Actor | null> {
  const found = await findCredentials(db, email);
  const ok = await verifyPassword(password, found?.passwordHash ?? null);
  if (!ok || !found || found.user.disabled) return null;
  return toActor(found.user);
}

function toActor(user: Actor): Actor {
  return { id: user.id, role: user.role, email: user.email, displayName: user.displayName };
}
