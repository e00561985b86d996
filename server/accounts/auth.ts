import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Db } from '../platform/database.ts';
import type { Actor } from '../platform/policies.ts';
import { verifyPassword } from './passwords.ts';
import { findCredentials, findUserById } from './users.repo.ts';

/** A passport instance of this app's own (not the module-wide singleton). */
export type Passport = InstanceType<typeof passport.Passport>;

/**
 * A passport instance for this app: email + password sign-in, and the
 * session holding only the user id, reloaded on every request so a role
 * change or a disabled account takes effect at once.
 */
export function createPassport(db: Db): Passport {
  const instance = new passport.Passport();
  instance.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', session: true }, (email, password, done) => {
      authenticate(db, email, password).then((actor) => done(null, actor ?? false), done);
    }),
  );
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser((id: unknown, done) => {
    if (typeof id !== 'number') return done(null, false);
    findUserById(db, id).then((user) => done(null, user && !user.disabled ? toActor(user) : false), done);
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
