import type { Db } from '../platform/database.ts';
import type { Logger } from '../platform/logging.ts';
import { OutboundRefusal, type OutboundRules } from '../platform/outbound-address.ts';
import { fetchOutbound, type OutboundLimits } from '../platform/outbound-fetch.ts';
import { insertAttempt } from './attempts.repo.ts';
import { claimDue, recordOutcome, releaseDelivery, type DueDelivery } from './deliveries.repo.ts';
import { endpointFailed, endpointSucceeded } from './endpoints.repo.ts';
import { DISABLE_AFTER_FAILURES, isDelivered, retryDelaySeconds } from './schedule.ts';
import { deliveryHeaders, webhookBody } from './signing.ts';

/** The limits of one sending: a small answer, 5 s to connect, 10 s in all, no redirects followed. */
export const SEND_LIMITS: OutboundLimits = { maxBytes: 64 * 1024, connectTimeoutMs: 5_000, totalTimeoutMs: 10_000, maxRedirects: 0 };
/** How long a claimed delivery is held by its sender before another may try it (well past the 10 s a sending may take). */
export const LEASE_SECONDS = 60;
/** How many deliveries one pass claims and sends at once. */
export const BATCH = 10;

/** Sends one signed body and answers with the receiver's status; throws an OutboundRefusal when there was no answer. */
export type Send = (url: string, request: { headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{ status: number; body: Buffer }>;

export interface DispatchDeps {
  db: Db;
  /** BASE_URL, for the claim's link in the body. */
  baseUrl: string;
  /** The outbound guard's rules: FETCH_ALLOW_HOSTS (and a test's resolver). */
  rules: OutboundRules;
  logger?: Logger;
  /** The clock of the pass (tests move it on to make retries due); else the database's. */
  now?: Date;
  /** How a delivery goes out: through the desk's outbound guard (fetchOutbound) unless a test gives its own. */
  send?: Send;
  /** Abandons the sendings in flight (the process is stopping): their deliveries are given back, not counted as failed. */
  signal?: AbortSignal;
}

/** What one pass did. */
export interface PassResult {
  claimed: number;
  delivered: number;
  failed: number;
  disabledEndpoints: number[];
}

/**
 * One pass of the dispatcher: claims the deliveries that are due, sends them
 * (no database transaction is open while a request is out), then records
 * each attempt and what follows from it in one transaction: delivered on a
 * 2xx; otherwise a retry later (schedule.ts) or, after the last attempt,
 * dead; and the endpoint disabled after too many failures in a row.
 */
export async function dispatchDue(deps: DispatchDeps): Promise<PassResult> {
  const now = deps.now ?? null;
  const due = await claimDue(deps.db, { now, leaseSeconds: LEASE_SECONDS, batch: BATCH });
  const result: PassResult = { claimed: due.length, delivered: 0, failed: 0, disabledEndpoints: [] };
  await Promise.all(
    due.map(async (delivery) => {
      const outcome = await sendOne(deps, delivery);
      if (outcome === 'abandoned') {
        await releaseDelivery(deps.db, delivery.id);
        return;
      }
      // A delivery deleted meanwhile (its endpoint was) has nothing left to record; the others of the pass go on.
      const disabled = await record(deps, delivery, outcome).catch((err: unknown) => {
        deps.logger?.warn({ err, deliveryId: delivery.id }, 'webhook attempt could not be recorded; the delivery is tried again after its lease');
        return null;
      });
      if (disabled === null) return;
      if (outcome.delivered) result.delivered += 1;
      else result.failed += 1;
      if (disabled) result.disabledEndpoints.push(delivery.endpointId);
    }),
  );
  return result;
}

interface Outcome {
  delivered: boolean;
  status: number | null;
  responseMs: number;
  error: string | null;
}

async function sendOne(deps: DispatchDeps, delivery: DueDelivery): Promise<Outcome | 'abandoned'> {
  const body = webhookBody(delivery, deps.baseUrl);
  const timestamp = Math.floor((deps.now ?? new Date()).getTime() / 1000);
  const headers = deliveryHeaders({ id: delivery.id, event: delivery.event, secret: delivery.secret, timestamp, body });
  const send = deps.send ?? defaultSend(deps.rules);
  const started = performance.now();
  try {
    const res = await send(delivery.url, { headers, body, ...(deps.signal ? { signal: deps.signal } : {}) });
    const responseMs = Math.round(performance.now() - started);
    const delivered = isDelivered(res.status);
    return { delivered, status: res.status, responseMs, error: delivered ? null : answeredWith(res.status, res.body) };
  } catch (err) {
    if (deps.signal?.aborted) return 'abandoned';
    return { delivered: false, status: null, responseMs: Math.round(performance.now() - started), error: failureOf(err) };
  }
}

/** Writes the attempt and its consequences in one transaction; true when this failure disabled the endpoint. */
async function record(deps: DispatchDeps, delivery: DueDelivery, outcome: Outcome): Promise<boolean> {
  const now = deps.now ?? null;
  const retryInSeconds = outcome.delivered ? null : retryDelaySeconds(delivery.attempts + 1);
  const disabled = await deps.db.transaction(async (trx) => {
    await insertAttempt(trx, { deliveryId: delivery.id, status: outcome.status, responseMs: outcome.responseMs, error: outcome.error, now });
    await recordOutcome(trx, delivery.id, { ...outcome, retryInSeconds, now });
    if (outcome.delivered) {
      await endpointSucceeded(trx, delivery.endpointId);
      return false;
    }
    const reason = `${DISABLE_AFTER_FAILURES} attempts in a row failed, the last with: ${(outcome.error ?? '').slice(0, 600)}`;
    return endpointFailed(trx, delivery.endpointId, { limit: DISABLE_AFTER_FAILURES, reason, now });
  });
  const log = { event: 'webhook_attempt', deliveryId: delivery.id, endpointId: delivery.endpointId, webhookEvent: delivery.event, status: outcome.status, ms: outcome.responseMs };
  if (outcome.delivered) deps.logger?.info(log, 'webhook delivered');
  else deps.logger?.warn({ ...log, error: outcome.error, retryInSeconds }, retryInSeconds === null ? 'webhook delivery dead' : 'webhook delivery failed');
  if (disabled) deps.logger?.warn({ event: 'webhook_endpoint_disabled', endpointId: delivery.endpointId }, 'webhook endpoint disabled after failures in a row');
  return disabled;
}

/** fetchOutbound with the webhook's limits: the guard resolves and checks the address at every sending. */
function defaultSend(rules: OutboundRules): Send {
  return async (url, request) => {
    const res = await fetchOutbound(url, rules, SEND_LIMITS, { method: 'POST', headers: request.headers, body: request.body, ...(request.signal ? { signal: request.signal } : {}) });
    return { status: res.status, body: res.body };
  };
}

/** A non-2xx answer in words, with the start of what the receiver said. */
function answeredWith(status: number, body: Buffer): string {
  // eslint-disable-next-line no-control-regex
  const said = body.subarray(0, 600).toString('utf8').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200);
  return `The receiver answered HTTP ${status}${said ? `: ${said}` : '.'}`;
}

/** Why there was no answer, in words for the delivery log. */
function failureOf(err: unknown): string {
  if (!(err instanceof OutboundRefusal)) return `The delivery could not be sent (${(err as Error)?.message ?? String(err)}).`.slice(0, 1000);
  switch (err.code) {
    case 'timeout':
      return `The receiver did not answer in time (${SEND_LIMITS.connectTimeoutMs / 1000} s to connect, ${SEND_LIMITS.totalTimeoutMs / 1000} s in all).`;
    case 'too_large':
      return `The receiver’s answer was larger than ${SEND_LIMITS.maxBytes / 1024} KB; answer with a short body (or none).`;
    case 'unreachable': {
      const code = /\(([A-Z_]+)\)/.exec(err.message)?.[1];
      return `The receiver could not be reached${code ? ` (${code})` : ''}.`;
    }
    default:
      return err.message.slice(0, 1000);
  }
}

/**
 * The dispatcher of one app process: a pass at once, then one every
 * `pollMs` (at once again while passes find a full batch). stop() ends the
 * loop, abandons a sending in flight (its delivery is given back for the
 * next process or start) and waits for the pass to finish.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(private readonly deps: Omit<DispatchDeps, 'signal' | 'now'> & { pollMs: number; logger: Logger }) {}

  start(): void {
    this.next(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.pass;
  }

  private next(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pass = this.run().finally(() => (this.pass = null));
    }, ms);
  }

  private async run(): Promise<void> {
    let full = false;
    try {
      const result = await dispatchDue({ ...this.deps, signal: this.abort.signal });
      full = result.claimed === BATCH;
    } catch (err) {
      if (!this.stopped) this.deps.logger.warn({ err }, 'webhook dispatch pass failed; trying again at the next poll');
    }
    this.next(full ? 0 : this.deps.pollMs);
  }
}
