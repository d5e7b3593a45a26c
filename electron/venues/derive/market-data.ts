import { z } from 'zod';
import type { VenueStatus } from '../../../shared/domain/venues.ts';
import type { MarketDataClient } from '../common/market-data.ts';
import { PendingCalls } from '../common/pending-calls.ts';
import { ReconnectingSocket, type SocketFactory } from '../common/reconnecting-socket.ts';
import { relistDelayMs, RELIST_EVERY_MS } from '../common/relist.ts';
import { StatusTracker } from '../common/status-tracker.ts';
import { deriveBook, deriveInstrumentsPage, deriveOrder, deriveSlimTicker, deriveTrade, normaliseDeriveOption, normaliseDeriveTicker, type DeriveOptionContract, type DeriveQuote, type WireDeriveOrder, type WireDeriveTrade } from './wire-schemas.ts';

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
  /**
   * Logs the session in for the account's orders and fills: main's session-key signature over the
   * time (the key never comes here). Absent, the feed is market data only.
   */
  login?: () => Promise<DeriveLogin>;
  /** How long after a refused login it is asked again, ms (the vault may have been locked). */
  loginRetryMs?: number;
  /** How often the option listing is read again, ms (15 min; also just after each expiry). */
  relistEveryMs?: number;
  /** Silence before the liveness ping, and before the link counts as dead, ms (15 s and 20 s). */
  heartbeatIdleMs?: number;
  heartbeatTimeoutMs?: number;
}

export interface DeriveLogin {
  wallet: string;
  timestamp: number;
  signature: string;
  subaccountId: number;
}

export interface DeriveMarketEvents {
  options(contracts: DeriveOptionContract[]): void;
  quote(q: DeriveQuote): void;
  book?(name: string, book: z.infer<typeof deriveBook>, receivedAt: number): void;
  status(s: VenueStatus): void;
  /** The account's order updates and fills (`{subaccount}.orders`, `{subaccount}.trades`). */
  ownOrder?(o: WireDeriveOrder): void;
  ownTrade?(t: WireDeriveTrade): void;
  /** The link came back after a drop and the account is logged in again: reconcile before trading. */
  reconnected?(): void;
}

const envelope = z.object({
  id: z.union([z.number(), z.string(), z.null()]).optional(),
  result: z.unknown().optional(),
  error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }).optional(),
  method: z.string().optional(),
  params: z.object({ channel: z.string(), data: z.unknown() }).optional(),
});

/** Derive's book channel at the instrument's own tick, ten levels a side. */
const bookChannel = (name: string): string => `orderbook.${name}.1.10`;
const subscribeAnswer = z.object({ status: z.record(z.string(), z.string()) });

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
  /** The subaccount this session is logged in for, or null (not yet, refused, or no login configured). */
  subaccountId: number | null = null;
  /** The owner wallet the session is logged in for. */
  wallet: string | null = null;
  /** Why the session is not logged in, when a login was tried and refused. */
  loginProblem: string | null = null;
  private opens = 0;
  /** Bumped by every open and every stop: a relisting of an older one does nothing. */
  private session = 0;
  private relistTimer: ReturnType<typeof setTimeout> | null = null;
  /** The option whose book is streamed for the cursor (focusBook), or null. */
  private focused: string | null = null;
  /** Options whose books are streamed because they are held (holdBooks): the unwind walks them. */
  private held = new Set<string>();
  /** The venue's time of the newest quote passed on, per option (a snapshot never goes back on a push). */
  private readonly quotedAt = new Map<string, number>();
  private loginTimer: ReturnType<typeof setTimeout> | null = null;
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
      { url: options.wsUrl, heartbeatIdleMs: options.heartbeatIdleMs ?? 15_000, heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 20_000, pingFrame: JSON.stringify({ id: 0, method: 'public/get_time', params: {} }), now, ...(options.createSocket ? { createSocket: options.createSocket } : {}) },
      {
        open: () => void this.onOpen(),
        message: (text, receivedAt) => this.onMessage(text, receivedAt),
        down: (reason, retryInMs, attempt) => {
          this.session++;
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
    this.session++;
    if (this.loginTimer) clearTimeout(this.loginTimer);
    if (this.relistTimer) clearTimeout(this.relistTimer);
    this.socket.stop();
    this.pending.rejectAll(new Error('stopped'));
    this.tracker.set('disconnected', 'stopped');
  }

  status(): VenueStatus {
    return this.tracker.status();
  }

  /** A private call for the logged-in subaccount (its id added); refused in words before login. */
  privateCall(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    if (this.subaccountId === null) return Promise.reject(new Error(`Derive is not logged in${this.loginProblem ? `: ${this.loginProblem}` : ''}`));
    return this.call(method, { subaccount_id: this.subaccountId, ...params });
  }

  /** One JSON-RPC call over the socket; the venue's error becomes a DeriveRpcError with its code. */
  call(method: string, params: Record<string, unknown>): Promise<unknown> {
    return this.pending.call(`Derive ${method}`, (id) => this.socket.send(JSON.stringify({ id, method, params })));
  }

  private async onOpen(): Promise<void> {
    this.tracker.set('connecting', 'listing options');
    const open = ++this.session;
    try {
      const listed = await this.listOptions();
      this.contracts.clear();
      for (const c of listed) this.contracts.set(c.name, c);
      this.events.options(listed);
      await this.subscribeTickers(listed.map((c) => c.name));
      await this.readTickers();
      const books = this.streamedBooks();
      if (books.size) await this.subscribeBooks([...books]);
      this.tracker.set('connected', `${listed.length} options`);
      this.scheduleRelist(open);
      await this.logIn(this.opens++ > 0);
    } catch (err) {
      this.socket.restart(`could not list and subscribe: ${(err as Error).message}`, 1_000);
    }
  }

  /**
   * Streams one option's book (the cursor's, when Derive lists it), ten levels a side at its tick;
   * null stops. Subscribed again after every reconnect.
   */
  focusBook(name: string | null): void {
    if (this.focused === name) return;
    const before = this.streamedBooks();
    this.focused = name;
    this.restream(before);
  }

  /**
   * Streams the books of the options held (after each account read), beside the cursor's: the
   * kill switch walks them instead of the touch. Options no longer held stop.
   */
  holdBooks(names: readonly string[]): void {
    const next = new Set(names.filter((n) => this.contracts.has(n)));
    if (next.size === this.held.size && [...next].every((n) => this.held.has(n))) return;
    const before = this.streamedBooks();
    this.held = next;
    this.restream(before);
  }

  private streamedBooks(): Set<string> {
    const out = new Set(this.held);
    if (this.focused) out.add(this.focused);
    return out;
  }

  private restream(before: ReadonlySet<string>): void {
    if (!this.socket.connected) return;
    const now = this.streamedBooks();
    const gone = [...before].filter((n) => !now.has(n));
    const added = [...now].filter((n) => !before.has(n));
    if (gone.length) void this.call('unsubscribe', { channels: gone.map(bookChannel) }).catch(() => undefined);
    if (added.length) void this.subscribeBooks(added);
  }

  private async subscribeBooks(names: string[]): Promise<void> {
    try {
      await this.subscribe(names.map(bookChannel));
    } catch (err) {
      this.tracker.problemSeen(`subscribing ${names.length === 1 ? `${names[0]}'s book` : `${names.length} books`}: ${(err as Error).message}`);
    }
  }

  /** Subscribes channels; the venue answers a status per channel, and any refusal is said. */
  private async subscribe(channels: string[]): Promise<void> {
    const r = subscribeAnswer.parse(await this.call('subscribe', { channels }));
    const refused = Object.entries(r.status).filter(([, st]) => st !== 'ok' && st !== 'already subscribed');
    if (refused.length) this.tracker.problemSeen(`${refused.length} channels refused, e.g. ${refused[0]![0]}: ${refused[0]![1]}`);
  }

  private tickerChannel(name: string): string {
    return `ticker_slim.${name}.${this.o.tickerMs ?? 100}`;
  }

  private currencies(): readonly ('BTC' | 'ETH')[] {
    return this.o.currencies ?? ['BTC', 'ETH'];
  }

  /** Every active option of the currencies, all pages. */
  private async listOptions(): Promise<DeriveOptionContract[]> {
    const listed: DeriveOptionContract[] = [];
    for (const currency of this.currencies()) {
      for (let page = 1, pages = 1; page <= pages; page++) {
        const r = deriveInstrumentsPage.parse(await this.call('public/get_all_instruments', { instrument_type: 'option', currency, expired: false, page, page_size: 500 }));
        pages = r.pagination.num_pages;
        for (const w of r.instruments) {
          const c = normaliseDeriveOption(w);
          if (typeof c !== 'string' && w.is_active) listed.push(c);
        }
      }
    }
    return listed;
  }

  private subscribeTickers(names: string[]): Promise<void> {
    return this.subscribe(names.map((n) => this.tickerChannel(n)));
  }

  /**
   * The listing is read again just after the soonest expiry and at least every `relistEveryMs`:
   * expired options leave, new ones join (subscribed and read at once), announced once per change.
   */
  private scheduleRelist(open: number): void {
    if (this.relistTimer) clearTimeout(this.relistTimer);
    const wait = relistDelayMs([...this.contracts.values()].map((c) => c.expiry), (this.o.now ?? Date.now)(), this.o.relistEveryMs ?? RELIST_EVERY_MS);
    this.relistTimer = setTimeout(() => {
      if (open !== this.session) return;
      void this.relist(open)
        .catch((err: Error) => this.tracker.problemSeen(`reading the option listing again: ${err.message}`))
        .finally(() => {
          if (open === this.session) this.scheduleRelist(open);
        });
    }, wait);
  }

  private async relist(open: number): Promise<void> {
    const listed = await this.listOptions();
    if (open !== this.session) return;
    const names = new Set(listed.map((c) => c.name));
    const added = listed.filter((c) => !this.contracts.has(c.name)).map((c) => c.name);
    const removed = [...this.contracts.keys()].filter((n) => !names.has(n));
    if (!added.length && !removed.length) return;
    this.contracts.clear();
    for (const c of listed) this.contracts.set(c.name, c);
    for (const n of removed) this.quotedAt.delete(n);
    this.events.options(listed);
    if (removed.length) await this.call('unsubscribe', { channels: removed.map((n) => this.tickerChannel(n)) });
    if (added.length) {
      await this.subscribeTickers(added);
      await this.readTickers();
    }
  }

  /**
   * Every option's ticker read once, after subscribing: the stream pushes an option only when its
   * touch moves or once a second, so without this a quiet option would show no quote (and the kill
   * switch no mark) for up to a second after every (re)connect. A push already newer than the
   * snapshot is kept.
   */
  private async readTickers(): Promise<void> {
    for (const currency of this.currencies()) {
      const r = z.object({ tickers: z.record(z.string(), z.unknown()) }).parse(await this.call('public/get_tickers', { instrument_type: 'option', currency }));
      const receivedAt = performance.timeOrigin + performance.now();
      for (const [name, raw] of Object.entries(r.tickers)) {
        if (!this.contracts.has(name)) continue;
        const t = deriveSlimTicker.safeParse(raw);
        if (!t.success) {
          this.bad(`public/get_tickers ${name}: ${t.error.issues[0]?.path.join('.')} ${t.error.issues[0]?.message}`);
          continue;
        }
        if (t.data.t >= (this.quotedAt.get(name) ?? 0)) this.quote(name, t.data, receivedAt);
      }
    }
  }

  private quote(name: string, t: z.infer<typeof deriveSlimTicker>, receivedAt: number): void {
    this.quotedAt.set(name, t.t);
    this.events.quote(normaliseDeriveTicker(name, t, receivedAt));
  }

  /**
   * Logs in (main signs) and subscribes the account's orders and fills; a refusal (the vault
   * locked, no session key) is shown and asked again later, market data flows meanwhile.
   */
  private async logIn(reconnect: boolean): Promise<void> {
    if (!this.o.login) return;
    if (this.loginTimer) clearTimeout(this.loginTimer);
    this.subaccountId = null;
    let login: DeriveLogin;
    try {
      login = await this.o.login();
      await this.call('public/login', { wallet: login.wallet, timestamp: login.timestamp, signature: login.signature });
      const sub = login.subaccountId;
      await this.call('subscribe', { channels: [`${sub}.orders`, `${sub}.trades`] });
      this.subaccountId = sub;
      this.wallet = login.wallet.toLowerCase();
      this.loginProblem = null;
    } catch (err) {
      this.loginProblem = (err as Error).message;
      this.tracker.problemSeen(`not logged in: ${this.loginProblem}`);
      this.loginTimer = setTimeout(() => void this.logIn(reconnect).catch(() => undefined), this.o.loginRetryMs ?? 15_000);
      return;
    }
    if (reconnect) this.events.reconnected?.();
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
      this.quote(name, t.data.instrument_ticker, receivedAt);
    } else if (name === 'orders' && String(this.subaccountId) === kind) {
      const o = z.array(deriveOrder).safeParse(data);
      if (!o.success) return this.bad(`${channel}: ${o.error.issues[0]?.path.join('.')} ${o.error.issues[0]?.message}`);
      for (const x of o.data) this.events.ownOrder?.(x);
    } else if (name === 'trades' && String(this.subaccountId) === kind) {
      const t = z.array(deriveTrade).safeParse(data);
      if (!t.success) return this.bad(`${channel}: ${t.error.issues[0]?.path.join('.')} ${t.error.issues[0]?.message}`);
      for (const x of t.data) this.events.ownTrade?.(x);
    } else if (kind === 'orderbook' && name) {
      const b = deriveBook.safeParse(data);
      if (!b.success) return this.bad(`${channel}: ${b.error.issues[0]?.path.join('.')} ${b.error.issues[0]?.message}`);
      // A book unsubscribed a moment ago may still send one message: only those streamed pass.
      if (name !== this.focused && !this.held.has(name)) return;
      this.events.book?.(name, b.data, receivedAt);
    }
  }

  private bad(what: string): void {
    this.malformed++;
    this.tracker.problemSeen(`malformed frame dropped: ${what}`);
  }
}
