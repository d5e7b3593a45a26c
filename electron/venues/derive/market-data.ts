import { z } from 'zod';
import type { VenueStatus } from '../../../shared/domain/venues.ts';
import type { MarketDataClient } from '../common/market-data.ts';
import { PendingCalls } from '../common/pending-calls.ts';
import { ReconnectingSocket, type SocketFactory } from '../common/reconnecting-socket.ts';
import { StatusTracker } from '../common/status-tracker.ts';
import { deriveBook, deriveInstrumentsPage, deriveSlimTicker, normaliseDeriveOption, normaliseDeriveTicker, type DeriveOptionContract, type DeriveQuote } from './wire-schemas.ts';

/*
 * Derive's market data (venues.md §3.2–3.4): JSON-RPC over one WebSocket. On every (re)connect it
 * lists the options (all pages), then subscribes each one's slim ticker, so a reconnect always
 * starts from the venue's current listing. Derive has no JSON heartbeat, so the liveness ping is
 * a cheap `public/get_time`. Every frame is validated at this file; a bad one is counted and
 * shown as the feed's latest problem, never passed on.
 */

export interface DeriveMarketDataOptions {
  wsUrl: string;
  paper: boolean;
  now?: () => number;
  /** `ticker_slim` interval: 100 (default, as the chain ticks on Deribit) or 1000 ms. */
  tickerMs?: 100 | 1000;
  currencies?: readonly ('BTC' | 'ETH')[];
  createSocket?: SocketFactory;
  requestTimeoutMs?: number;
}

export interface DeriveMarketEvents {
  options(contracts: DeriveOptionContract[]): void;
  quote(q: DeriveQuote): void;
  book?(name: string, book: z.infer<typeof deriveBook>, receivedAt: number): void;
  status(s: VenueStatus): void;
}

const envelope = z.object({
  id: z.union([z.number(), z.string(), z.null()]).optional(),
  result: z.unknown().optional(),
  error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }).optional(),
  method: z.string().optional(),
  params: z.object({ channel: z.string(), data: z.unknown() }).optional(),
});

export class DeriveRpcError extends Error {
  readonly code: number;
  /** `call` names the call as the pending book does: `Derive <method>`. */
  constructor(call: string, code: number, message: string, data: unknown) {
    super(`${call}: ${code} ${message}${typeof data === 'string' ? ` (${data})` : ''}`);
    this.code = code;
  }
}

export class DeriveMarketData implements MarketDataClient {
  readonly venue = 'derive' as const;
  readonly contracts = new Map<string, DeriveOptionContract>();
  malformed = 0;
  private readonly socket: ReconnectingSocket;
  private readonly tracker: StatusTracker;
  private readonly pending: PendingCalls;
  private readonly o: DeriveMarketDataOptions;
  private readonly events: DeriveMarketEvents;

  constructor(options: DeriveMarketDataOptions, events: DeriveMarketEvents) {
    this.o = options;
    this.events = events;
    this.pending = new PendingCalls(options.requestTimeoutMs ?? 10_000);
    const now = options.now ?? Date.now;
    this.tracker = new StatusTracker('derive', options.paper, now, (s) => events.status(s));
    this.socket = new ReconnectingSocket(
      { url: options.wsUrl, heartbeatIdleMs: 15_000, heartbeatTimeoutMs: 20_000, pingFrame: JSON.stringify({ id: 0, method: 'public/get_time', params: {} }), now, ...(options.createSocket ? { createSocket: options.createSocket } : {}) },
      {
        open: () => void this.onOpen(),
        message: (text, receivedAt) => this.onMessage(text, receivedAt),
        down: (reason, retryInMs, attempt) => {
          this.tracker.attempt = attempt;
          this.pending.rejectAll((call) => new Error(`${call}: the link dropped (${reason})`));
          this.tracker.set('reconnecting', `${reason}; retrying in ${(retryInMs / 1000).toFixed(1)} s`);
        },
      },
    );
  }

  start(): void {
    this.tracker.set('connecting', `connecting to ${this.o.wsUrl}`);
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
    this.pending.rejectAll(new Error('stopped'));
    this.tracker.set('disconnected', 'stopped');
  }

  status(): VenueStatus {
    return this.tracker.status();
  }

  /** One JSON-RPC call over the socket; the venue's error becomes a DeriveRpcError with its code. */
  call(method: string, params: Record<string, unknown>): Promise<unknown> {
    return this.pending.call(`Derive ${method}`, (id) => this.socket.send(JSON.stringify({ id, method, params })));
  }

  private async onOpen(): Promise<void> {
    this.tracker.set('connecting', 'listing options');
    try {
      const listed: DeriveOptionContract[] = [];
      for (const currency of this.o.currencies ?? ['BTC', 'ETH']) {
        for (let page = 1, pages = 1; page <= pages; page++) {
          const r = deriveInstrumentsPage.parse(await this.call('public/get_all_instruments', { instrument_type: 'option', currency, expired: false, page, page_size: 500 }));
          pages = r.pagination.num_pages;
          for (const w of r.instruments) {
            const c = normaliseDeriveOption(w);
            if (typeof c !== 'string' && w.is_active) listed.push(c);
          }
        }
      }
      this.contracts.clear();
      for (const c of listed) this.contracts.set(c.name, c);
      this.events.options(listed);
      const interval = this.o.tickerMs ?? 100;
      const channels = listed.map((c) => `ticker_slim.${c.name}.${interval}`);
      const r = z.object({ status: z.record(z.string(), z.string()) }).parse(await this.call('subscribe', { channels }));
      const refused = Object.entries(r.status).filter(([, s]) => s !== 'ok' && s !== 'already subscribed');
      if (refused.length) this.tracker.problemSeen(`${refused.length} channels refused, e.g. ${refused[0]![0]}: ${refused[0]![1]}`);
      this.tracker.set('connected', `${listed.length} options`);
    } catch (err) {
      this.socket.restart(`could not list and subscribe: ${(err as Error).message}`, 1_000);
    }
  }

  private onMessage(text: string, receivedAt: number): void {
    this.tracker.messageSeen();
    let msg: z.infer<typeof envelope>;
    try {
      msg = envelope.parse(JSON.parse(text));
    } catch {
      return this.bad('a frame that is not JSON-RPC');
    }
    if (msg.method === 'subscription' && msg.params) return this.onNotification(msg.params.channel, msg.params.data, receivedAt);
    if (typeof msg.id !== 'number') return;
    const p = this.pending.take(msg.id);
    if (!p) return; // our liveness ping (id 0) or an answer that already timed out
    if (msg.error) p.reject(new DeriveRpcError(p.method, msg.error.code, msg.error.message, msg.error.data));
    else p.resolve(msg.result);
  }

  private onNotification(channel: string, data: unknown, receivedAt: number): void {
    const [kind, name] = channel.split('.');
    if (kind === 'ticker_slim' && name) {
      const t = z.object({ instrument_ticker: deriveSlimTicker }).safeParse(data);
      if (!t.success) return this.bad(`${channel}: ${t.error.issues[0]?.path.join('.')} ${t.error.issues[0]?.message}`);
      this.events.quote(normaliseDeriveTicker(name, t.data.instrument_ticker, receivedAt));
    } else if (kind === 'orderbook' && name) {
      const b = deriveBook.safeParse(data);
      if (!b.success) return this.bad(`${channel}: ${b.error.issues[0]?.path.join('.')} ${b.error.issues[0]?.message}`);
      this.events.book?.(name, b.data, receivedAt);
    }
  }

  private bad(what: string): void {
    this.malformed++;
    this.tracker.problemSeen(`malformed frame dropped: ${what}`);
  }
}
