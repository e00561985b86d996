import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { allowHostsFrom } from './outbound-address.ts';

/** The settings Factdesk runs with, read once from the environment at start-up. */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  /** The owner role's connection, for the migrations at start-up (DATABASE_URL then serves requests only). */
  databaseMigrationUrl: string | undefined;
  dataDir: string;
  /**
   * SESSION_SECRET, when set; otherwise every process of the desk reads the
   * one its first migration made in the database (server/platform/session-secret.ts).
   */
  sessionSecret: string | undefined;
  /** The secret an older Factdesk kept in DATA_DIR, still accepted for the cookies it signed. */
  legacySessionSecret: string | undefined;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  baseUrl: string;
  orgName: string;
  /** The organisation's site (ORG_URL, else BASE_URL when it is set): never a guessed localhost. */
  orgUrl: string | undefined;
  /** Its other profiles (ORG_SAME_AS, comma-separated), for ClaimReview's author.sameAs. */
  orgSameAs: string[];
  /** Its logo's address (ORG_LOGO). */
  orgLogo: string | undefined;
  /** Where each review is published (PUBLIC_REVIEW_URL, with {id} for the claim's number). */
  publicReviewUrl: string | undefined;
  trustProxy: boolean;
  loginMaxFailsPerIp: number;
  /** How long reading one uploaded page may take (IMPORT_TIME_LIMIT_MS), and its worker's heap in MB (IMPORT_HEAP_MB). */
  importLimits: { timeLimitMs: number; heapMb: number };
  /**
   * Server-side fetches (import by address): the hosts an admin allows on a
   * private network (FETCH_ALLOW_HOSTS, comma-separated names) and how long
   * one fetch may take (FETCH_TIMEOUT_MS).
   */
  outbound: { allowHosts: string[]; timeoutMs: number };
  /** Requests one API token (or one address without a token) may make in a minute (API_RATE_LIMIT). */
  apiRateLimit: number;
  /** Who may read the ClaimReview feed (CLAIMREVIEW_FEED): anyone, or token holders only. */
  claimReviewFeed: 'public' | 'token';
  /**
   * The repeat matcher's levels (REPEAT_SUGGEST_AT, REPEAT_CONFIDENT_AT: scores
   * from 0 to 1) and its window (REPEAT_WINDOW_MONTHS: only claims decided in
   * the last so many months; unset, every earlier claim).
   */
  repeats: { suggestAt: number; confidentAt: number; windowMonths: number | null };
  /** How often each process looks for webhook deliveries that are due (WEBHOOK_POLL_MS). */
  webhookPollMs: number;
}

/** A setting that is missing or malformed; main.ts prints its message as one line. */
export class ConfigError extends Error {}

const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number between 1 and ${max}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `must be a whole number between 1 and ${max}`);

const score = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1, such as 0.6')
  .transform(Number);

const EnvSchema = z.object({
  PORT: z
    .string()
    .regex(/^\d+$/, 'must be a whole number between 0 and 65535')
    .transform(Number)
    .refine((n) => n <= 65535, 'must be a whole number between 0 and 65535')
    .default(3000),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/./.test(v), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_MIGRATION_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/./.test(v), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters long').optional(),
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { message: 'must be development, production or test' })
    .default('development'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  SESSION_IDLE_MINUTES: positiveInt(24 * 60).default(30),
  SESSION_MAX_HOURS: positiveInt(24 * 30).default(12),
  BASE_URL: z.url({ message: 'must be an absolute http(s) URL' }).optional(),
  ORG_NAME: z.string().min(1).default('Factdesk newsroom'),
  ORG_URL: z.url({ message: 'must be an absolute http(s) URL' }).optional(),
  ORG_SAME_AS: z
    .string()
    .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
    .refine((list) => list.every((u) => /^https?:\/\/[^\s]+$/.test(u)), 'must be absolute http(s) URLs, separated by commas')
    .optional(),
  ORG_LOGO: z.url({ message: 'must be an absolute http(s) URL' }).optional(),
  PUBLIC_REVIEW_URL: z
    .string()
    .refine((v) => /^https?:\/\/[^\s]*\{id\}[^\s]*$/.test(v), 'must be an absolute http(s) URL with {id} where the claim number goes')
    .optional(),
  LOGIN_MAX_FAILS_PER_IP: positiveInt(1_000_000).default(100),
  IMPORT_TIME_LIMIT_MS: positiveInt(600_000).default(20_000),
  IMPORT_HEAP_MB: positiveInt(16_384).default(1536),
  FETCH_ALLOW_HOSTS: z
    .string()
    .refine((v) => v.split(',').every((h) => /^\s*\[?[a-zA-Z0-9.:-]+\]?\s*$/.test(h) || h.trim() === ''), 'must be host names (or addresses) separated by commas, without schemes or ports')
    .optional(),
  FETCH_TIMEOUT_MS: positiveInt(600_000).default(20_000),
  API_RATE_LIMIT: positiveInt(1_000_000).default(600),
  CLAIMREVIEW_FEED: z.enum(['public', 'token'], { message: 'must be public or token' }).default('token'),
  REPEAT_SUGGEST_AT: score.default(0.3),
  REPEAT_CONFIDENT_AT: score.default(0.6),
  REPEAT_WINDOW_MONTHS: positiveInt(1200).optional(),
  WEBHOOK_POLL_MS: positiveInt(86_400_000).default(2000),
  TRUST_PROXY: z.enum(['0', '1', 'true', 'false'], { message: 'must be 0 or 1' }).default('0'),
});

type Env = Record<string, string | undefined>;

/** Reads and checks the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  // An empty variable counts as unset, as a shell user expects from `VAR= npm start`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${name} ${issue?.message ?? 'has an invalid value'}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  if (e.DATABASE_MIGRATION_URL && !e.DATABASE_URL) {
    throw new ConfigError('DATABASE_MIGRATION_URL is for a PostgreSQL server named by DATABASE_URL; set both, or neither for the embedded database');
  }
  if (e.REPEAT_CONFIDENT_AT < e.REPEAT_SUGGEST_AT) throw new ConfigError('REPEAT_CONFIDENT_AT must be at least REPEAT_SUGGEST_AT: a confident match is also a suggestion');
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databaseMigrationUrl: e.DATABASE_MIGRATION_URL,
    dataDir,
    sessionSecret: e.SESSION_SECRET,
    legacySessionSecret: readLegacySecret(dataDir),
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    baseUrl,
    orgName: e.ORG_NAME,
    orgUrl: e.ORG_URL ?? (e.BASE_URL ? baseUrl : undefined),
    orgSameAs: e.ORG_SAME_AS ?? [],
    orgLogo: e.ORG_LOGO,
    publicReviewUrl: e.PUBLIC_REVIEW_URL,
    trustProxy: e.TRUST_PROXY === '1' || e.TRUST_PROXY === 'true',
    loginMaxFailsPerIp: e.LOGIN_MAX_FAILS_PER_IP,
    importLimits: { timeLimitMs: e.IMPORT_TIME_LIMIT_MS, heapMb: Math.max(64, e.IMPORT_HEAP_MB) },
    outbound: { allowHosts: allowHostsFrom(e.FETCH_ALLOW_HOSTS), timeoutMs: e.FETCH_TIMEOUT_MS },
    apiRateLimit: e.API_RATE_LIMIT,
    claimReviewFeed: e.CLAIMREVIEW_FEED,
    repeats: { suggestAt: e.REPEAT_SUGGEST_AT, confidentAt: e.REPEAT_CONFIDENT_AT, windowMonths: e.REPEAT_WINDOW_MONTHS ?? null },
    webhookPollMs: e.WEBHOOK_POLL_MS,
  };
}

/** The session secret Factdesk 1 generated into DATA_DIR, if this desk has one. */
function readLegacySecret(dataDir: string): string | undefined {
  const file = path.join(dataDir, 'session-secret');
  try {
    return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
  } catch {
    return undefined;
  }
}
