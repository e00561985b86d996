import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '../platform/database.ts';
import { TooManyRequestsError } from '../platform/errors.ts';

/** After this many failures in a row for one account from one IP, that pair is blocked. */
export const MAX_FAILS_PER_ACCOUNT_AND_IP = 10;
const ACCOUNT_IP_BLOCK_SECONDS = 15 * 60;

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
    this.byIp = new RateLimiterPostgres({
      ...common,
      keyPrefix: 'ip',
      points: maxFailsPerIp,
      duration: 24 * 3600,
      blockDuration: 24 * 3600,
    });
  }

  /** Throws 429 while this account and IP, or this IP, is blocked. */
  async check(email: string, ip: string): Promise<void> {
    const [pair, perIp] = await Promise.all([this.byAccountAndIp.get(pairKey(email, ip)), this.byIp.get(ip)]);
    const wait = Math.max(blockedFor(pair, MAX_FAILS_PER_ACCOUNT_AND_IP), blockedFor(perIp, this.maxFailsPerIp));
    if (wait > 0) throw tooMany(wait);
  }

  /** Counts a failed sign-in; throws 429 when this failure starts a block. */
  async fail(email: string, ip: string): Promise<void> {
    try {
      await Promise.all([this.byAccountAndIp.consume(pairKey(email, ip)), this.byIp.consume(ip)]);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw tooMany(Math.ceil(res.msBeforeNext / 1000));
      throw res;
    }
    // The consume that uses the last point does not throw: the next attempt would.
    const pair = await this.byAccountAndIp.get(pairKey(email, ip));
    if (pair && pair.remainingPoints <= 0) {
      await this.byAccountAndIp.block(pairKey(email, ip), ACCOUNT_IP_BLOCK_SECONDS);
      throw tooMany(ACCOUNT_IP_BLOCK_SECONDS);
    }
  }

  /** A successful sign-in clears that account and IP's failures. */
  async succeed(email: string, ip: string): Promise<void> {
    await this.byAccountAndIp.delete(pairKey(email, ip));
  }
}

const pairKey = (email: string, ip: string): string => `${email.toLowerCase()}|${ip}`;

function blockedFor(res: RateLimiterRes | null, points: number): number {
  if (!res || res.consumedPoints < points) return 0;
  return Math.ceil(res.msBeforeNext / 1000);
}

function tooMany(seconds: number): TooManyRequestsError {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new TooManyRequestsError(
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    seconds,
  );
}
