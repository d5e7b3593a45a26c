import type { z } from 'zod';
import { describeIssues } from '../../../shared/contract/validate.ts';
import type { Instrument } from '../../../shared/domain/instruments.ts';
import { TIMEFRAME_MS, type Candle, type PerpStats, type Timeframe, type Trade } from '../../../shared/domain/market.ts';
import type { ConnectionState, VenueStatus } from '../../../shared/domain/venues.ts';
import type { BookUpdate, GroupedBookUpdate } from '../../../shared/stream/frame.ts';
import { aggregationFor } from '../../../shared/domain/book-grouping.ts';
import { tickAt } from '../../../shared/domain/instruments.ts';
import { HyperliquidGroupedBook } from './grouped-book.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../common/backoff.ts';
import { StatusTracker } from '../common/status-tracker.ts';
import { ReconnectingSocket, type SocketFactory } from '../common/reconnecting-socket.ts';
import { normaliseClearinghouse, wireClearinghouseFrame, type PerpAccount } from './account.ts';
import { readL2Book } from './book-parse.ts';
import { scanL2BookFrame, type ScannedBook } from './book-scan.ts';
import { HyperliquidInfoClient } from './info-client.ts';
import { perpInstrumentId, perpInstruments } from './instruments.ts';
import type { MarketDataClient } from '../common/market-data.ts';
import { WsPoster } from './ws-post.ts';
import { ownFillsFrame, ownOrdersFrame, wireAllMids, wireFrame, wireMetaAndAssetCtxs, wireSubscriptionAck, wireTrade } from './wire-schemas.ts';

/*
 * Why a thin client of our own rather than @nktkas/hyperliquid's WebSocketTransport for market
 * data: the engine must (1) validate every frame once, here, and report a bad one by field
 * instead of dropping it silently (the SDK ignores non-JSON frames), (2) expose connection state
 * per feed (stale vs reconnecting) to the trader and to automation, (3) keep reconnecting forever
 * with jittered backoff (the SDK gives up after 3 tries by default), and (4) drop out-of-order
 * book snapshots by venue time. That is ~300 lines on the WHATWG WebSocket that Node and Electron
 * ship. Signing and order entry, where the SDK's canonical action hashing matters, will use the SDK.
 */

export interface MarketDataSink {
  book(update: BookUpdate): void;
  /** The book in view as the venue grouped it (groupBook), for the screen only. */
  groupedBook?(update: GroupedBookUpdate): void;
  trades(trades: Trade[]): void;
  mids(mids: Record<string, number>): void;
  status(status: VenueStatus): void;
  /** A watched account's perps and margin, or why it could not be read. */
  account?(account: PerpAccount | { address: string; error: string }): void;
  /** One of the trading account's fills, from its userFills stream (the snapshot too). */
  ownFill?(fill: OwnFill): void;
  /** One of the trading account's orders changed status (orderUpdates). */
  ownOrder?(update: { cloid: string | null; oid: number; status: string; at: number }): void;
  /** The link came back after a drop: whatever happened meanwhile must be read back. */
  reconnected?(): void;
}

export interface OwnFill {
  user: string;
  coin: string;
  cloid: string | null;
  side: 'buy' | 'sell';
  /** The venue's trade id: one fill, one id. */
  tid: number;
  price: number;
  size: number;
  time: number;
}


export interface HyperliquidMarketDataOptions {
  httpUrl: string;
  wsUrl: string;
  paper: boolean;
  /** Coins to stream books and trades for; default: every listed perp. */
  coins?: string[];
  /** A book older than this is stale and automation must pause. The venue pushes every ~0.5 s. */
  staleAfterMs?: number;
  /** The venue closes links idle for 60 s; ping well before that. */
  heartbeatIdleMs?: number;
  heartbeatTimeoutMs?: number;
  /** Reconnect when a subscription is not acknowledged within this time. */
  ackTimeoutMs?: number;
  backoff?: BackoffOptions;
  createSocket?: SocketFactory;
  now?: () => number;
  requestTimeoutMs?: number;
}

interface Subscription {
  key: string;
  sub: Record<string, unknown>;
  /** Feeds that must keep ticking (books, mids) count toward staleness; trades do not. */
  periodic: boolean;
  acked: boolean;
  sentAt: number;
  ackedAt: number;
  lastDataAt: number;
  refused: string | null;
}

export interface AdapterStats {
  framesApplied: number;
  malformed: number;
  outOfOrderDropped: number;
  duplicateTradesDropped: number;
  reconnects: number;
}

const GREETING = 'Websocket connection established.';
const SEEN_TRADES_KEPT = 4096;
const STATS_CACHE_MS = 2_000;
const HOUR_MS = 3_600_000;

export class HyperliquidMarketData implements MarketDataClient {
  readonly venue = 'hyperliquid' as const;
  readonly stats: AdapterStats = { framesApplied: 0, malformed: 0, outOfOrderDropped: 0, duplicateTradesDropped: 0, reconnects: 0 };
  private readonly info: HyperliquidInfoClient;
  private ctxs: { at: number; read: Promise<z.infer<typeof wireMetaAndAssetCtxs>> } | null = null;
  private readonly socket: ReconnectingSocket;
  private readonly subs = new Map<string, Subscription>();
  private readonly lastBookTime = new Map<string, number>();
  private readonly seenTrades = new Set<number>();
  private readonly now: () => number;
  private instrumentList: Instrument[] = [];
  private readonly tracker: StatusTracker;
  private staleTimer: ReturnType<typeof setInterval> | null = null;
  private metaTimer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private readonly watched = new Set<string>();
  /** Signed actions over this same socket (`post`), answered by id. */
  readonly poster = new WsPoster(
    (frame) => this.socket.send(frame),
    () => this.socket.connected,
  );
  private ownUser: string | null = null;
  private everOpened = false;
  private grouped: HyperliquidGroupedBook | null = null;

  private readonly options: HyperliquidMarketDataOptions;
  private readonly sink: MarketDataSink;

  constructor(options: HyperliquidMarketDataOptions, sink: MarketDataSink) {
    this.options = options;
    this.sink = sink;
    this.now = options.now ?? Date.now;
    this.tracker = new StatusTracker('hyperliquid', options.paper, this.now, (st) => this.sink.status(st));
    this.info = new HyperliquidInfoClient(options.httpUrl, options.requestTimeoutMs);
    this.socket = new ReconnectingSocket(
      {
        url: options.wsUrl,
        heartbeatIdleMs: options.heartbeatIdleMs ?? 20_000,
        heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 10_000,
        pingFrame: JSON.stringify({ method: 'ping' }),
        now: this.now,
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.createSocket ? { createSocket: options.createSocket } : {}),
      },
      {
        open: () => this.onOpen(),
        message: (text, receivedAt) => this.onMessage(text, receivedAt),
        down: (reason, retryInMs, attempt) => this.onDown(reason, retryInMs, attempt),
      },
    );
  }

  get instruments(): Instrument[] {
    return this.instrumentList;
  }

  /**
   * The book the screen shows, grouped at `step` (quote currency, near `mid`) by the venue where it
   * aggregates at that step, on a socket of its own (grouped-book.ts); null stops it. Returns
   * whether the venue groups it: if not, the screen groups the raw levels itself.
   */
  groupBook(instrument: Instrument | null, step: number, mid: number | null): boolean {
    const agg = instrument && mid ? aggregationFor(mid, step, tickAt(mid, instrument)) : null;
    if (!instrument || !agg) {
      this.grouped?.show(null);
      return false;
    }
    this.grouped ??= new HyperliquidGroupedBook(
      {
        wsUrl: this.options.wsUrl,
        now: this.now,
        ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
        ...(this.options.createSocket ? { createSocket: this.options.createSocket } : {}),
      },
      { book: (u) => this.sink.groupedBook?.(u), problem: (text) => this.reportProblem(text) },
    );
    this.grouped.show({ coin: instrument.venueSymbol, agg, step });
    return true;
  }

  /** Loads the market list (retrying with backoff until it succeeds), then streams. */
  async start(): Promise<void> {
    this.running = true;
    this.setState('connecting', 'loading markets');
    this.staleTimer = setInterval(() => this.checkStaleness(), 250);
    await this.loadMeta(0);
  }

  stop(): void {
    this.grouped?.stop();
    this.running = false;
    if (this.staleTimer) clearInterval(this.staleTimer);
    if (this.metaTimer) clearTimeout(this.metaTimer);
    this.socket.stop();
    this.setState('disconnected', 'stopped');
  }

  status(): VenueStatus {
    return this.tracker.status();
  }

  /**
   * The perp's live context, from one `metaAndAssetCtxs` read shared by every instrument for 2 s
   * (the screen asks every couple of seconds; the venue's rate limit is per IP). Funding is paid
   * every hour on the hour.
   */
  async perpStats(instrument: Instrument): Promise<PerpStats> {
    const now = this.now();
    if (!this.ctxs || now - this.ctxs.at > STATS_CACHE_MS) {
      const at = now;
      this.ctxs = { at, read: this.info.query({ type: 'metaAndAssetCtxs' }, wireMetaAndAssetCtxs) };
      this.ctxs.read.catch(() => {
        if (this.ctxs?.at === at) this.ctxs = null;
      });
    }
    const [meta, ctxs] = await this.ctxs.read;
    const i = meta.universe.findIndex((u) => u.name === instrument.venueSymbol);
    const c = i >= 0 ? ctxs[i] : undefined;
    if (!c) throw new Error(`Hyperliquid lists no context for ${instrument.venueSymbol}`);
    const mark = Number(c.markPx);
    const prev = Number(c.prevDayPx);
    return {
      instrumentId: instrument.id,
      mark,
      index: Number(c.oraclePx),
      indexLabel: 'oracle',
      change24h: prev > 0 ? mark / prev - 1 : null,
      fundingPerHour: Number(c.funding),
      nextFundingAt: Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS,
      openInterestCoin: Number(c.openInterest),
      dayNotionalUsd: Number(c.dayNtlVlm),
      at: now,
    };
  }

  async candles(instrument: Instrument, timeframe: Timeframe, bars = 1000): Promise<Candle[]> {
    const width = TIMEFRAME_MS[timeframe];
    const end = this.now();
    const wire = await this.info.candles(instrument.venueSymbol, timeframe, end - bars * width, end);
    return wire
      .map((c) => ({ time: c.t, open: Number(c.o), high: Number(c.h), low: Number(c.l), close: Number(c.c), volume: Number(c.v) }))
      .sort((a, b) => a.time - b.time);
  }

  private async loadMeta(attempt: number): Promise<void> {
    if (!this.running) return;
    try {
      const meta = await this.info.meta();
      this.instrumentList = perpInstruments(meta).map((p) => p.instrument);
      const wanted = this.options.coins ?? this.instrumentList.map((i) => i.venueSymbol);
      for (const coin of wanted) {
        this.addSubscription({ type: 'l2Book', coin }, true);
        this.addSubscription({ type: 'trades', coin }, false);
      }
      this.addSubscription({ type: 'allMids' }, true);
      this.setState('connecting', 'opening stream');
      this.socket.start();
    } catch (err) {
      const delay = backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF, Math.random);
      this.tracker.attempt = attempt + 1;
      this.setState('reconnecting', `cannot load markets: ${(err as Error).message}; retrying in ${(delay / 1000).toFixed(1)} s`);
      this.metaTimer = setTimeout(() => void this.loadMeta(attempt + 1), delay);
    }
  }

  private addSubscription(sub: Record<string, unknown>, periodic: boolean): void {
    const key = JSON.stringify(sub);
    if (this.subs.has(key)) return;
    const s: Subscription = { key, sub, periodic, acked: false, sentAt: 0, ackedAt: 0, lastDataAt: 0, refused: null };
    this.subs.set(key, s);
    if (this.socket.connected) {
      s.sentAt = this.now();
      this.socket.send(JSON.stringify({ method: 'subscribe', subscription: sub }));
    }
  }

  /**
   * Streams the trading account's own fills and order changes (userFills, orderUpdates): how a
   * resting order's fills reach the executor as they happen.
   */
  watchOwnOrders(user: string): void {
    const address = user.toLowerCase();
    if (this.ownUser === address) return;
    for (const sub of this.ownSubscriptions()) {
      this.subs.delete(JSON.stringify(sub));
      if (this.socket.connected) this.socket.send(JSON.stringify({ method: 'unsubscribe', subscription: sub }));
    }
    this.ownUser = address;
    for (const sub of this.ownSubscriptions()) this.addSubscription(sub, false);
  }

  private ownSubscriptions(): Record<string, unknown>[] {
    return this.ownUser ? [{ type: 'userFills', user: this.ownUser }, { type: 'orderUpdates', user: this.ownUser }] : [];
  }

  /**
   * Streams the perps and margin of these addresses (master or sub-accounts, lower-cased): one
   * `clearinghouseState` read over /info for an immediate answer, then the WebSocket feed.
   */
  watchAccounts(addresses: string[]): void {
    const wanted = new Set(addresses.map((a) => a.toLowerCase()));
    for (const address of this.watched) {
      if (wanted.has(address)) continue;
      this.watched.delete(address);
      const sub = accountSubscription(address);
      this.subs.delete(JSON.stringify(sub));
      if (this.socket.connected) this.socket.send(JSON.stringify({ method: 'unsubscribe', subscription: sub }));
    }
    for (const address of wanted) {
      if (this.watched.has(address)) continue;
      this.watched.add(address);
      this.addSubscription(accountSubscription(address), false);
      void this.readAccount(address);
    }
  }

  private async readAccount(address: string): Promise<void> {
    try {
      const state = await this.info.clearinghouseState(address);
      if (this.watched.has(address)) this.sink.account?.(normaliseClearinghouse(address, state, this.now()));
    } catch (err) {
      if (this.watched.has(address)) this.sink.account?.({ address, error: (err as Error).message });
    }
  }

  private onOpen(): void {
    if (this.everOpened) this.sink.reconnected?.();
    this.everOpened = true;
    for (const s of this.subs.values()) {
      s.acked = false;
      s.refused = null;
      s.lastDataAt = 0;
      s.sentAt = this.now();
      this.socket.send(JSON.stringify({ method: 'subscribe', subscription: s.sub }));
    }
    this.setState('connecting', 'subscribing');
  }

  private onDown(reason: string, retryInMs: number, attempt: number): void {
    this.poster.dropped(reason);
    this.tracker.attempt = attempt;
    this.stats.reconnects++;
    for (const s of this.subs.values()) s.acked = false;
    this.setState('reconnecting', `${reason}; retrying in ${(retryInMs / 1000).toFixed(1)} s`);
  }

  private onMessage(text: string, receivedAt: number): void {
    try {
      this.handleMessage(text, receivedAt);
    } catch (err) {
      // A bug of ours on some odd frame must cost that frame, not the connection or the engine.
      this.reportProblem(`could not handle a venue frame: ${(err as Error).message}`);
    }
  }

  private handleMessage(text: string, receivedAt: number): void {
    this.tracker.messageSeen();
    if (text === GREETING) return;
    const scanned = scanL2BookFrame(text);
    if (scanned) return this.applyBook(scanned, receivedAt);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.malformed(`not JSON: ${text.slice(0, 60)}`);
    }
    const frame = wireFrame.safeParse(json);
    if (!frame.success) return this.malformed(describeIssues(frame.error));
    const { channel, data } = frame.data;
    switch (channel) {
      case 'l2Book':
        return this.onBook(data, receivedAt);
      case 'trades':
        return this.onTrades(data);
      case 'allMids':
        return this.onMids(data);
      case 'clearinghouseState':
        return this.onAccount(data);
      case 'userFills':
        return this.onOwnFills(data);
      case 'orderUpdates':
        return this.onOwnOrders(data);
      case 'subscriptionResponse':
        return this.onAck(data);
      case 'post':
        this.poster.answer(data);
        return;
      case 'error':
        return this.onVenueError(data);
      default:
        return; // pong and feeds we did not ask for
    }
  }

  private parse<T>(schema: z.ZodType<T>, data: unknown, what: string): T | null {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    this.malformed(`${what}: ${describeIssues(parsed.error)}`);
    return null;
  }

  /** The general path for a book: any valid JSON form, and the reason when it is not valid. */
  private onBook(data: unknown, receivedAt: number): void {
    const book = readL2Book(data);
    if (typeof book === 'string') return this.malformed(book);
    this.applyBook(book, receivedAt);
  }

  private applyBook(book: ScannedBook, receivedAt: number): void {
    // Snapshots are whole books: an older or same-time one carries nothing newer.
    const last = this.lastBookTime.get(book.coin) ?? 0;
    if (book.time <= last) {
      this.stats.outOfOrderDropped++;
      return;
    }
    const { levels } = book;
    this.lastBookTime.set(book.coin, book.time);
    this.touch({ type: 'l2Book', coin: book.coin });
    this.stats.framesApplied++;
    this.sink.book({ instrumentId: perpInstrumentId(book.coin), time: book.time, receivedAt, levels });
  }

  private onTrades(data: unknown): void {
    if (!Array.isArray(data)) return this.malformed('trades: expected an array');
    const out: Trade[] = [];
    const coins = new Set<string>();
    for (const item of data) {
      const t = this.parse(wireTrade, item, 'trade');
      if (!t) continue;
      if (this.seenTrades.has(t.tid)) {
        this.stats.duplicateTradesDropped++;
        continue;
      }
      this.rememberTrade(t.tid);
      coins.add(t.coin);
      out.push({
        instrumentId: perpInstrumentId(t.coin),
        time: t.time,
        price: Number(t.px),
        size: Number(t.sz),
        side: t.side === 'B' ? 'buy' : 'sell',
        id: String(t.tid),
      });
    }
    if (!out.length) return;
    for (const coin of coins) this.touch({ type: 'trades', coin });
    this.sink.trades(out);
  }

  private onMids(data: unknown): void {
    const mids = this.parse(wireAllMids, data, 'allMids');
    if (!mids) return;
    this.touch({ type: 'allMids' });
    const out: Record<string, number> = {};
    for (const [coin, px] of Object.entries(mids.mids)) out[perpInstrumentId(coin)] = Number(px);
    this.sink.mids(out);
  }

  private onAccount(data: unknown): void {
    const frame = this.parse(wireClearinghouseFrame, data, 'clearinghouseState');
    if (!frame) return;
    const address = frame.user.toLowerCase();
    if (!this.watched.has(address)) return;
    this.touch(accountSubscription(address));
    this.sink.account?.(normaliseClearinghouse(address, frame.clearinghouseState, this.now()));
  }

  private onOwnFills(data: unknown): void {
    const frame = this.parse(ownFillsFrame, data, 'userFills');
    if (!frame || frame.user.toLowerCase() !== this.ownUser) return;
    this.touch({ type: 'userFills', user: this.ownUser });
    for (const f of frame.fills) {
      this.sink.ownFill?.({ user: this.ownUser, coin: f.coin, cloid: f.cloid ?? null, side: f.side === 'B' ? 'buy' : 'sell', tid: f.tid, price: Number(f.px), size: Number(f.sz), time: f.time });
    }
  }

  private onOwnOrders(data: unknown): void {
    const updates = this.parse(ownOrdersFrame, data, 'orderUpdates');
    if (!updates || !this.ownUser) return;
    this.touch({ type: 'orderUpdates', user: this.ownUser });
    for (const u of updates) this.sink.ownOrder?.({ cloid: u.order.cloid ?? null, oid: u.order.oid, status: u.status, at: u.statusTimestamp });
  }

  private onAck(data: unknown): void {
    const ack = this.parse(wireSubscriptionAck, data, 'subscriptionResponse');
    if (!ack || ack.method !== 'subscribe') return;
    const s = this.findSubscription(ack.subscription);
    if (s) {
      s.acked = true;
      s.ackedAt = this.now();
    }
    this.checkStaleness();
  }

  private onVenueError(data: unknown): void {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    const refused = /^Invalid subscription (.*)$/.exec(text);
    if (refused) {
      let sub: Record<string, unknown> | null = null;
      try {
        sub = JSON.parse(refused[1]!) as Record<string, unknown>;
      } catch {
        // The venue did not echo a parseable subscription; report the text as it came.
      }
      const s = sub ? this.findSubscription(sub) : undefined;
      if (s) s.refused = text;
      this.reportProblem(`venue refused a subscription: ${text}`);
      this.checkStaleness();
      return;
    }
    if (text.startsWith('Already subscribed')) return;
    this.reportProblem(`venue error: ${text.slice(0, 200)}`);
  }

  /** Acks may echo extra default fields, so match by subset, not equality. */
  private findSubscription(echo: Record<string, unknown>): Subscription | undefined {
    for (const s of this.subs.values()) {
      if (Object.entries(s.sub).every(([k, v]) => echo[k] === v)) return s;
    }
    return undefined;
  }

  private touch(sub: Record<string, unknown>): void {
    const s = this.subs.get(JSON.stringify(sub));
    if (s) {
      s.lastDataAt = this.now();
      s.acked = true;
    }
  }

  private rememberTrade(tid: number): void {
    this.seenTrades.add(tid);
    if (this.seenTrades.size > SEEN_TRADES_KEPT) {
      const oldest = this.seenTrades.values().next().value as number;
      this.seenTrades.delete(oldest);
    }
  }

  private malformed(what: string): void {
    this.stats.malformed++;
    this.reportProblem(`ignored a malformed frame (${what})`);
  }

  private reportProblem(text: string): void {
    this.tracker.problemSeen(text);
  }

  private checkStaleness(): void {
    if (!this.running || !this.socket.connected) {
      this.tracker.emit();
      return;
    }
    const now = this.now();
    const limit = this.options.staleAfterMs ?? 3000;
    const stale: string[] = [];
    const refused: string[] = [];
    let pending = 0;
    for (const s of this.subs.values()) {
      if (s.refused) {
        refused.push(describeSub(s.sub));
        continue;
      }
      if (!s.periodic) continue;
      if (!s.acked) {
        pending++;
        if (now - s.sentAt > (this.options.ackTimeoutMs ?? 5000)) {
          this.socket.restart(`${describeSub(s.sub)} subscription not acknowledged`);
          return;
        }
        continue;
      }
      const since = s.lastDataAt || s.ackedAt;
      if (now - since > limit) stale.push(`${describeSub(s.sub)} ${((now - since) / 1000).toFixed(1)} s old`);
    }
    const refusedNote = refused.length ? `refused: ${refused.join(', ')}` : '';
    if (stale.length || refused.length) {
      this.setState('stale', [stale.length ? `no update: ${stale.join(', ')}` : '', refusedNote].filter(Boolean).join(' · '));
    } else if (pending) {
      this.setState(this.tracker.state === 'reconnecting' ? 'reconnecting' : 'connecting', 'subscribing');
    } else {
      this.setState('connected', '');
    }
  }

  private setState(state: ConnectionState, detail: string): void {
    this.tracker.set(state, detail);
  }
}

function accountSubscription(address: string): Record<string, unknown> {
  return { type: 'clearinghouseState', user: address, dex: '' };
}

function describeSub(sub: Record<string, unknown>): string {
  const kind = sub.type === 'l2Book' ? 'book' : String(sub.type);
  return typeof sub.coin === 'string' ? `${sub.coin} ${kind}` : kind;
}
