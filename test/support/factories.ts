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
