import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { rawText } from '../../venues/common/ws-text.ts';
import { clientSignatureString, hmacSha256Hex } from '../../venues/deribit/auth-signature.ts';
import { answerControl, json, MAX_BODY, readBody, text } from '../http-util.ts';
import { httpCaller, readHttpRequest, WS_ONLY } from './http-transport.ts';
import type { SimOptionMarket } from '../options/option-market.ts';
import { emptyDeribitFaults, malformedNotification, parseDeribitFault, type DeribitFaultCommand, type DeribitFaultState } from './faults.ts';
import * as wire from './payloads.ts';
import { DERIBIT_ERRORS, DeribitError, DeribitPaperTrading, type TradingEvent } from './trading.ts';

export interface DeribitSimOptions {
  options: SimOptionMarket;
  now?: () => number;
  host?: string;
  port?: number;
  /** How often quotes are recomputed and pushed, ms (the channels are `.100ms`). */
  stepMs?: number;
  /** Smallest `set_heartbeat` interval accepted, s. The venue: 10; tests go lower. */
  minHeartbeatS?: number;
  /** Paper account credentials accepted by `public/auth`. */
  credentials?: { clientId: string; clientSecret: string };
  /** When set, POST /_sim/control accepts fault commands carrying this token in `x-sim-control`. */
  controlToken?: string;
  /** Called before each step; the Hyperliquid server usually advances the shared market instead. */
  beforeStep?: (now: number) => void;
  /** Benches: told of every WebSocket request as it arrives (method, label if any). */
  observe?: (method: string, params: Record<string, unknown>) => void;
}

interface Session {
  /** Null for an HTTP request: a one-off caller, with no channels, heartbeat or cancel-on-disconnect. */
  socket: WebSocket | null;
  channels: Set<string>;
  authed: boolean;
  /** What the session's token may do with orders: `read` sessions can look, not trade (scope `trade:read`). */
  trade: 'read' | 'read_write';
  /** Cancel-on-disconnect for this connection (private/enable_cancel_on_disconnect). */
  cancelOnDisconnect: boolean;
  /** Orders created on this connection: the ones cancel-on-disconnect cancels. */
  orderIds: Set<string>;
  credits: number;
  creditsAt: number;
  heartbeatMs: number;
  heartbeatTimer: ReturnType<typeof setInterval> | null;
  /** A test_request is outstanding since this time (null: answered). */
  testRequestAt: number | null;
}

export const PAPER_CREDENTIALS = { clientId: 'paper', clientSecret: 'paper-account' };

const ERR = {
  tooMany: { code: 10028, message: 'too_many_requests' },
  badRequest: { code: 11050, message: 'bad_request' },
  invalidArgs: { code: 11029, message: 'invalid_arguments' },
  notFound: { code: 13020, message: 'not_found' },
  unauthorized: { code: 13009, message: 'unauthorized' },
  forbidden: { code: 13021, message: 'forbidden' },
  raw: { code: 13778, message: 'raw_subscriptions_not_available_for_unauthorized' },
  method: { code: -32601, message: 'Method not found' },
  params: { code: -32602, message: 'Invalid params' },
};

/**
 * Whether a user channel's scope covers an instrument: the instrument itself, or `{kind}.{currency}`
 * with kind any | option | future (perpetuals are futures) and currency any | BTC | ETH.
 */
function covers(scope: string, instrument: string, coin: string): boolean {
  if (scope === instrument) return true;
  const m = /^(any|option|future)\.(any|BTC|ETH)$/.exec(scope);
  if (!m) return false;
  const kind = /-[CP]$/.test(instrument) ? 'option' : 'future';
  return (m[1] === 'any' || m[1] === kind) && (m[2] === 'any' || m[2] === coin);
}

class RpcFailure extends Error {
  readonly error: { code: number; message: string };
  constructor(error: { code: number; message: string }) {
    super(error.message);
    this.error = error;
  }
}

/**
 * A loopback server speaking Deribit's JSON-RPC over WebSocket for the simulated options market:
 * instruments, tickers, books with change ids, heartbeats with test_request, credit-based rate
 * limiting, client-credentials auth and a paper account. Paper mode runs the real Deribit adapter
 * against it; tests inject the faults in faults.ts.
 */
export class DeribitSimServer {
  readonly faults: DeribitFaultState = emptyDeribitFaults();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  private readonly now: () => number;
  private readonly timers: NodeJS.Timeout[] = [];
  private malformedSent = 0;
  private perpChangeId = 1;
  /** Refresh tokens issued, with the scope their login asked for. */
  private readonly refreshTokens = new Map<string, string>();
  /** Access tokens issued, with their trade scope (HTTP `Authorization: Bearer`). */
  private readonly accessTokens = new Map<string, string>();
  private readonly o: DeribitSimOptions;
  /** Order entry for the paper account: matching, orders, trades, balance. */
  readonly trading: DeribitPaperTrading;

  constructor(options: DeribitSimOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
    this.trading = new DeribitPaperTrading(options.options, this.now, (e) => this.pushPrivate(e));
    this.http = createServer((req, res) => void this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY * 4 });
    this.http.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws/api/v2') {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      // The venue allows 32 connections per IP; the 33rd is refused.
      if (this.sessions.size >= 32) {
        socket.end('HTTP/1.1 429 Too Many Requests\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
  }

  get market(): SimOptionMarket {
    return this.o.options;
  }

  async listen(): Promise<{ wsUrl: string; httpUrl: string; controlUrl: string }> {
    const host = this.o.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.o.port ?? 0, host, () => resolve());
    });
    const { port } = this.http.address() as AddressInfo;
    this.timers.push(setInterval(() => this.step(), this.o.stepMs ?? 100));
    return { wsUrl: `ws://${host}:${port}/ws/api/v2`, httpUrl: `http://${host}:${port}`, controlUrl: `http://${host}:${port}/_sim/control` };
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const s of this.sessions) this.endSession(s);
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  apply(cmd: DeribitFaultCommand): void {
    switch (cmd.fault) {
      case 'drop':
        for (const s of this.sessions) s.socket?.terminate();
        break;
      case 'clear':
        Object.assign(this.faults, emptyDeribitFaults());
        for (const o of this.market.options) o.misquoteVolPts = 0;
        break;
      case 'stall':
        this.faults.stallUntil = this.now() + cmd.ms;
        break;
      case 'gap':
        this.faults.gapRemaining += cmd.count;
        break;
      case 'tooManyRequests':
        this.faults.tooManyRequestsRemaining += cmd.count;
        break;
      case 'malformed':
        this.faults.malformedRemaining += cmd.count;
        break;
      case 'reject':
        this.faults.rejectRemaining += cmd.count;
        break;
      case 'misquote': {
        const o = this.market.byName.get(cmd.instrument);
        if (!o) throw new Error(`no option ${cmd.instrument}`);
        o.misquoteVolPts = cmd.volPoints;
        break;
      }
    }
  }

  private stalled(): boolean {
    return this.now() < this.faults.stallUntil;
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const api = path.startsWith('/api/v2/');
    if (!api && (req.method !== 'POST' || path !== '/_sim/control')) return void text(res, 404, 'Not Found');
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return void text(res, 413, 'Payload Too Large');
    }
    if (api) return this.onApiHttp(req, res, body);
    await answerControl(req, res, body, this.o.controlToken, parseDeribitFault, (cmd) => this.apply(cmd));
  }

  /** One JSON-RPC call over Deribit's HTTP transport (http-transport.ts). */
  private onApiHttp(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (this.stalled()) return void setTimeout(() => this.onApiHttp(req, res, body), this.faults.stallUntil - this.now());
    const usIn = this.now() * 1000;
    const answer = (status: number, id: unknown, payload: { result: unknown } | { error: { code: number; message: string } }): void => {
      const usOut = this.now() * 1000;
      json(res, status, { jsonrpc: '2.0', id, ...payload, usIn, usOut, usDiff: usOut - usIn, testnet: true });
    };
    const r = readHttpRequest(req, body);
    if (!r.ok) return answer(r.status, null, { error: r.error });
    if (WS_ONLY.has(r.method)) return answer(400, r.id, { error: ERR.badRequest });
    const caller = httpCaller(req, body, this.o.credentials ?? PAPER_CREDENTIALS, (t) => this.accessTokens.get(t), () => Date.now());
    if ('error' in caller) return answer(401, r.id, { error: caller.error });
    const s: Session = { socket: null, channels: new Set(), authed: caller.authed, trade: caller.trade, cancelOnDisconnect: false, orderIds: new Set(), credits: 50_000, creditsAt: this.now(), heartbeatMs: 0, heartbeatTimer: null, testRequestAt: null };
    try {
      answer(200, r.id, { result: this.call(s, r.method, r.params) });
    } catch (err) {
      answer(400, r.id, { error: err instanceof RpcFailure ? err.error : ERR.badRequest });
    }
  }

  private onConnection(socket: WebSocket): void {
    const s: Session = { socket, channels: new Set(), authed: false, trade: 'read_write', cancelOnDisconnect: false, orderIds: new Set(), credits: 50_000, creditsAt: this.now(), heartbeatMs: 0, heartbeatTimer: null, testRequestAt: null };
    this.sessions.add(s);
    socket.on('close', () => this.endSession(s));
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      if (this.stalled()) return;
      if (isBinary) return this.reply(s, null, undefined, ERR.badRequest);
      this.onRequest(s, rawText(data));
    });
  }

  private endSession(s: Session): void {
    if (!this.sessions.has(s)) return;
    // Cancel-on-disconnect: only the orders this connection created, as the venue does.
    if (s.cancelOnDisconnect) this.trading.cancelAll((o) => s.orderIds.has(o.order_id), 'cancel_on_disconnect');
    if (s.heartbeatTimer) clearInterval(s.heartbeatTimer);
    s.heartbeatTimer = null;
    this.sessions.delete(s);
    if (s.socket && s.socket.readyState === s.socket.OPEN) s.socket.terminate();
  }

  private onRequest(s: Session, raw: string): void {
    const usIn = this.now() * 1000;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return this.reply(s, null, undefined, ERR.badRequest, usIn);
    }
    const id = typeof msg.id === 'number' ? msg.id : null;
    if (id === null || typeof msg.method !== 'string') return this.reply(s, id, undefined, ERR.badRequest, usIn);
    if (msg.method === 'public/test') s.testRequestAt = null;
    // Credits: 500 a request, 50 000 pool, 10 000/s refill; running dry ends the session.
    const t = this.now();
    s.credits = Math.min(50_000, s.credits + (t - s.creditsAt) * 10);
    s.creditsAt = t;
    s.credits -= 500;
    if (s.credits < 0 || this.faults.tooManyRequestsRemaining > 0) {
      if (this.faults.tooManyRequestsRemaining > 0) this.faults.tooManyRequestsRemaining--;
      this.reply(s, id, undefined, ERR.tooMany, usIn);
      setTimeout(() => this.endSession(s), 20);
      return;
    }
    const params = (typeof msg.params === 'object' && msg.params !== null ? msg.params : {}) as Record<string, unknown>;
    this.o.observe?.(msg.method, params);
    try {
      this.reply(s, id, this.call(s, msg.method, params), undefined, usIn);
    } catch (err) {
      this.reply(s, id, undefined, err instanceof RpcFailure ? err.error : ERR.badRequest, usIn);
    }
  }

  private call(s: Session, method: string, p: Record<string, unknown>): unknown {
    const m = this.market;
    const now = this.now();
    const currency = (): string => {
      if (p.currency !== 'BTC' && p.currency !== 'ETH' && p.currency !== 'any') throw new RpcFailure(ERR.invalidArgs);
      return p.currency;
    };
    const option = (): ReturnType<typeof m.byName.get> & object => {
      const o = typeof p.instrument_name === 'string' ? m.byName.get(p.instrument_name) : undefined;
      if (!o) throw new RpcFailure(ERR.notFound);
      return o;
    };
    switch (method) {
      case 'public/test':
        return { version: '1.2.26' };
      case 'public/hello':
        return { version: '1.2.26' };
      case 'public/set_heartbeat':
        return this.setHeartbeat(s, p.interval);
      case 'public/disable_heartbeat':
        if (s.heartbeatTimer) clearInterval(s.heartbeatTimer);
        s.heartbeatTimer = null;
        return 'ok';
      case 'public/auth':
        return this.auth(s, p);
      case 'public/get_instruments': {
        // Without a currency, everything (ccxt asks so).
        const c = p.currency === undefined ? 'any' : currency();
        const coins = c === 'any' ? ['BTC', 'ETH'] : [c];
        const out: Record<string, unknown>[] = [];
        for (const coin of coins) {
          if (p.kind === undefined || p.kind === 'option') out.push(...m.options.filter((o) => o.spec.coin === coin).map((o) => wire.optionInstrument(o, now)));
          if (p.kind === undefined || p.kind === 'future') out.push(...wire.futureInstruments(m, coin, now));
        }
        return out;
      }
      case 'public/get_book_summary_by_currency': {
        const c = currency();
        return c === 'any' ? [] : wire.bookSummary(m, c, now);
      }
      case 'public/ticker':
        return wire.optionTicker(m, option(), now);
      case 'public/get_order_book':
        return wire.orderBook(m, option(), now, typeof p.depth === 'number' ? p.depth : 5);
      case 'public/get_index_price': {
        const coin = p.index_name === 'btc_usd' ? 'BTC' : p.index_name === 'eth_usd' ? 'ETH' : null;
        if (!coin) throw new RpcFailure(ERR.invalidArgs);
        const px = Math.round(m.spot(coin) * 100) / 100;
        return { index_price: px, estimated_delivery_price: px };
      }
      case 'public/subscribe':
      case 'private/subscribe':
        return this.subscribe(s, p.channels);
      case 'public/unsubscribe':
      case 'private/unsubscribe': {
        if (!Array.isArray(p.channels)) throw new RpcFailure(ERR.params);
        return p.channels.filter((c): c is string => typeof c === 'string' && s.channels.delete(c));
      }
      case 'public/unsubscribe_all':
        s.channels.clear();
        return 'ok';
      case 'private/get_positions':
        if (!s.authed) throw new RpcFailure(ERR.unauthorized);
        // Without a currency, every currency's positions (ccxt's fetchPositions asks so).
        if (p.currency === undefined || p.currency === 'any') return ['BTC', 'ETH'].flatMap((c) => wire.positions(m, c, this.trading));
        return wire.positions(m, currency(), this.trading);
      case 'private/get_account_summary':
        if (!s.authed) throw new RpcFailure(ERR.unauthorized);
        return wire.accountSummary(m, currency(), this.trading.balance.get(p.currency as string), this.trading);
      case 'public/get_currencies':
        return wire.currencies();
      case 'private/get_account_summaries':
        if (!s.authed) throw new RpcFailure(ERR.unauthorized);
        return { id: 1, username: 'paper', system_name: 'paper', type: 'main', summaries: ['BTC', 'ETH'].map((c) => wire.accountSummary(m, c, this.trading.balance.get(c), this.trading)) };
      case 'private/enable_cancel_on_disconnect':
      case 'private/disable_cancel_on_disconnect':
        if (!s.authed) throw new RpcFailure(ERR.unauthorized);
        s.cancelOnDisconnect = method === 'private/enable_cancel_on_disconnect';
        return 'ok';
      case 'private/get_cancel_on_disconnect':
        if (!s.authed) throw new RpcFailure(ERR.unauthorized);
        return { scope: 'connection', enabled: s.cancelOnDisconnect };
      case 'private/buy':
      case 'private/sell':
      case 'private/edit':
      case 'private/cancel':
      case 'private/cancel_all':
      case 'private/cancel_all_by_currency':
      case 'private/cancel_by_label':
      case 'private/close_position':
        if (!s.authed) throw new RpcFailure(ERR.unauthorized);
        if (s.trade !== 'read_write') throw new RpcFailure(ERR.forbidden);
        return this.trade(s, method, p, currency);
      case 'private/get_open_orders_by_currency':
      case 'private/get_order_state':
      case 'private/get_order_state_by_label':
      case 'private/get_user_trades_by_currency':
      case 'private/get_user_trades_by_instrument':
        if (!s.authed) throw new RpcFailure(ERR.unauthorized);
        return this.trade(s, method, p, currency);
      default:
        throw new RpcFailure(ERR.method);
    }
  }

  /** The paper account's order entry; the venue's error codes come back as JSON-RPC errors. */
  private trade(s: Session, method: string, p: Record<string, unknown>, currency: () => string): unknown {
    const t = this.trading;
    const mine = (r: { order: { order_id: string } }): typeof r => {
      s.orderIds.add(r.order.order_id);
      return r;
    };
    try {
      switch (method) {
        case 'private/buy':
        case 'private/sell':
          if (this.faults.rejectRemaining > 0) {
            this.faults.rejectRemaining--;
            throw new DeribitError(...DERIBIT_ERRORS.notEnoughFunds);
          }
          return mine(t.place(method === 'private/buy' ? 'buy' : 'sell', p));
        case 'private/edit':
          return t.edit(p);
        case 'private/cancel':
          return t.cancel(p.order_id);
        case 'private/cancel_all':
          return t.cancelAll();
        case 'private/cancel_all_by_currency': {
          const c = currency();
          return t.cancelAll((o) => c === 'any' || o.instrument_name.startsWith(`${c}-`));
        }
        case 'private/cancel_by_label':
          return t.cancelByLabel(p.label, p.currency);
        case 'private/close_position':
          return mine(t.closePosition(p));
        case 'private/get_open_orders_by_currency':
          return t.openOrders(currency());
        case 'private/get_order_state':
          return t.orderState(p.order_id);
        case 'private/get_order_state_by_label':
          return t.ordersByLabel(currency(), p.label);
        default: {
          const count = typeof p.count === 'number' && p.count >= 1 ? Math.min(1000, Math.floor(p.count)) : 10;
          if (method === 'private/get_user_trades_by_instrument') {
            if (typeof p.instrument_name !== 'string' || !/^(BTC|ETH)-/.test(p.instrument_name)) throw new RpcFailure(ERR.invalidArgs);
            return t.userTrades(p.instrument_name.slice(0, 3), count, p.instrument_name);
          }
          return t.userTrades(currency(), count);
        }
      }
    } catch (err) {
      if (err instanceof DeribitError) throw new RpcFailure(err.error);
      throw err;
    }
  }

  /** An order or trades of the paper account, to every session subscribed to a channel that covers it. */
  private pushPrivate(e: TradingEvent): void {
    const instrument = e.kind === 'order' ? e.order.instrument_name : e.instrument;
    const what = e.kind === 'order' ? 'orders' : 'trades';
    let changes: unknown = null;
    for (const s of this.sessions) {
      if (!s.authed) continue;
      for (const c of s.channels) {
        const m = /^user\.(orders|trades|changes)\.(.+)\.(raw|100ms|agg2)$/.exec(c);
        if (!m || (m[1] !== what && m[1] !== 'changes') || !covers(m[2]!, instrument, e.coin)) continue;
        let data: unknown;
        if (m[1] === 'changes') {
          // One message per change of an instrument: its orders, trades and position as they are now.
          changes ??= { instrument_name: instrument, orders: e.kind === 'order' ? [e.order] : [], trades: e.kind === 'trades' ? e.trades : [], positions: wire.positions(this.market, e.coin, this.trading).filter((p) => (p as { instrument_name: string }).instrument_name === instrument) };
          data = changes;
        } else data = e.kind === 'order' ? (m[3] === 'raw' ? e.order : [e.order]) : e.trades; // raw orders: one object per message
        this.sendRaw(s, JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel: c, data } }), c);
      }
    }
  }

  private setHeartbeat(s: Session, interval: unknown): string {
    const min = this.o.minHeartbeatS ?? 10;
    if (typeof interval !== 'number' || !(interval >= min)) throw new RpcFailure(ERR.invalidArgs);
    if (s.heartbeatTimer) clearInterval(s.heartbeatTimer);
    s.heartbeatMs = interval * 1000;
    s.testRequestAt = null;
    s.heartbeatTimer = setInterval(() => {
      if (this.stalled()) return;
      // An unanswered test_request ends the session, as on the venue.
      if (s.testRequestAt !== null) {
        s.socket?.close(1000, 'heartbeat test_request not answered');
        return this.endSession(s);
      }
      s.testRequestAt = this.now();
      this.sendRaw(s, JSON.stringify({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } }));
    }, s.heartbeatMs);
    return 'ok';
  }

  private auth(s: Session, p: Record<string, unknown>): unknown {
    const creds = this.o.credentials ?? PAPER_CREDENTIALS;
    const refreshed = p.grant_type === 'refresh_token' && typeof p.refresh_token === 'string' ? this.refreshTokens.get(p.refresh_token) : undefined;
    const ok =
      (p.grant_type === 'client_credentials' && p.client_id === creds.clientId && p.client_secret === creds.clientSecret) ||
      (p.grant_type === 'client_signature' && p.client_id === creds.clientId && this.signatureValid(p, creds.clientSecret)) ||
      refreshed !== undefined;
    if (!ok) throw new RpcFailure(p.grant_type === 'client_signature' ? ERR.unauthorized : { code: 13004, message: 'invalid_credentials' });
    // Scopes narrow, never widen: `trade:read` gives a session that can look at orders but not send them.
    const asked = refreshed ?? (typeof p.scope === 'string' ? p.scope : '');
    s.authed = true;
    s.trade = /(^|\s)trade:read(\s|$)/.test(asked) ? 'read' : 'read_write';
    const n = Math.floor(Math.random() * 1e9).toString(36);
    this.refreshTokens.set(`sim-refresh-${n}`, asked);
    this.accessTokens.set(`sim-access-${n}`, s.trade === 'read' ? 'trade:read' : 'trade:read_write');
    const scope = `connection ${s.trade === 'read' ? 'trade:read' : 'trade:read_write'} account:read_write`;
    return { access_token: `sim-access-${n}`, expires_in: 900, refresh_token: `sim-refresh-${n}`, scope, token_type: 'bearer' };
  }

  /** client_signature: HMAC over timestamp, nonce and data, with the timestamp within 60 s of now. */
  private signatureValid(p: Record<string, unknown>, secret: string): boolean {
    if (typeof p.timestamp !== 'number' || typeof p.signature !== 'string') return false;
    if (Math.abs(p.timestamp - Date.now()) > 60_000) return false;
    const nonce = typeof p.nonce === 'string' ? p.nonce : '';
    const data = typeof p.data === 'string' ? p.data : '';
    return hmacSha256Hex(secret, clientSignatureString(p.timestamp, nonce, data)) === p.signature;
  }

  private subscribe(s: Session, channels: unknown): string[] {
    if (!Array.isArray(channels)) throw new RpcFailure(ERR.params);
    if (!s.authed && channels.some((c) => typeof c === 'string' && c.endsWith('.raw'))) throw new RpcFailure(ERR.raw);
    const accepted: string[] = [];
    for (const c of channels) {
      if (typeof c !== 'string') continue;
      const first = this.initial(c);
      if (first === null) continue; // unknown channels are left out silently, as on the venue
      s.channels.add(c);
      accepted.push(c);
      // After the answer, with the state as it is then: changes sent before it do not chain onto it.
      if (first) setImmediate(() => this.notify(s, c, first()));
    }
    return accepted;
  }

  /** Builds a channel's first message (book snapshot, ticker); `undefined`: known, none; null: unknown. */
  private initial(channel: string): (() => unknown) | null | undefined {
    const perp = /^book\.((BTC|ETH)-PERPETUAL)\.100ms$/.exec(channel);
    if (perp) return () => this.perpBook(perp[1]!);
    const m = /^(ticker|book)\.(.+)\.100ms$/.exec(channel);
    if (m) {
      const o = this.market.byName.get(m[2]!);
      if (!o) return null;
      return m[1] === 'book' ? () => wire.bookSnapshot(o, this.now()) : () => wire.optionTicker(this.market, o, this.now());
    }
    if (/^user\.(orders|trades|changes)\.(.+)\.(raw|100ms|agg2)$/.test(channel)) return undefined;
    return /^markprice\.options\.(btc|eth)_usd$/.test(channel) ? undefined : null;
  }

  private rollAt: number | undefined;

  /** Settles what expired at the index (open orders cancelled, positions paid out in coin), then lists the next expiries. */
  settleAndRoll(now: number): boolean {
    const expired = new Map(this.market.expiredBy(now).map((o) => [o.spec.name, { kind: o.spec.kind, strike: o.spec.strike, coin: o.spec.coin }]));
    this.trading.settleExpired(expired, (coin) => this.market.spot(coin));
    return this.market.roll(now);
  }

  private step(): void {
    const now = this.now();
    this.o.beforeStep?.(now);
    // An expiry came: it leaves the listing and the calendar's next one joins (the venue at 08:00 UTC).
    if (now >= (this.rollAt ??= this.market.nextExpiry)) {
      this.settleAndRoll(now);
      this.rollAt = this.market.nextExpiry;
    }
    const updates = this.market.step(now);
    this.trading.onMarketStep();
    if (this.stalled() || this.sessions.size === 0) return;
    for (const u of updates) {
      const name = u.option.spec.name;
      this.broadcast(`ticker.${name}.100ms`, () => wire.optionTicker(this.market, u.option, now));
      if (u.bidChanges.length === 0 && u.askChanges.length === 0) continue;
      if (this.faults.gapRemaining > 0) {
        this.faults.gapRemaining--;
        continue; // this change is "lost": the next one will not chain onto what clients hold
      }
      this.broadcast(`book.${name}.100ms`, () => wire.bookChange(u, now));
    }
    for (const coin of ['btc', 'eth']) this.broadcast(`markprice.options.${coin}_usd`, () => wire.markPrices(this.market, coin.toUpperCase(), now));
    for (const name of ['BTC-PERPETUAL', 'ETH-PERPETUAL']) this.broadcast(`book.${name}.100ms`, () => this.perpBook(name));
  }

  /** A perpetual's book as it stands (the shared simulated book), with the next change id. */
  private perpBook(name: string): unknown {
    return wire.perpBookSnapshot(this.market.underlying(name.slice(0, 3))!, name, ++this.perpChangeId, this.now());
  }

  private broadcast(channel: string, data: () => unknown): void {
    let frame: string | null = null;
    for (const s of this.sessions) {
      if (!s.channels.has(channel)) continue;
      frame ??= JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data: data() } });
      this.sendRaw(s, frame, channel);
    }
  }

  private notify(s: Session, channel: string, data: unknown): void {
    if (s.channels.has(channel)) this.sendRaw(s, JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } }), channel);
  }

  private reply(s: Session, id: number | null, result: unknown, error?: { code: number; message: string }, usIn = this.now() * 1000): void {
    const usOut = this.now() * 1000;
    const body = error ? { jsonrpc: '2.0', id, error, usIn, usOut, usDiff: usOut - usIn, testnet: true } : { jsonrpc: '2.0', id, result, usIn, usOut, usDiff: usOut - usIn, testnet: true };
    this.sendRaw(s, JSON.stringify(body));
  }

  private sendRaw(s: Session, frame: string, channel?: string): void {
    if (this.stalled() || !s.socket || s.socket.readyState !== s.socket.OPEN) return;
    if (channel && this.faults.malformedRemaining > 0) {
      this.faults.malformedRemaining--;
      frame = malformedNotification(this.malformedSent++, channel.split('.')[1] ?? 'BTC');
    }
    s.socket.send(frame);
  }
}
