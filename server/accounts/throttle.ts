import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '../platform/database.ts';
import { TooManyRequestsError } from '../platform/errors.ts';

/** After this many failures in a row for one account from one IP, that pair is blocked. */
export const MAX_FAILS_PER_ACCOUNT_AND_IP = 10;
const ACCOUNT_IP_BLOCK_SECONDS = 15 * 60;
const IP_BLOCK_SECONDS = 24 * 3600;

/** One sign-in attempt that has been counted: report how the password check went. */
export interface SignInAttempt {
  /** The password was right: the attempt is not held against the account or the IP. */
  succeeded(): Promise<void>;
  /** The password was wrong; throws 429 when this failure starts a block. */
  failed(): Promise<void>;
}

/**
 * Sign-in throttling kept in PostgreSQL (table login_limits), so every app
 * process sees the same counts: a back-off per account and IP, and a cap per IP.
 */
export class LoginThrottle {
  private readonly byAccountAndIp: RateLimiterPostgres;
  private readonly byIp: RateLimiterPostgres;

  /** `maxFailsPerIp`: failures one IP may have in a day, whatever accounts it tries (a newsroom behind one NAT shares it). */
  constructor(db: Db, private readonly maxFailsPerIp: number) {
    const common = { storeClient: db, storeType: 'knex', tableName: 'login_limits', tableCreated: true, clearExpiredByTimeout: false };
    this.byAccountAndIp = new RateLimiterPostgres({
      ...common,
      keyPrefix: 'acct_ip',
      points: MAX_FAILS_PER_ACCOUNT_AND_IP,
      duration: 24 * 3600,
      blockDuration: ACCOUNT_IP_BLOCK_SECONDS,
    });
    this.byIp = new RateLimiterPostgres({ ...common, keyPrefix: 'ip', points: maxFailsPerIp, duration: 24 * 3600, blockDuration: IP_BLOCK_SECONDS });
  }

  /**
   * Counts an attempt before its password is checked, so that attempts sent all
   * at once cannot each pass a check made before any of them failed. Throws 429
   * while this account and IP, or this IP, is blocked or out of attempts.
   */
  async begin(email: string, ip: string): Promise<SignInAttempt> {
    const key = pairKey(email, ip);
    const [pair, perIp] = await Promise.allSettled([this.byAccountAndIp.consume(key), this.byIp.consume(ip)]);
    if (pair.status === 'rejected' || perIp.status === 'rejected') {
      // A refused attempt is not checked, so it does not count against the other limit.
      if (pair.status === 'fulfilled') await this.byAccountAndIp.reward(key, 1);
      if (perIp.status === 'fulfilled') await this.byIp.reward(ip, 1);
      throw longest([
        ...(pair.status === 'rejected' ? [{ seconds: secondsFrom(pair.reason) }] : []),
        ...(perIp.status === 'rejected' ? [{ seconds: secondsFrom(perIp.reason) }] : []),
      ]);
    }
    return {
      succeeded: async () => {
        await Promise.all([this.byAccountAndIp.delete(key), this.byIp.reward(ip, 1)]);
      },
      failed: async () => {
        const blocks: Block[] = [];
        if (pair.value.consumedPoints >= MAX_FAILS_PER_ACCOUNT_AND_IP) {
          await this.byAccountAndIp.block(key, ACCOUNT_IP_BLOCK_SECONDS);
          blocks.push({ seconds: ACCOUNT_IP_BLOCK_SECONDS });
        }
        if (perIp.value.consumedPoints >= this.maxFailsPerIp) blocks.push({ seconds: await this.blockIp(ip) });
        if (blocks.length > 0) throw longest(blocks);
      },
    };
  }

  private async blockIp(ip: string): Promise<number> {
    await this.byIp.block(ip, IP_BLOCK_SECONDS);
    return IP_BLOCK_SECONDS;
  }
}

const pairKey = (email: string, ip: string): string => `${email.toLowerCase()}|${ip}`;

function secondsFrom(reason: unknown): number {
  if (reason instanceof RateLimiterRes) return Math.max(1, Math.ceil(reason.msBeforeNext / 1000));
  throw reason;
}

interface Block {
  seconds: number;
}

/** The 429 for the longest of the blocks. */
function longest(blocks: Block[]): TooManyRequestsError {
  const { seconds } = blocks.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new TooManyRequestsError(
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    seconds,
  );
}
