// `npm run user:create -- --email ana@example.org --role admin [--name "Ana Lima"]`
// Creates an account on the configured database. The password is asked for on
// the terminal (not echoed) or read from standard input when it is piped.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { hashPassword, passwordProblem } from '../accounts/passwords.ts';
import { emailTaken, insertUser, isEmailTakenError } from '../accounts/users.repo.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/database.ts';
import { prepareDatabase } from '../platform/prepare-database.ts';
import { ROLES } from '../platform/policies.ts';
import { fieldErrors } from '../platform/validate.ts';
import { NewUserForm } from '../accounts/schemas.ts';

const EMAIL_TAKEN = 'An account with this email address already exists.';
const USAGE = 'Usage: npm run user:create -- --email <address> --role <editor|reviewer|admin> [--name "Display Name"]';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } } });
  const parsed = NewUserForm.safeParse({ email: values.email, role: values.role, displayName: values.name ?? values.email?.split('@')[0] });
  if (!parsed.success) {
    const problems = Object.values(fieldErrors(parsed.error as z.ZodError));
    throw new UsageError(`${problems.join(' ')}\n${USAGE}\nRoles: ${ROLES.join(', ')}`);
  }
  // The database first: a desk that cannot be opened (say, the app holds its
  // embedded data) is reported before anyone types a password.
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, ownerUrl: config.databaseMigrationUrl, dataDir: config.dataDir, shareRunning: true });
  try {
    const password = await readPassword();
    const problem = passwordProblem(password, parsed.data.email);
    if (problem) throw new UsageError(problem);
    await prepareDatabase(database);
    if (await emailTaken(database.db, parsed.data.email)) throw new UsageError(EMAIL_TAKEN);
    const user = await insertUser(database.db, { ...parsed.data, passwordHash: await hashPassword(password) }).catch((err: unknown) => {
      throw isEmailTakenError(err) ? new UsageError(EMAIL_TAKEN) : err;
    });
    console.log(`Created ${user.role} account ${user.email} (id ${user.id}).`);
  } finally {
    await database.close();
  }
}

class UsageError extends Error {}

/** The password from a piped stdin, or typed at a hidden prompt. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let prompting = true;
  output._writeToOutput = (s: string) => {
    if (!prompting) output.output.write(s);
  };
  process.stdout.write('Password (at least 12 characters): ');
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  prompting = false;
  rl.close();
  process.stdout.write('\n');
  return answer;
}

main().catch((err: unknown) => {
  console.error(err instanceof UsageError || err instanceof ConfigError ? err.message : `Could not create the account: ${(err as Error).message}`);
  process.exitCode = 1;
});
