import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '../platform/database.ts';
import { TooManyRequestsError } from '../platform/errors.ts';

/** After this many failures in a row for one account from one IP, that pair is blocked. */
export const MAX_FAILS_PER_ACCOUNT_AND_IP = 10;
const ACCOUNT_IP_BLOCK_SECONDS = 15 * 60;

/**
 * An IP's failures are counted per hour. Reaching the cap blocks the IP for an
 * hour; each further block within a day lasts twice as long as the one before,
 * up to 8 hours. A whole newsroom can share one address (a NAT), so one
 * attacker must not lock everyone out for long: the per-account back-off above
 * is what protects each account.
 */
const IP_WINDOW_SECONDS = 3600;
const IP_FIRST_BLOCK_SECONDS = 3600;
const IP_MAX_BLOCK_SECONDS = 8 * 3600;

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
  private readonly ipBlocks: RateLimiterPostgres;

  /** `maxFailsPerIp`: failures one IP may have in an hour, whatever accounts it tries. */
  constructor(db: Db, private readonly maxFailsPerIp: number) {
    const common = { storeClient: db, storeType: 'knex', tableName: 'login_limits', tableCreated: true, clearExpiredByTimeout: false };
    this.byAccountAndIp = new RateLimiterPostgres({
      ...common,
      keyPrefix: 'acct_ip',
      points: MAX_FAILS_PER_ACCOUNT_AND_IP,
      duration: 24 * 3600,
      blockDuration: ACCOUNT_IP_BLOCK_SECONDS,
    });
    // Blocked explicitly (and for longer each time) by failed(), not on going over.
    this.byIp = new RateLimiterPostgres({ ...common, keyPrefix: 'ip', points: maxFailsPerIp, duration: IP_WINDOW_SECONDS });
    this.ipBlocks = new RateLimiterPostgres({ ...common, keyPrefix: 'ip_blocks', points: 1_000_000, duration: 24 * 3600 });
  }

  /**
   * Counts an attempt before its password is checked, so that attempts sent all
   * at once cannot each pass a check made before any of them failed. Throws 429
   * while this account and IP, or this IP, is blocked or out of attempts.
   * `what` names the attempts in that message ("sign-in attempts").
   */
  async begin(email: string, ip: string, what = 'sign-in attempts'): Promise<SignInAttempt> {
    const key = pairKey(email, ip);
    const [pair, perIp] = await Promise.allSettled([this.byAccountAndIp.consume(key), this.byIp.consume(ip)]);
    if (pair.status === 'rejected' || perIp.status === 'rejected') {
      // A refused attempt is not checked, so it does not count against the other limit.
      if (pair.status === 'fulfilled') await this.byAccountAndIp.reward(key, 1);
      if (perIp.status === 'fulfilled') await this.byIp.reward(ip, 1);
      throw longest(what, [
        ...(pair.status === 'rejected' ? [{ seconds: secondsFrom(pair.reason), network: false }] : []),
        ...(perIp.status === 'rejected' ? [{ seconds: secondsFrom(perIp.reason), network: true }] : []),
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
          blocks.push({ seconds: ACCOUNT_IP_BLOCK_SECONDS, network: false });
        }
        if (perIp.value.consumedPoints >= this.maxFailsPerIp) blocks.push({ seconds: await this.blockIp(ip), network: true });
        if (blocks.length > 0) throw longest(what, blocks);
      },
    };
  }

  /** Blocks an IP for an hour, or twice as long as its last block within a day; returns the seconds. */
  private async blockIp(ip: string): Promise<number> {
    const blocks = await this.ipBlocks.consume(ip);
    const seconds = Math.min(IP_FIRST_BLOCK_SECONDS * 2 ** (blocks.consumedPoints - 1), IP_MAX_BLOCK_SECONDS);
    await this.byIp.block(ip, seconds);
    return seconds;
  }
}

const pairKey = (email: string, ip: string): string => `${email.toLowerCase()}|${ip}`;

function secondsFrom(reason: unknown): number {
  if (reason instanceof RateLimiterRes) return Math.max(1, Math.ceil(reason.msBeforeNext / 1000));
  throw reason;
}

const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });

interface Block {
  seconds: number;
  /** Every account from this IP is blocked, not only the one tried. */
  network: boolean;
}

/** The 429 for the longest of the blocks: "Try again in 15 minutes, at 14:05 UTC." (rounded up, never too early). */
function longest(what: string, blocks: Block[]): TooManyRequestsError {
  const { seconds, network } = blocks.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const at = new Date(Math.ceil((Date.now() + seconds * 1000) / 60_000) * 60_000);
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const wait = minutes < 90 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(minutes / 60)} hours`;
  return new TooManyRequestsError(
    `Too many failed ${what}${network ? ' from your network' : ''}. Try again in ${wait}, at ${clock.format(at)}.`,
    seconds,
  );
}
