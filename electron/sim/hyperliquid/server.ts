import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { rawText } from '../../venues/common/ws-text.ts';
import { acceptWebSocketsOn, answerControl, json, MAX_BODY, readBody, text } from '../http-util.ts';
import type { SimMarket } from '../sim-market.ts';
import { emptyFaults, malformedFrame, parseFaultCommand, type FaultCommand, type FaultState } from './faults.ts';
import { emptyClearinghouseState, PAPER_ADDRESS, PaperPerpAccount } from './paper-account.ts';
import { SimExchange } from './exchange.ts';
import { SimMatching } from './matching.ts';
import * as wire from './payloads.ts';
import { l2BookFor } from './aggregated-book.ts';
import type { BookAggregation } from '../../../shared/domain/book-grouping.ts';
import { wireSize } from '../wire-format.ts';

export interface HyperliquidSimOptions {
  market: SimMarket;
  /** Clock in ms since epoch; injectable so tests can drive time. */
  now?: () => number;
  host?: string;
  port?: number;
  /** How often the market advances, ms. */
  stepMs?: number;
  /** How often l2Book snapshots are pushed; the venue pushes at most every 0.5 s. */
  bookIntervalMs?: number;
  /** Server closes a connection it has sent nothing to for this long (the venue: 60 s). */
  idleCloseMs?: number;
  /** When set, POST /_sim/control accepts fault commands carrying this token in `x-sim-control`. */
  controlToken?: string;
  /** Greets each connection with the plain-text line the real server sends. */
  greeting?: boolean;
  /** Benches: told of every exchange action as it arrives, before it is carried out. */
  observeAction?: (payload: unknown) => void;
  /**
   * Commands for the rest of the simulated market (the paper Aave oracle), tried first on the
   * same control endpoint: null when the command is not one of them, words when it is malformed.
   */
  marketControl?: (value: unknown) => (() => Promise<void>) | string | null;
}

interface Client {
  socket: WebSocket;
  /** Subscription key → the subscription as the client sent it. */
  subs: Map<string, Record<string, unknown>>;
  lastSentAt: number;
}

/** The aggregation an l2Book subscription asks for; null for the raw book (a mantissa of 1 is the 5-figure step itself). */
function aggregationOf(sub: Record<string, unknown>): BookAggregation | null {
  const n = sub.nSigFigs;
  if (n !== 2 && n !== 3 && n !== 4 && n !== 5) return null;
  const m = sub.mantissa;
  return { nSigFigs: n, mantissa: m === 2 || m === 5 ? m : null };
}

const isAddress = (v: unknown): v is string => typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v);

const DESERIALIZE_ERROR = 'Failed to deserialize the JSON body into the target type';
/** What a paper address is credited the first time it asks the faucet, USDC. */
export const PAPER_FAUCET_USD = 100_000;
/** The hourly rate when the premium sits inside the clamp: 0.01 % per 8 h (venues-trading H5.1). */
const NEUTRAL_HOURLY_FUNDING = 0.0000125;

/**
 * A loopback server that speaks Hyperliquid's wire format for market data: POST /info and the
 * /ws subscription protocol. Paper mode points the real adapter at it; tests inject faults into it.
 */
export class HyperliquidSimServer {
  readonly faults: FaultState = emptyFaults();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly now: () => number;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Recent book frames per coin, oldest first, for the out-of-order fault. */
  private readonly recentBooks = new Map<string, string[]>();
  private malformedSent = 0;
  readonly paper: PaperPerpAccount;

  private readonly options: HyperliquidSimOptions;
  /** Signed actions: agents, nonces, resting orders. */
  readonly exchange: SimExchange;
  /** Orders against the book: matching, resting orders, fills. */
  readonly matching: SimMatching;
  private readonly accounts = new Map<string, PaperPerpAccount>();

  constructor(options: HyperliquidSimOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.paper = new PaperPerpAccount(options.market, this.now());
    this.accounts.set(this.paper.address, this.paper);
    this.matching = new SimMatching(options.market, (user) => this.accountFor(user), () => this.now(), (user, kind, payload) => this.pushUserEvent(user, kind, payload));
    this.exchange = new SimExchange(() => this.now(), [PAPER_ADDRESS], this.matching, { funded: (user) => this.accounts.get(user.toLowerCase())?.funded ?? false, account: (user) => this.accountFor(user) });
    this.http = createServer((req, res) => void this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
    acceptWebSocketsOn(this.http, this.wss, '/ws', (ws) => this.onConnection(ws));
  }

  get market(): SimMarket {
    return this.options.market;
  }

  async listen(): Promise<{ httpUrl: string; wsUrl: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const { port } = this.http.address() as AddressInfo;
    const host = this.options.host ?? '127.0.0.1';
    this.timers.push(setInterval(() => this.step(), this.options.stepMs ?? 100));
    this.timers.push(setInterval(() => this.pushBooks(), this.options.bookIntervalMs ?? 500));
    this.timers.push(setInterval(() => this.pushMids(), 500));
    this.timers.push(setInterval(() => this.pushAccounts(), 1000));
    this.timers.push(setInterval(() => this.closeIdle(), 1000));
    return { httpUrl: `http://${host}:${port}`, wsUrl: `ws://${host}:${port}/ws`, port };
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.clients) c.socket.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  apply(cmd: FaultCommand): void {
    switch (cmd.fault) {
      case 'drop':
        for (const c of this.clients) c.socket.terminate();
        break;
      case 'stall':
        this.faults.stallUntil = this.now() + cmd.ms;
        break;
      case 'malformed':
        this.faults.malformedRemaining += cmd.count;
        break;
      case 'outOfOrder':
        this.faults.outOfOrderRemaining += cmd.count;
        break;
      case 'loseAnswers':
        this.faults.lostAnswersRemaining += cmd.count;
        break;
      case 'delayAnswers':
        this.faults.delayedAnswers = { remaining: this.faults.delayedAnswers.remaining + cmd.count, ms: cmd.ms };
        break;
      case 'slowRequests':
        this.faults.slowRequests = { remaining: this.faults.slowRequests.remaining + cmd.count, ms: cmd.ms };
        break;
      case 'duplicateEvents':
        this.faults.duplicateEventsRemaining += cmd.count;
        break;
      case 'refuse':
        this.faults.refusedTypes.add(cmd.subscriptionType);
        break;
      case 'clear':
        Object.assign(this.faults, emptyFaults());
        break;
      case 'crash':
        // After the answer is on its way. In the simulator's worker this ends that thread only.
        setTimeout(() => process.exit(70), 20);
        break;
    }
  }

  private stalled(): boolean {
    return this.now() < this.faults.stallUntil;
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'POST') return void text(res, 405, 'Method Not Allowed');
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return void text(res, 413, 'Payload Too Large');
    }
    if (path === '/_sim/control') {
      const parse = (v: unknown): FaultCommand | (() => Promise<void>) | string => this.options.marketControl?.(v) ?? parseFaultCommand(v);
      return answerControl(req, res, body, this.options.controlToken, parse, (cmd) => (typeof cmd === 'function' ? cmd() : this.apply(cmd)));
    }
    if (path === '/_sim/faucet') return void this.faucet(body, res);
    if (this.stalled()) return; // a stalled venue leaves requests hanging; the client's timeout fires
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return void text(res, 422, DESERIALIZE_ERROR);
    }
    if (path === '/exchange') {
      // A slow path: the action reaches the venue late, after the client may have given up on it.
      const slow = this.takeSlow();
      if (slow > 0) await new Promise((r) => setTimeout(r, slow));
      this.options.observeAction?.(parsed);
      const answer = this.exchange.handle(parsed);
      if (this.faults.lostAnswersRemaining > 0) {
        // Done, but the client never hears: the case a retry must not turn into a second order.
        this.faults.lostAnswersRemaining--;
        res.socket?.destroy();
        return;
      }
      // Carried out now, answered late: a client that gave up must ask before it resends.
      const delay = this.takeDelay();
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      return typeof answer.body === 'string' ? void text(res, answer.status, answer.body) : void json(res, answer.status, answer.body);
    }
    if (path !== '/info') return void text(res, 404, 'Not Found');
    const answer = this.info(parsed);
    if (answer === undefined) return void text(res, 422, DESERIALIZE_ERROR);
    json(res, 200, answer);
  }

  /**
   * Paper money, as the testnet faucet hands out mock USDC: an address gets PAPER_FAUCET_USD once,
   * so a paper trader's own master key can approve an agent and trade. Not part of the venue.
   */
  private faucet(body: string, res: ServerResponse): void {
    let user: unknown;
    try {
      user = (JSON.parse(body) as { user?: unknown }).user;
    } catch {
      return void text(res, 422, DESERIALIZE_ERROR);
    }
    if (typeof user !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(user)) return void text(res, 422, DESERIALIZE_ERROR);
    const account = this.accountFor(user);
    const credited = !account.funded;
    if (credited) account.deposit(PAPER_FAUCET_USD);
    json(res, 200, { credited: credited ? PAPER_FAUCET_USD : 0 });
  }

  /** Returns undefined for a request the venue could not deserialize. */
  private info(req: unknown): unknown {
    if (typeof req !== 'object' || req === null) return undefined;
    const r = req as Record<string, unknown>;
    const market = this.options.market;
    switch (r.type) {
      case 'meta':
        return wire.meta(market);
      case 'metaAndAssetCtxs':
        return [wire.meta(market), [...market.coins.values()].map(wire.assetCtx)];
      case 'allMids':
        return wire.allMids(market);
      case 'l2Book': {
        if (typeof r.coin !== 'string') return undefined;
        const coin = market.coin(r.coin);
        return coin ? l2BookFor(coin, this.now(), aggregationOf(r)) : null;
      }
      case 'clearinghouseState':
        return typeof r.user === 'string' ? this.clearinghouseState(r.user) : undefined;
      case 'openOrders':
      case 'frontendOpenOrders':
        return typeof r.user === 'string' ? this.matching.openOrders(r.user.toLowerCase()) : undefined;
      case 'orderStatus':
        return typeof r.user === 'string' && (typeof r.oid === 'number' || typeof r.oid === 'string') ? this.matching.orderStatus(r.user.toLowerCase(), r.oid) : undefined;
      case 'userFills':
        return typeof r.user === 'string' ? this.matching.userFills(r.user.toLowerCase()) : undefined;
      case 'extraAgents':
        return typeof r.user === 'string' ? this.exchange.agents(r.user) : undefined;
      case 'candleSnapshot': {
        const q = r.req as Record<string, unknown> | undefined;
        if (!q || typeof q.coin !== 'string' || typeof q.interval !== 'string' || typeof q.startTime !== 'number') {
          return undefined;
        }
        return (
          wire.candleSnapshot(market, {
            coin: q.coin,
            interval: q.interval,
            startTime: q.startTime,
            ...(typeof q.endTime === 'number' ? { endTime: q.endTime } : {}),
          }) ?? []
        );
      }
      default:
        return undefined;
    }
  }

  // ---- WebSocket -----------------------------------------------------------------------------

  private onConnection(socket: WebSocket): void {
    const client: Client = { socket, subs: new Map(), lastSentAt: this.now() };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      if (this.stalled()) return;
      if (isBinary) return this.send(client, { channel: 'error', data: 'Binary frames are not supported' });
      this.onClientFrame(client, rawText(data));
    });
    if (this.options.greeting ?? true) this.sendRaw(client, 'Websocket connection established.');
  }

  private onClientFrame(client: Client, raw: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return this.send(client, { channel: 'error', data: `Error parsing JSON into valid websocket request: ${raw.slice(0, 100)}` });
    }
    if (msg.method === 'ping') return this.send(client, { channel: 'pong' });
    if (msg.method === 'post') return this.onPost(client, msg);
    if (msg.method !== 'subscribe' && msg.method !== 'unsubscribe') {
      return this.send(client, { channel: 'error', data: `Unknown method: ${String(msg.method)}` });
    }
    const sub = msg.subscription as Record<string, unknown> | undefined;
    const normalised = sub ? this.normaliseSubscription(sub) : null;
    const shown = JSON.stringify(sub ?? null);
    if (!normalised || this.faults.refusedTypes.has(String(sub?.type))) {
      return this.send(client, { channel: 'error', data: `Invalid subscription ${shown}` });
    }
    const key = JSON.stringify(normalised);
    if (msg.method === 'subscribe') {
      if (client.subs.has(key)) return this.send(client, { channel: 'error', data: `Already subscribed: ${shown}` });
      client.subs.set(key, normalised);
      this.send(client, { channel: 'subscriptionResponse', data: { method: 'subscribe', subscription: normalised } });
      this.sendInitial(client, normalised);
    } else {
      if (!client.subs.delete(key)) return this.send(client, { channel: 'error', data: `Already unsubscribed: ${shown}` });
      this.send(client, { channel: 'subscriptionResponse', data: { method: 'unsubscribe', subscription: normalised } });
    }
  }

  /**
   * `post` over the WebSocket: the same /info and /exchange requests, wrapped with an id
   * (venues.md §1.2). A lost-answer fault drops the answer here too, after the action is done.
   */
  private onPost(client: Client, msg: Record<string, unknown>): void {
    const id = msg.id;
    const request = msg.request as { type?: unknown; payload?: unknown } | undefined;
    if (typeof id !== 'number' || !request || (request.type !== 'info' && request.type !== 'action')) {
      return this.send(client, { channel: 'error', data: `Invalid post request: ${JSON.stringify(msg).slice(0, 100)}` });
    }
    if (this.stalled()) return;
    const reply = (response: unknown): void => this.send(client, { channel: 'post', data: { id, response } });
    if (request.type === 'info') {
      const answer = this.info(request.payload);
      if (answer === undefined) return reply({ type: 'error', payload: DESERIALIZE_ERROR });
      return reply({ type: 'info', payload: { type: String((request.payload as { type?: unknown }).type), data: answer } });
    }
    const slow = this.takeSlow();
    if (slow > 0) {
      setTimeout(() => this.onPost(client, msg), slow);
      return;
    }
    this.options.observeAction?.(request.payload);
    const answer = this.exchange.handle(request.payload);
    if (this.faults.lostAnswersRemaining > 0) {
      this.faults.lostAnswersRemaining--;
      return;
    }
    const delay = this.takeDelay();
    const send = (): void => (typeof answer.body === 'string' ? reply({ type: 'error', payload: answer.body }) : reply({ type: 'action', payload: answer.body }));
    if (delay > 0) setTimeout(send, delay);
    else send();
  }

  private takeSlow(): number {
    const s = this.faults.slowRequests;
    if (s.remaining <= 0) return 0;
    s.remaining--;
    return s.ms;
  }

  private takeDelay(): number {
    const d = this.faults.delayedAnswers;
    if (d.remaining <= 0) return 0;
    d.remaining--;
    return d.ms;
  }

  /** The venue echoes subscriptions with defaults filled in and unknown fields dropped. */
  private normaliseSubscription(sub: Record<string, unknown>): Record<string, unknown> | null {
    const coinOk = typeof sub.coin === 'string' && this.options.market.coin(sub.coin) !== undefined;
    switch (sub.type) {
      case 'l2Book': {
        // nSigFigs 2–5 or none; a mantissa (1, 2 or 5) only with 5 significant figures.
        const n = sub.nSigFigs ?? null;
        const m = sub.mantissa ?? null;
        const aggOk = (n === null || n === 2 || n === 3 || n === 4 || n === 5) && (m === null || (n === 5 && (m === 1 || m === 2 || m === 5)));
        return coinOk && aggOk ? { type: 'l2Book', coin: sub.coin, nSigFigs: n, mantissa: m } : null;
      }
      case 'trades':
        return coinOk ? { type: 'trades', coin: sub.coin } : null;
      case 'allMids':
        return { type: 'allMids' };
      case 'clearinghouseState':
        return typeof sub.user === 'string' && /^0x[0-9a-fA-F]{40}$/.test(sub.user) ? { type: 'clearinghouseState', user: sub.user.toLowerCase(), dex: sub.dex ?? '' } : null;
      // The account's own streams: a user's fills, order changes and events.
      case 'userFills':
        return isAddress(sub.user) ? { type: 'userFills', user: sub.user.toLowerCase(), aggregateByTime: sub.aggregateByTime ?? false } : null;
      case 'orderUpdates':
      case 'userEvents':
        return isAddress(sub.user) ? { type: sub.type, user: sub.user.toLowerCase() } : null;
      default:
        return null;
    }
  }

  private sendInitial(client: Client, sub: Record<string, unknown>): void {
    const market = this.options.market;
    if (sub.type === 'l2Book') {
      const coin = market.coin(String(sub.coin))!;
      this.send(client, { channel: 'l2Book', data: l2BookFor(coin, this.now(), aggregationOf(sub)) });
    } else if (sub.type === 'allMids') {
      this.send(client, { channel: 'allMids', data: { mids: wire.allMids(market) } });
    } else if (sub.type === 'clearinghouseState') {
      this.send(client, this.accountFrame(String(sub.user)));
    } else if (sub.type === 'userFills') {
      this.send(client, { channel: 'userFills', data: { isSnapshot: true, user: sub.user, fills: this.matching.userFills(String(sub.user)) } });
    }
  }

  /** A fill or an order change of one user, to the sockets subscribed to that user's streams. */
  private pushUserEvent(user: string, kind: 'fill' | 'order' | 'funding', payload: unknown): void {
    const times = this.faults.duplicateEventsRemaining > 0 && kind !== 'funding' ? 2 : 1;
    if (times === 2) this.faults.duplicateEventsRemaining--;
    for (let i = 0; i < times; i++) this.pushUserEventOnce(user, kind, payload);
  }

  private pushUserEventOnce(user: string, kind: 'fill' | 'order' | 'funding', payload: unknown): void {
    for (const c of this.clients) {
      for (const sub of c.subs.values()) {
        if (sub.user !== user) continue;
        if (kind === 'fill' && sub.type === 'userFills') this.send(c, { channel: 'userFills', data: { user, fills: [payload] } });
        else if (kind === 'fill' && sub.type === 'userEvents') this.send(c, { channel: 'user', data: { fills: [payload] } });
        else if (kind === 'order' && sub.type === 'orderUpdates') this.send(c, { channel: 'orderUpdates', data: [payload] });
        else if (kind === 'funding' && sub.type === 'userEvents') this.send(c, { channel: 'user', data: { funding: payload } });
      }
    }
  }

  /** The venue answers an unknown address with an empty account; only the paper address holds positions. */
  private clearinghouseState(user: string): Record<string, unknown> {
    const account = this.accounts.get(user.toLowerCase());
    return account ? account.state(this.now()) : emptyClearinghouseState(this.now());
  }

  /** Every user that trades gets an account (the paper account is one); unknown users have none yet. */
  private accountFor(user: string): PaperPerpAccount {
    const key = user.toLowerCase();
    let account = this.accounts.get(key);
    if (!account) {
      account = new PaperPerpAccount(this.options.market, this.now(), { seeded: false, cash: 0, address: key });
      this.accounts.set(key, account);
    }
    return account;
  }

  /** At each top of the hour every position pays or receives funding at the neutral rate (H5.1). */
  private payFunding(): void {
    const at = this.now();
    for (const account of this.accounts.values()) {
      for (const f of account.applyFunding(at, NEUTRAL_HOURLY_FUNDING)) {
        this.pushUserEvent(account.address, 'funding', { time: at, coin: f.coin, usdc: wireSize(f.usdc, 6), szi: wireSize(f.szi, 5), fundingRate: String(NEUTRAL_HOURLY_FUNDING), nSamples: null });
      }
    }
  }

  private accountFrame(user: string): Record<string, unknown> {
    return { channel: 'clearinghouseState', data: { dex: '', user, clearinghouseState: this.clearinghouseState(user) } };
  }

  private pushAccounts(): void {
    if (this.stalled()) return;
    for (const c of this.clients) {
      for (const sub of c.subs.values()) if (sub.type === 'clearinghouseState') this.send(c, this.accountFrame(String(sub.user)));
    }
  }

  private step(): void {
    const trades = this.options.market.advanceTo(this.now());
    this.matching.onMarketStep();
    this.exchange.fireScheduledCancels();
    this.payFunding();
    if (trades.length === 0 || this.stalled()) return;
    const byCoin = new Map<string, Record<string, unknown>[]>();
    for (const t of trades) {
      const list = byCoin.get(t.coin) ?? [];
      list.push(wire.wireTrade(this.options.market, t));
      byCoin.set(t.coin, list);
    }
    for (const [coin, list] of byCoin) this.broadcast({ type: 'trades', coin }, { channel: 'trades', data: list });
  }

  private pushBooks(): void {
    if (this.stalled()) return;
    for (const coin of this.options.market.coins.values()) {
      const name = coin.config.coin;
      let frame = JSON.stringify({ channel: 'l2Book', data: wire.l2Book(coin, this.now()) });
      const recent = this.recentBooks.get(name) ?? [];
      if (this.faults.outOfOrderRemaining > 0 && recent.length >= 2) {
        this.faults.outOfOrderRemaining--;
        frame = recent[0]!;
      } else {
        recent.push(frame);
        if (recent.length > 3) recent.shift();
        this.recentBooks.set(name, recent);
      }
      this.broadcastRaw({ type: 'l2Book', coin: name, nSigFigs: null, mantissa: null }, frame);
    }
    this.pushAggregatedBooks();
  }

  /** Each aggregation some socket asked for, built once per push and sent to those sockets only. */
  private pushAggregatedBooks(): void {
    const wanted = new Map<string, { coin: string; agg: BookAggregation; sub: Record<string, unknown> }>();
    for (const c of this.clients) {
      for (const sub of c.subs.values()) {
        const agg = sub.type === 'l2Book' ? aggregationOf(sub) : null;
        if (agg) wanted.set(JSON.stringify([sub.coin, sub.nSigFigs, sub.mantissa]), { coin: String(sub.coin), agg, sub });
      }
    }
    for (const { coin: name, agg, sub } of wanted.values()) {
      const coin = this.options.market.coin(name);
      if (!coin) continue;
      const frame = JSON.stringify({ channel: 'l2Book', data: l2BookFor(coin, this.now(), agg) });
      this.broadcastRaw({ type: 'l2Book', coin: name, nSigFigs: sub.nSigFigs, mantissa: sub.mantissa }, frame);
    }
  }

  private pushMids(): void {
    if (this.stalled()) return;
    this.broadcast({ type: 'allMids' }, { channel: 'allMids', data: { mids: wire.allMids(this.options.market) } });
  }

  private closeIdle(): void {
    const limit = this.options.idleCloseMs ?? 60_000;
    for (const c of this.clients) if (this.now() - c.lastSentAt > limit) c.socket.close(1000, 'idle');
  }

  private broadcast(match: Record<string, unknown>, payload: unknown): void {
    this.broadcastRaw(match, JSON.stringify(payload));
  }

  private broadcastRaw(match: Record<string, unknown>, frame: string): void {
    for (const c of this.clients) {
      for (const sub of c.subs.values()) {
        // An l2Book frame goes to the subscriptions of its own aggregation only.
        const sameBook = match.nSigFigs === undefined || (sub.nSigFigs === match.nSigFigs && (sub.mantissa ?? null) === (match.mantissa ?? null));
        if (sub.type === match.type && (match.coin === undefined || sub.coin === match.coin) && sameBook) {
          this.sendRaw(c, frame, typeof match.coin === 'string' ? match.coin : 'BTC');
          break;
        }
      }
    }
  }

  private send(client: Client, payload: unknown): void {
    this.sendRaw(client, JSON.stringify(payload));
  }

  private sendRaw(client: Client, frame: string, coinForFaults = 'BTC'): void {
    if (this.stalled() || client.socket.readyState !== client.socket.OPEN) return;
    if (this.faults.malformedRemaining > 0 && frame.startsWith('{"channel":"l2Book"')) {
      this.faults.malformedRemaining--;
      frame = malformedFrame(this.malformedSent++, coinForFaults);
    }
    client.lastSentAt = this.now();
    client.socket.send(frame);
  }
}
