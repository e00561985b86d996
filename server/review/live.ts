import type { Response } from 'express';
import pg from 'pg';
import type { Db } from '../platform/database.ts';
import type { Logger } from '../platform/logging.ts';

/** The PostgreSQL notification channel queue changes are announced on. */
export const QUEUE_CHANNEL = 'factdesk_queue';

/** Tells listeners (other app processes' queue pages) that the queue changed, when the transaction commits. */
export async function notifyQueueChange(trx: Db, claimId: number): Promise<void> {
  await trx.raw('SELECT pg_notify(?, ?)', [QUEUE_CHANNEL, String(claimId)]);
}

/** A change counter for the queue: it moves whenever any claim event is written. */
export async function queueStamp(db: Db): Promise<number> {
  const row = (await db('claim_events').max('id as stamp').first()) as { stamp: number | null } | undefined;
  return Number(row?.stamp ?? 0);
}

/**
 * Pushes queue changes to open queue pages as server-sent events, fed by
 * PostgreSQL LISTEN/NOTIFY on a dedicated connection. Only on a server
 * database: the embedded one does not deliver notifications to other
 * connections, so its pages poll instead.
 */
export class QueueFeed {
  private readonly clients = new Set<Response>();
  private client: pg.Client | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.url, application_name: 'factdesk-queue-feed' });
    this.client.on('notification', (msg) => this.broadcast(msg.payload ?? ''));
    this.client.on('error', (err) => this.logger.warn({ err }, 'queue feed connection lost; pages fall back to polling'));
    await this.client.connect();
    await this.client.query(`LISTEN ${QUEUE_CHANNEL}`);
    // A comment line every 25 s keeps proxies from closing idle streams.
    this.heartbeat = setInterval(() => this.clients.forEach((res) => res.write(': keep-alive\n\n')), 25_000);
    this.heartbeat.unref();
  }

  /** Holds a response open as an event stream until the client goes away. */
  subscribe(res: Response): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 5000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  private broadcast(claimId: string): void {
    for (const res of this.clients) res.write(`event: queue\ndata: ${JSON.stringify({ claimId: Number(claimId) || null })}\n\n`);
  }

  /** Ends every stream (so a shutdown is not held up by them) and the listening connection. */
  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
    await this.client?.end().catch(() => undefined);
  }
}
