import type { Db } from '../../server/platform/database.ts';
import type { Role } from '../../server/platform/policies.ts';
import { hashPassword } from '../../server/accounts/passwords.ts';
import { insertUser, updateUser, type User } from '../../server/accounts/users.repo.ts';

/** The password every factory-made account signs in with. */
export const TEST_PASSWORD = 'a long test password nobody uses';

let sharedHash: Promise<string> | undefined;
let sequence = 0;

/** An account of the given role (and enabled unless told otherwise). */
export async function makeUser(db: Db, props: Partial<{ role: Role; email: string; displayName: string; disabled: boolean }> = {}): Promise<User> {
  // One scrypt per test process: factories are not what tests of hashing look at.
  sharedHash ??= hashPassword(TEST_PASSWORD);
  sequence += 1;
  const role = props.role ?? 'editor';
  const user = await insertUser(db, {
    email: props.email ?? `${role}${sequence}.${process.pid}@desk.test`,
    displayName: props.displayName ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${sequence}`,
    role,
    passwordHash: await sharedHash,
  });
  if (props.disabled) await updateUser(db, user.id, { disabled: true });
  return { ...user, disabled: props.disabled ?? false };
}

/** A report with the given text, imported by the user (through the same command the app uses). */
export async function makeReport(db: Db, user: User, props: Partial<{ title: string; body: string; url: string | null; outlet: string | null }> = {}): Promise<number> {
  const { createReport } = await import('../../server/reports/reports.commands.ts');
  return createReport(db, user, {
    title: props.title ?? `Report ${++sequence}`,
    outlet: props.outlet ?? 'The Daily Test',
    byline: null,
    url: props.url ?? 'https://news.example/story',
    publishedOn: '2025-11-20',
    body: props.body ?? 'The minister said the bridge opened in 2019. Critics said it opened in 2021.\n\nA second paragraph follows.',
  });
}

/** A claim logged on a report by quote (the command checks the quote is in the text). */
export async function makeClaim(
  db: Db,
  user: User,
  reportId: number,
  props: Partial<{ quote: string; statement: string; claimant: string | null; kind: 'factual' | 'attributed' | 'direct_quote' | 'prediction' | 'opinion'; tags: string[]; priority: number }> = {},
): Promise<number> {
  const { logClaim } = await import('../../server/claims/claims.commands.ts');
  return logClaim(db, user, reportId, {
    quote: props.quote ?? 'the bridge opened in 2019',
    quotePrefix: '',
    quoteSuffix: '',
    quoteStart: null,
    quoteEnd: null,
    statement: props.statement ?? 'The bridge opened in 2019.',
    claimant: props.claimant === undefined ? 'The minister' : props.claimant,
    kind: props.kind ?? 'factual',
    tags: props.tags ?? [],
    priority: props.priority ?? 1,
  });
}
