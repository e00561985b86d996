import type { Response } from 'express';
import pg from 'pg';
import type { Logger } from '../platform/logging.ts';
import { listenForQueueChanges } from './queue-channel.repo.ts';

/**
 * Pushes queue changes to open queue pages as server-sent events, fed by
 * PostgreSQL LISTEN/NOTIFY on a dedicated connection. Only on a server
 * database: the embedded one does not deliver notifications to other
 * connections, so its pages poll instead. When the listening connection is
 * lost, every open stream is ended (the pages fall back to polling) and the
 * feed reconnects with a growing delay; meanwhile new pages are told to poll.
 */
export class QueueFeed {
  private readonly clients = new Set<Response>();
  private client: pg.Client | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private retryDelayMs = 1_000;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly options: { maxRetryDelayMs?: number; applicationName?: string } = {},
  ) {}

  /** Whether notifications are arriving now; when not, pages poll. */
  get live(): boolean {
    return this.client !== null;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect().catch((err: unknown) => {
      // Not there at start-up: pages poll, and the feed keeps trying.
      this.scheduleReconnect();
      throw err;
    });
    // A comment line every 25 s keeps proxies from closing idle streams.
    this.heartbeat = setInterval(() => this.clients.forEach((res) => res.write(': keep-alive\n\n')), 25_000);
    this.heartbeat.unref();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: this.options.applicationName ?? 'factdesk-queue-feed' });
    client.on('notification', (msg) => this.broadcast(msg.payload ?? ''));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    await client.connect();
    await listenForQueueChanges(client);
    this.client = client;
    this.retryDelayMs = 1_000;
  }

  /** The listening connection went away: end the streams, so pages poll, and connect again later. */
  private lost(client: pg.Client, err: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    this.endStreams();
    if (this.stopped) return;
    this.logger.warn({ err, retryInMs: this.retryDelayMs }, 'queue feed connection lost; queue pages poll until it is back');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 30_000);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().then(
        () => this.logger.info('queue feed reconnected'),
        (err: unknown) => {
          this.logger.warn({ err }, 'queue feed still unavailable');
          if (!this.stopped) this.scheduleReconnect();
        },
      );
    }, delay);
    this.retry.unref();
  }

  /** Holds a response open as an event stream until the client goes away; 204 (poll instead) while the feed is down. */
  subscribe(res: Response): void {
    if (!this.live) {
      res.status(204).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 5000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  private broadcast(claimId: string): void {
    for (const res of this.clients) res.write(`event: queue\ndata: ${JSON.stringify({ claimId: Number(claimId) || null })}\n\n`);
  }

  private endStreams(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  /** Ends every stream (so a shutdown is not held up by them) and the listening connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.retry) clearTimeout(this.retry);
    this.endStreams();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
