import { z } from 'zod';
import type { OptionContract, OptionUnderlying } from '../../../shared/domain/options.ts';
import type { VenueStatus } from '../../../shared/domain/venues.ts';
import type { SocketFactory } from '../common/reconnecting-socket.ts';
import { relistDelayMs, RELIST_EVERY_MS } from '../common/relist.ts';
import { StatusTracker } from '../common/status-tracker.ts';
import { CreditBucket } from './credit-bucket.ts';
import { DeribitError, DeribitRpc, TOO_MANY_REQUESTS } from './json-rpc.ts';
import { normaliseOption, normaliseTicker, type OptionTicker } from './normalise.ts';
import { DeribitBook } from './order-book.ts';
import type { MarketDataClient } from '../common/market-data.ts';
import { wireAccountSummary, wireAuth, wireBook, wireInstrument, wirePosition, wireTicker, type WireAccountSummary, type WirePosition } from './wire-schemas.ts';

export interface DeribitCredentials {
  clientId: string;
  clientSecret: string;
}

export interface DeribitMarketDataOptions {
  wsUrl: string;
  paper: boolean;
  currencies?: OptionUnderlying[];
  /** `public/set_heartbeat` interval, s. The venue's minimum is 10; the simulator allows less in tests. */
  heartbeatIntervalS?: number;
  /** An underlying whose option tickers are all older than this is stale. */
  staleAfterMs?: number;
  /** An API key held here (tests, the simulator's paper key): logs in with client credentials. */
  credentials?: DeribitCredentials;
  /**
   * Where the key is held elsewhere (main's vault): the `public/auth` params for this session,
   * signed there. A refusal (vault locked, no key) leaves the session public and is asked again.
   */
  login?: () => Promise<Record<string, unknown>>;
  /** How long after a refused login it is asked again, ms. */
  loginRetryMs?: number;
  /** Channels per `public/subscribe` request. */
  subscribeChunk?: number;
  /**
   * How often the option listing is read again, ms (15 min): expiries leave it and new ones join
   * (Deribit lists a new daily every day). It is also read just after each expiry and on every reconnect.
   */
  relistEveryMs?: number;
  requestTimeoutMs?: number;
  createSocket?: SocketFactory;
  random?: () => number;
  now?: () => number;
}

export interface DeribitSink {
  /** The option list changed (first load, new listings, expiries). */
  chain(contracts: OptionContract[]): void;
  ticker(t: OptionTicker): void;
  /** A book changed (or was rebuilt from a snapshot). */
  book(name: string, book: DeribitBook, receivedAt: number): void;
  status(status: VenueStatus): void;
  /** The link came back (and is signed in again) after a drop. */
  reconnected?(): void;
  /** One of our trades (user.trades), by the order's label. */
  ownTrade?(t: { label: string; tradeId: string; size: number; price: number; at: number }): void;
  /** One of our orders was cancelled or rejected at the venue (user.orders). */
  ownCancel?(label: string, reason: string): void;
  /** An instrument's position changed at the venue (user.changes), whoever changed it. */
  positionChanged?(instrument: string): void;
}

/** Main's refusal to log in (SignRefused, by name: the venue layer does not import the engine's classes). */
const isRefusal = (err: unknown): boolean => err instanceof Error && err.name === 'SignRefused';

const OWN_ORDERS = 'user.orders.any.any.raw';
const OWN_TRADES = 'user.trades.any.any.raw';
const OWN_CHANGES = 'user.changes.any.any.raw';
const changesSchema = z.object({ instrument_name: z.string(), positions: z.array(z.unknown()) }).loose();
const ownTradesSchema = z.array(z.object({ trade_id: z.string(), instrument_name: z.string(), label: z.string().optional(), amount: z.number().positive(), price: z.number().positive(), timestamp: z.number() }).loose()).max(10_000);
const ownOrderSchema = z.object({ order_id: z.string(), label: z.string(), order_state: z.string(), cancel_reason: z.string().optional() }).loose();

export interface DeribitStats {
  tickers: number;
  bookMessages: number;
  resyncs: number;
  malformed: number;
  rateLimited: number;
  reconnects: number;
  /** Reads of the option listing (the first, each reconnect, each relisting). */
  listings: number;
}

export interface DeribitAccount {
  currency: string;
  summary: WireAccountSummary;
  positions: WirePosition[];
}

const SUBSCRIBE_RESULT = z.array(z.string());
const INSTRUMENTS = z.array(z.unknown());
const TICKER_CHANNEL = /^ticker\.(.+)\.100ms$/;
/** Each option's ticker and book, 100 ms. */
const optionChannels = (names: readonly string[]): string[] => names.flatMap((n) => [`ticker.${n}.100ms`, `book.${n}.100ms`]);
const BOOK_CHANNEL = /^book\.(.+)\.100ms$/;

/**
 * Deribit market data for the options chain: instruments, a ticker and a book per option, over one
 * JSON-RPC WebSocket. Keeps the `change_id` chain of every book (a gap resubscribes that book for a
 * fresh snapshot), answers heartbeats, stays inside the credit budget, pauses after
 * `too_many_requests`, and resubscribes everything after a reconnect. With an API key it also reads
 * positions and the account summary; it never trades.
 */
export class DeribitMarketData implements MarketDataClient {
  readonly venue = 'deribit' as const;
  readonly stats: DeribitStats = { tickers: 0, bookMessages: 0, resyncs: 0, malformed: 0, rateLimited: 0, reconnects: 0, listings: 0 };
  private readonly rpc: DeribitRpc;
  private readonly tracker: StatusTracker;
  private readonly books = new Map<string, DeribitBook>();
  private readonly lastTickerAt = new Map<OptionUnderlying, number>();
  /** `public/get_instruments` has its own limit: 1 per 10 s, burst 5. */
  private readonly instrumentCredits: CreditBucket;
  private contracts: OptionContract[] = [];
  private byName = new Map<string, OptionContract>();
  private staleTimer: ReturnType<typeof setInterval> | null = null;
  private authRefresh: ReturnType<typeof setTimeout> | null = null;
  private relistTimer: ReturnType<typeof setTimeout> | null = null;
  /** The listing was not read on the last reconnect (its limit): read it again soon. */
  private relistSoon = false;
  private session = 0;
  private subscribed = false;
  private subscribedAt = 0;
  private authenticated = false;
  private loginRetry: ReturnType<typeof setTimeout> | null = null;
  /** Why this session is not signed in (vault locked, no key), for the screen; null when it is. */
  private loginProblem: string | null = null;
  private rateLimitStrikes = 0;
  private readonly now: () => number;
  private readonly options: DeribitMarketDataOptions;
  private readonly sink: DeribitSink;

  constructor(options: DeribitMarketDataOptions, sink: DeribitSink) {
    this.options = options;
    this.sink = sink;
    this.now = options.now ?? Date.now;
    this.tracker = new StatusTracker('deribit', options.paper, this.now, (s) => sink.status(s));
    this.instrumentCredits = new CreditBucket({ capacity: 5, refillPerSecond: 0.1, cost: 1, now: this.now });
    this.rpc = new DeribitRpc(
      {
        url: options.wsUrl,
        heartbeatIntervalS: options.heartbeatIntervalS ?? 10,
        ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
        ...(options.createSocket ? { createSocket: options.createSocket } : {}),
        ...(options.random ? { random: options.random } : {}),
        now: this.now,
      },
      {
        open: () => void this.onOpen(),
        notification: (channel, data, receivedAt) => this.onNotification(channel, data, receivedAt),
        down: (reason, retryIn, attempt) => this.onDown(reason, retryIn, attempt),
        malformed: (reason) => this.malformed(reason),
      },
    );
  }

  get chain(): OptionContract[] {
    return this.contracts;
  }

  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  /** Can this session sign in at all (a key here, or a login main makes)? */
  get canSignIn(): boolean {
    return Boolean(this.options.credentials || this.options.login);
  }

  /** Why the session is not signed in, when it is not and could be. */
  get signInProblem(): string | null {
    return this.authenticated ? null : this.loginProblem;
  }

  status(): VenueStatus {
    return this.tracker.status();
  }

  book(name: string): DeribitBook | undefined {
    const b = this.books.get(name);
    return b?.synced ? b : undefined;
  }

  start(): void {
    this.tracker.set('connecting', 'opening stream');
    this.staleTimer = setInterval(() => this.checkStaleness(), 250);
    this.rpc.start();
  }

  stop(): void {
    if (this.staleTimer) clearInterval(this.staleTimer);
    if (this.authRefresh) clearTimeout(this.authRefresh);
    if (this.loginRetry) clearTimeout(this.loginRetry);
    if (this.relistTimer) clearTimeout(this.relistTimer);
    this.rpc.stop();
    this.tracker.set('disconnected', 'stopped');
  }

  /**
   * A private request on this authenticated session (the execution client's way to the venue).
   * Not signed in yet: refused before anything is sent.
   */
  async privateCall<T extends z.ZodType>(method: string, params: Record<string, unknown>, schema: T): Promise<z.infer<T>> {
    if (!this.authenticated) throw new Error('Deribit: not signed in yet; nothing was sent');
    return this.rpc.call(method, params, schema);
  }

  /** Positions and account summary per currency (needs an API key). */
  async account(): Promise<DeribitAccount[]> {
    if (!this.canSignIn) throw new Error('Deribit: no API key configured (a key is needed for positions)');
    if (!this.authenticated) throw new Error(`Deribit: not signed in${this.loginProblem ? ` (${this.loginProblem})` : ' yet'}`);
    const out: DeribitAccount[] = [];
    for (const currency of this.currencies()) {
      const summary = await this.rpc.call('private/get_account_summary', { currency, extended: true }, wireAccountSummary);
      const positions = await this.rpc.call('private/get_positions', { currency }, z.array(wirePosition));
      out.push({ currency, summary, positions });
    }
    return out;
  }

  private currencies(): OptionUnderlying[] {
    return this.options.currencies ?? ['BTC', 'ETH'];
  }

  private async onOpen(): Promise<void> {
    const session = ++this.session;
    this.subscribed = false;
    this.authenticated = false;
    for (const b of this.books.values()) b.changeId = null;
    try {
      this.tracker.set('connecting', 'setting heartbeat');
      await this.rpc.call('public/set_heartbeat', { interval: this.options.heartbeatIntervalS ?? 10 }, z.literal('ok'));
      if (this.canSignIn) await this.signIn(session);
      // A session lists the options again (what expired or was listed while away is seen) when the
      // listing's own limit allows it now; a link that keeps dropping is not held back for it, the
      // next relisting comes half a minute later instead.
      const relistNow = this.contracts.length === 0 || this.instrumentCredits.available(this.currencies().length);
      if (relistNow) {
        this.tracker.set('connecting', 'loading options');
        await this.loadInstruments();
      }
      this.relistSoon = !relistNow;
      if (session !== this.session) return;
      this.tracker.set('connecting', 'subscribing');
      await this.subscribeAll();
      if (session !== this.session) return;
      this.subscribed = true;
      this.subscribedAt = this.now();
      this.scheduleRelist(session);
      this.checkStaleness();
      // A session after the first: whatever happened while we were away must be read back.
      if (session > 1 && this.authenticated) this.sink.reconnected?.();
    } catch (err) {
      if (session !== this.session) return;
      this.onRequestError(err as Error, 'starting the session');
    }
  }

  /**
   * Signs the session in. A login that is refused (main: vault locked, no key; the venue: a bad
   * key) is not a broken link: market data goes on, the reason is shown, and it is asked again.
   */
  private async signIn(session: number): Promise<void> {
    let params: Record<string, unknown>;
    try {
      const c = this.options.credentials;
      params = c ? { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret } : await this.options.login!();
      if (session !== this.session) return;
      await this.authenticate(session, params);
      this.loginProblem = null;
    } catch (err) {
      if (session !== this.session) return;
      if (!(err instanceof DeribitError) && !isRefusal(err)) throw err;
      this.loginProblem = err instanceof DeribitError ? `Deribit refused the API key: ${err.venueMessage}` : (err as Error).message;
      this.scheduleLoginRetry(session);
    }
  }

  private scheduleLoginRetry(session: number): void {
    if (this.loginRetry) clearTimeout(this.loginRetry);
    this.loginRetry = setTimeout(() => {
      if (session !== this.session || this.authenticated) return;
      void this.signIn(session)
        .then(async () => {
          if (!this.authenticated || session !== this.session || !this.subscribed) return;
          // Signed in late: our own streams from now, and whatever happened before read back.
          await this.subscribeOwn();
          this.sink.reconnected?.();
        })
        .catch((err: Error) => this.onRequestError(err, 'signing in'));
    }, this.options.loginRetryMs ?? 3_000);
  }

  private async authenticate(session: number, params: Record<string, unknown>): Promise<void> {
    const auth = await this.rpc.call('public/auth', params, wireAuth);
    if (session !== this.session) return;
    this.authenticated = true;
    if (this.authRefresh) clearTimeout(this.authRefresh);
    // Refresh well before expiry; a failed refresh falls back to a fresh login on reconnect.
    const inMs = Math.max(5_000, auth.expires_in * 1000 * 0.8);
    this.authRefresh = setTimeout(() => {
      if (session !== this.session) return;
      const refresh = auth.refresh_token ? { grant_type: 'refresh_token', refresh_token: auth.refresh_token } : null;
      (refresh ? this.authenticate(session, refresh) : this.signIn(session)).catch((err: Error) => this.onRequestError(err, 'refreshing the API session'));
    }, inMs);
  }

  /** Reads the listing; a change replaces the chain (announced once) and says what joined and left. */
  private async loadInstruments(): Promise<{ added: string[]; removed: string[] }> {
    const all: OptionContract[] = [];
    const skipped: string[] = [];
    for (const currency of this.currencies()) {
      const wait = this.instrumentCredits.reserve();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const list = await this.rpc.call('public/get_instruments', { currency, kind: 'option', expired: false }, INSTRUMENTS);
      for (const raw of list) {
        const w = wireInstrument.safeParse(raw);
        if (!w.success) {
          const name = (raw as { instrument_name?: unknown } | null)?.instrument_name;
          skipped.push(`${typeof name === 'string' ? name : '?'}: ${issue(w.error)}`);
          continue;
        }
        const c = normaliseOption(w.data, all.length);
        if (typeof c === 'string') skipped.push(c);
        else all.push(c);
      }
    }
    if (skipped.length) this.tracker.problemSeen(`${skipped.length} instrument(s) skipped, e.g. ${skipped[0]}`);
    this.stats.listings++;
    const before = this.contracts;
    const same = before.length === all.length && all.every((c, i) => c.name === before[i]!.name);
    if (same) return { added: [], removed: [] };
    const names = new Set(all.map((c) => c.name));
    const removed = before.filter((c) => !names.has(c.name)).map((c) => c.name);
    const added = all.filter((c) => !this.byName.has(c.name)).map((c) => c.name);
    this.contracts = all;
    this.byName = new Map(all.map((c) => [c.name, c]));
    for (const name of removed) this.books.delete(name);
    this.sink.chain(all);
    return { added, removed };
  }

  /**
   * The next read of the listing: just after the soonest expiry (when it leaves and the venue lists
   * the next), and at least every `relistEveryMs`. A change subscribes what joined and drops what left.
   */
  private scheduleRelist(session: number): void {
    if (this.relistTimer) clearTimeout(this.relistTimer);
    const every = this.relistSoon ? 30_000 : (this.options.relistEveryMs ?? RELIST_EVERY_MS);
    const wait = relistDelayMs(this.contracts.map((c) => c.expiry), this.now(), every);
    this.relistTimer = setTimeout(() => {
      if (session !== this.session || !this.subscribed) return;
      void this.relist(session)
        .catch((err: Error) => this.onRequestError(err, 'reading the option listing again'))
        .finally(() => {
          if (session === this.session) this.scheduleRelist(session);
        });
    }, wait);
  }

  private async relist(session: number): Promise<void> {
    this.relistSoon = false;
    const { added, removed } = await this.loadInstruments();
    if (session !== this.session || (!added.length && !removed.length)) return;
    if (removed.length) await this.rpc.call('public/unsubscribe', { channels: optionChannels(removed) }, SUBSCRIBE_RESULT);
    if (added.length) await this.subscribe(optionChannels(added));
  }

  private async subscribeAll(): Promise<void> {
    // The perpetuals' books too: Deribit is a hedge venue, and the ticket walks its book.
    await this.subscribe([...optionChannels(this.contracts.map((c) => c.name)), ...this.currencies().map((u) => `book.${u}-PERPETUAL.100ms`)]);
    if (this.authenticated) await this.subscribeOwn();
  }

  /** Public channels in chunks; the venue silently leaves out channels it will not serve, so say which. */
  private async subscribe(channels: string[]): Promise<void> {
    const chunk = this.options.subscribeChunk ?? 200;
    const missing: string[] = [];
    for (let i = 0; i < channels.length; i += chunk) {
      const asked = channels.slice(i, i + chunk);
      const accepted = new Set(await this.rpc.call('public/subscribe', { channels: asked }, SUBSCRIBE_RESULT));
      for (const ch of asked) if (!accepted.has(ch)) missing.push(ch);
    }
    if (missing.length) this.tracker.problemSeen(`venue refused ${missing.length} channel(s), e.g. ${missing[0]}`);
  }

  /** Signed in: our own orders and trades as they happen (one raw order per message, trades in arrays). */
  private async subscribeOwn(): Promise<void> {
    if (this.sink.ownTrade) await this.rpc.call('private/subscribe', { channels: [OWN_ORDERS, OWN_TRADES, OWN_CHANGES] }, SUBSCRIBE_RESULT);
  }

  private onOwnTrades(data: unknown): void {
    const trades = ownTradesSchema.safeParse(data);
    if (!trades.success) return this.malformed(`user.trades: ${trades.error.issues[0]?.message}`);
    // Sizes as Deribit gives them: coins for options, USD for perpetuals (the order's own unit).
    for (const t of trades.data) this.sink.ownTrade?.({ label: t.label ?? '', tradeId: t.trade_id, size: t.amount, price: t.price, at: t.timestamp });
  }

  private onChanges(data: unknown): void {
    const c = changesSchema.safeParse(data);
    if (!c.success) return this.malformed(`user.changes: ${c.error.issues[0]?.message}`);
    if (c.data.positions.length) this.sink.positionChanged?.(c.data.instrument_name);
  }

  private onOwnOrder(data: unknown): void {
    const o = ownOrderSchema.safeParse(data);
    if (!o.success) return this.malformed(`user.orders: ${o.error.issues[0]?.message}`);
    if (o.data.order_state === 'cancelled' || o.data.order_state === 'rejected') this.sink.ownCancel?.(o.data.label, o.data.cancel_reason ?? o.data.order_state);
  }

  private onNotification(channel: string, data: unknown, receivedAt: number): void {
    this.tracker.messageSeen();
    try {
      let m = TICKER_CHANNEL.exec(channel);
      if (m) return this.onTicker(data, receivedAt);
      m = BOOK_CHANNEL.exec(channel);
      if (m) return this.onBook(m[1]!, data, receivedAt);
      if (channel === OWN_TRADES) return this.onOwnTrades(data);
      if (channel === OWN_ORDERS) return this.onOwnOrder(data);
      if (channel === OWN_CHANGES) return this.onChanges(data);
    } catch (err) {
      // A bug of ours on one odd message costs that message only.
      this.tracker.problemSeen(`could not handle ${channel}: ${(err as Error).message}`);
    }
  }

  private onTicker(data: unknown, receivedAt: number): void {
    const t = wireTicker.safeParse(data);
    if (!t.success) return this.malformed(`ticker ${issue(t.error)}`);
    const contract = this.byName.get(t.data.instrument_name);
    if (!contract) return;
    this.stats.tickers++;
    this.lastTickerAt.set(contract.underlying, this.now());
    this.sink.ticker(normaliseTicker(t.data, receivedAt));
  }

  private onBook(name: string, data: unknown, receivedAt: number): void {
    const b = wireBook.safeParse(data);
    if (!b.success) return this.malformed(`book ${name} ${issue(b.error)}`);
    this.stats.bookMessages++;
    const msg = b.data;
    let book = this.books.get(name);
    if (!book) this.books.set(name, (book = new DeribitBook()));
    if (msg.type === 'snapshot') {
      book.snapshot(msg.change_id, msg.timestamp, msg.bids, msg.asks);
    } else {
      if (!book.synced) return; // waiting for the snapshot of a resubscription
      const r = book.change(msg.prev_change_id, msg.change_id, msg.timestamp, msg.bids, msg.asks);
      if (!r.ok) return this.resync(name, r.reason);
    }
    this.sink.book(name, book, receivedAt);
  }

  /** A broken change_id chain: drop the book and ask for a fresh snapshot of that book alone. */
  private resync(name: string, reason: string): void {
    this.stats.resyncs++;
    this.tracker.problemSeen(`${name} book resynced (${reason})`);
    const channel = `book.${name}.100ms`;
    const session = this.session;
    void (async () => {
      try {
        await this.rpc.call('public/unsubscribe', { channels: [channel] }, SUBSCRIBE_RESULT);
        if (session !== this.session) return;
        await this.rpc.call('public/subscribe', { channels: [channel] }, SUBSCRIBE_RESULT);
      } catch (err) {
        if (session === this.session) this.onRequestError(err as Error, `resubscribing ${name}`);
      }
    })();
  }

  private onRequestError(err: Error, during: string): void {
    if (err instanceof DeribitError && err.code === TOO_MANY_REQUESTS) {
      // The venue ends the session after this; wait for the credits to refill before coming back.
      this.stats.rateLimited++;
      this.rateLimitStrikes++;
      const pause = Math.min(60_000, 2_000 * 2 ** (this.rateLimitStrikes - 1));
      this.tracker.problemSeen(`rate limited while ${during}: ${err.message}; pausing ${(pause / 1000).toFixed(0)} s`);
      this.rpc.restart(`too_many_requests (${err.code})`, pause);
      return;
    }
    this.tracker.problemSeen(`${during}: ${err.message}`);
    if (!this.subscribed && this.rpc.connected) this.rpc.restart(`${during} failed`);
  }

  private onDown(reason: string, retryInMs: number, attempt: number): void {
    this.session++;
    this.subscribed = false;
    this.authenticated = false;
    this.stats.reconnects++;
    this.tracker.attempt = attempt;
    this.tracker.set('reconnecting', `${reason}; retrying in ${(retryInMs / 1000).toFixed(1)} s`);
  }

  private malformed(what: string): void {
    this.stats.malformed++;
    this.tracker.problemSeen(`ignored a malformed message (${what})`);
  }

  private checkStaleness(): void {
    if (!this.rpc.connected || !this.subscribed) return this.tracker.emit();
    const now = this.now();
    const limit = this.options.staleAfterMs ?? 5000;
    const stale: string[] = [];
    for (const u of this.currencies()) {
      if (!this.contracts.some((c) => c.underlying === u)) continue;
      const at = Math.max(this.lastTickerAt.get(u) ?? 0, this.subscribedAt);
      if (now - at > limit) stale.push(`${u} options ${((now - at) / 1000).toFixed(1)} s old`);
    }
    if (stale.length) this.tracker.set('stale', `no update: ${stale.join(', ')}`);
    else {
      if (this.tracker.state !== 'connected') this.rateLimitStrikes = 0;
      this.tracker.set('connected', '');
    }
  }
}

function issue(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid';
}
