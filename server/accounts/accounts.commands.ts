import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../platform/errors.ts';
import type { Actor, Role } from '../platform/policies.ts';
import type { RawForm } from './forms.ts';
import { createPasswordLink, findLiveLink, useLink, type LinkPurpose } from './password-links.repo.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import {
  anyUserExists, deleteSessionsOf, emailTaken, findUserById, insertUser, isEmailTakenError, lockEnabledAdmins, lockFirstRun, passwordHashOf, updateUser, type User,
} from './users.repo.ts';

const EMAIL_TAKEN = 'An account with this email address already exists.';
const CURRENT_INCORRECT = 'Your current password is incorrect.';

/** Creates the first admin, once: a second attempt (or a race) finds a user and is refused. */
export async function createFirstAdmin(db: Db, input: { displayName: string; email: string; password: string }): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (trx) => {
    await lockFirstRun(trx);
    if (await anyUserExists(trx)) throw new NotFoundError();
    return insertUser(trx, { email: input.email, displayName: input.displayName, role: 'admin', passwordHash });
  });
}

/** An admin creates an account; it gets a set-password link (token returned once). */
export async function createAccount(
  db: Db,
  actor: Actor,
  input: { displayName: string; email: string; role: Role },
): Promise<{ user: User; token: string }> {
  try {
    return await db.transaction(async (trx) => {
      if (await emailTaken(trx, input.email)) throw new ValidationError({ email: EMAIL_TAKEN });
      const user = await insertUser(trx, { ...input, passwordHash: null });
      const token = await createPasswordLink(trx, user.id, 'invite', actor.id);
      return { user, token };
    });
  } catch (err) {
    // Another admin added the same email between the check and the insert.
    if (isEmailTakenError(err)) throw new ValidationError({ email: EMAIL_TAKEN });
    throw err;
  }
}

/** The add-an-account checks the schema cannot make (the email is free), for the fields it accepted. */
export async function newAccountProblems(db: Db, raw: RawForm, refused: FieldErrors): Promise<FieldErrors> {
  const email = raw.email?.trim();
  if (refused.email || !email) return {};
  return (await emailTaken(db, email)) ? { email: EMAIL_TAKEN } : {};
}

/**
 * Changes a role; the desk always keeps at least one enabled admin. Choosing
 * the role the account already has changes nothing (`changed` is false).
 */
export async function changeRole(db: Db, userId: number, role: Role): Promise<{ user: User; changed: boolean }> {
  return db.transaction(async (trx) => {
    const user = await mustFind(trx, userId);
    if (user.role === role) return { user, changed: false };
    if (user.role === 'admin' && !user.disabled) await keepOneAdmin(trx, userId, 'demote');
    await updateUser(trx, userId, { role });
    return { user: { ...user, role }, changed: true };
  });
}

/**
 * Disables or enables an account; disabling ends all its sessions at once.
 * Nobody disables their own account (it would sign them out mid-click); an
 * account already in that state is left alone (`changed` is false).
 */
export async function setDisabled(db: Db, actor: Actor, userId: number, disabled: boolean): Promise<{ user: User; changed: boolean }> {
  return db.transaction(async (trx) => {
    const user = await mustFind(trx, userId);
    if (user.disabled === disabled) return { user, changed: false };
    if (disabled && user.id === actor.id) {
      throw new ConflictError('You cannot disable your own account. Ask another admin to do it.', undefined, 'own_account');
    }
    if (disabled && user.role === 'admin') await keepOneAdmin(trx, userId, 'disable');
    await updateUser(trx, userId, { disabled });
    if (disabled) await deleteSessionsOf(trx, userId);
    return { user: { ...user, disabled }, changed: true };
  });
}

/**
 * A new set-password link for an account; any earlier link stops working. An
 * account that never set a password gets a new invitation (and its longer
 * lifetime); otherwise the old password works until the link is used.
 */
export async function issueResetLink(db: Db, actor: Actor, userId: number): Promise<{ user: User; token: string; purpose: LinkPurpose }> {
  return db.transaction(async (trx) => {
    const user = await mustFind(trx, userId);
    const purpose: LinkPurpose = user.hasPassword ? 'reset' : 'invite';
    const token = await createPasswordLink(trx, userId, purpose, actor.id);
    return { user, token, purpose };
  });
}

/** Sets a password through a set-password link; the link then stops working. */
export async function setPasswordWithLink(db: Db, token: string, password: string): Promise<User> {
  const link = await findLiveLink(db, token);
  if (!link) throw new NotFoundError('This set-password link has expired or was already used. Ask an admin for a new one.');
  const user = await mustFind(db, link.userId);
  const problem = passwordProblem(password, user.email);
  if (problem) throw new ValidationError({ password: problem });
  const passwordHash = await hashPassword(password);
  return db.transaction(async (trx) => {
    if (!(await useLink(trx, link.id))) throw new NotFoundError('This set-password link was already used.');
    await updateUser(trx, user.id, { passwordHash });
    await deleteSessionsOf(trx, user.id);
    return user;
  });
}

/**
 * What is wrong with a change of one's own password, in the form's order: a
 * current password that does not match, a new one against the rules. Fields
 * the form already refused are not checked again.
 */
export async function passwordChangeProblems(
  db: Db,
  actor: Actor,
  input: Partial<{ currentPassword: string; password: string }>,
  refused: FieldErrors = {},
  onCurrentChecked?: (right: boolean) => Promise<void>,
): Promise<FieldErrors> {
  const problems: FieldErrors = {};
  if (!refused.currentPassword && input.currentPassword !== undefined) {
    const right = await verifyPassword(input.currentPassword, await passwordHashOf(db, actor.id));
    if (!right) problems.currentPassword = CURRENT_INCORRECT;
    await onCurrentChecked?.(right);
  }
  const problem = !refused.password && input.password !== undefined ? passwordProblem(input.password, actor.email) : null;
  if (problem) problems.password = problem;
  return problems;
}

/**
 * Changes one's own password (the current one is required) and ends one's
 * other sessions. `onCurrentChecked` hears whether the current one was right
 * (the sign-in throttle counts it).
 */
export async function changeOwnPassword(
  db: Db,
  actor: Actor,
  currentSid: string,
  input: { currentPassword: string; password: string },
  onCurrentChecked?: (right: boolean) => Promise<void>,
): Promise<void> {
  const problems = await passwordChangeProblems(db, actor, input, {}, onCurrentChecked);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (trx) => {
    await updateUser(trx, actor.id, { passwordHash });
    await deleteSessionsOf(trx, actor.id, currentSid);
  });
}

/** Changes one's own display name. */
export async function changeDisplayName(db: Db, actor: Actor, displayName: string): Promise<void> {
  await updateUser(db, actor.id, { displayName });
}

/** Shows or hides the suggested checkable sentences on report pages, for this person only. */
export async function setSuggestionsShown(db: Db, actor: Actor, shown: boolean): Promise<void> {
  await updateUser(db, actor.id, { showSuggestions: shown });
}

async function mustFind(db: Db, userId: number): Promise<User> {
  const user = await findUserById(db, userId);
  if (!user) throw new NotFoundError();
  return user;
}

async function keepOneAdmin(trx: Db, userId: number, what: 'demote' | 'disable'): Promise<void> {
  const admins = await lockEnabledAdmins(trx);
  if (admins.length <= 1 && admins.includes(userId)) {
    throw new ConflictError(
      `This is the only enabled admin, so it cannot be ${what === 'demote' ? 'given another role' : 'disabled'}. Make another account an admin first.`,
      undefined,
      'last_admin',
    );
  }
}
