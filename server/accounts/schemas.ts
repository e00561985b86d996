import { z } from 'zod';
import { ROLES } from '../platform/policies.ts';
import { choice, requiredText } from '../platform/validate.ts';
import { TOKEN_LIFETIMES } from './api-tokens.ts';
import { PASSWORD_MAX, passwordProblem } from './passwords.ts';

const email = requiredText('an email address', 254).pipe(
  z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Enter an email address in the correct format, like name@example.com.'),
);

const displayName = requiredText('your name', 100);

const rawPassword = (label: string) =>
  z
    .string({ error: `Enter ${label}.` })
    .min(1, `Enter ${label}.`)
    // Checked before hashing so a huge value is refused cheaply; never truncated.
    .max(PASSWORD_MAX * 4, `Password must be ${PASSWORD_MAX} characters or fewer.`);

const role = choice(ROLES, 'Choose a role: editor, reviewer or admin.');

/** A new password: entered, and the rules that hold for any account (length, not a common one). */
const newPassword = (label: string) =>
  rawPassword(label).superRefine((password, ctx) => {
    const problem = passwordProblem(password, null);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The one rule that needs the form's email: the password is not the email address. */
function notTheEmail(value: { password: string; email: string }, ctx: z.RefinementCtx) {
  if (passwordProblem(value.password, null)) return; // already refused beside the field
  const problem = passwordProblem(value.password, value.email);
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
}

export const SignInForm = z.object({
  email,
  password: rawPassword('your password'),
});

export const SetupForm = z
  .object({ displayName, email, password: newPassword('a password'), loadDemo: z.preprocess((v) => v === 'yes', z.boolean()) })
  .superRefine(notTheEmail);

export const NewUserForm = z.object({ displayName: requiredText('a name', 100), email, role });

export const RoleForm = z.object({ role });

export const ProfileForm = z.object({ displayName });

/** Set-password page; the account's email arrives from the link, not the form (the command checks it). */
export const SetPasswordForm = z.object({ password: newPassword('a password') });

export const ChangePasswordForm = z.object({
  currentPassword: rawPassword('your current password'),
  password: newPassword('a new password'),
});

/** The reading preferences: a ticked box sends "yes"; an unticked one sends nothing. */
export const PreferencesForm = z.object({
  showSuggestions: z.preprocess((v) => v ?? 'no', z.enum(['yes', 'no'], { error: 'Tick the box or leave it empty.' })).transform((v) => v === 'yes'),
});

/** A new API token: its name, what it may do, and for how long. */
export const NewTokenForm = z.object({
  name: requiredText('a name for the token', 80),
  scope: choice(['read', 'write'] as const, 'Choose read only, or read and write.'),
  lifetime: choice(TOKEN_LIFETIMES, 'Choose how long the token lasts: 7, 30, 90 or 365 days.'),
});
