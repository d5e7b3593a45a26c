import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { rawText } from '../../venues/common/ws-text.ts';
import { expiryDay } from '../../venues/derive/instrument-name.ts';
import { acceptWebSocketsOn, answerControl, json, MAX_BODY, readBody, text } from '../http-util.ts';
import { DERIVE_SIM_FEES, type DeriveOptionMarket, type DeriveSimOption } from './derive-options.ts';
import { emptyDeriveFaults, malformedNotification, parseDeriveFault, type DeriveFaultCommand, type DeriveFaultState } from './faults.ts';
import { DERIVE_ERR, DeriveError, DerivePaperTrading } from './trading.ts';

/*
 * A loopback server speaking Derive's v3 wire (venues.md §3.1–3.9): JSON-RPC over WebSocket at
 * /ws and `POST /<method>` over HTTP, `public/login` and header auth (EIP-191 over the ms
 * timestamp), paginated instruments, slim tickers, full-snapshot order books with publish ids,
 * session keys, verified order actions and `private/order_debug`, token-bucket rate limits with
 * the venue's reply, and the faults in faults.ts. Paper mode runs the real Derive adapter
 * against it; a third-party client works unchanged but for the URL.
 */

export interface DeriveSimOptions {
  market: DeriveOptionMarket;
  /** The chain whose Matching domain actions are signed for (paper: Sepolia, as the v3 testnet). */
  chainId?: number;
  now?: () => number;
  host?: string;
  port?: number;
  stepMs?: number;
  controlToken?: string;
}

interface Session {
  socket: WebSocket | null;
  channels: Set<string>;
  wallet: string | null;
  /** Token buckets: matching (orders, cancels) 1 per s with a burst of 5; the rest 5 per s, burst 25. */
  matching: { tokens: number; at: number };
  other: { tokens: number; at: number };
}

const MATCHING = new Set(['private/order', 'private/cancel', 'private/cancel_all', 'private/cancel_by_label', 'private/replace']);
const PAGE_SIZE_MAX = 1000;

/** A wire decimal as the venue writes it: fixed point, trailing zeros trimmed, never exponent notation (1e-7). */
const decimal = (x: number, dp = 6): string => (Number.isFinite(x) ? x.toFixed(dp).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : '0').replace(/^-0$/, '0');

export class DeriveSimServer {
  readonly faults: DeriveFaultState = emptyDeriveFaults();
  readonly trading: DerivePaperTrading;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private malformedSent = 0;
  private readonly slowAt = new Map<string, number>();
  private readonly o: DeriveSimOptions;

  constructor(options: DeriveSimOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
    this.trading = new DerivePaperTrading(options.market, options.chainId ?? 11155111, this.now, (channel, data) => this.publish(channel, data));
    this.http = createServer((req, res) => void this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
    acceptWebSocketsOn(this.http, this.wss, '/ws', (ws) => this.onSocket(ws));
  }

  get market(): DeriveOptionMarket {
    return this.o.market;
  }

  get chainId(): number {
    return this.trading.chainId;
  }

  async listen(): Promise<{ wsUrl: string; httpUrl: string; controlUrl: string }> {
    await new Promise<void>((resolve) => this.http.listen(this.o.port ?? 0, this.o.host ?? '127.0.0.1', resolve));
    const { port } = this.http.address() as AddressInfo;
    const step = this.o.stepMs ?? 100;
    this.timer = setInterval(() => this.step(), step);
    const base = `http://127.0.0.1:${port}`;
    return { wsUrl: `ws://127.0.0.1:${port}/ws`, httpUrl: base, controlUrl: `${base}/_sim/control` };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.sessions) s.socket?.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  apply(cmd: DeriveFaultCommand): void {
    const now = this.now();
    switch (cmd.fault) {
      case 'drop':
        for (const s of this.sessions) s.socket?.terminate();
        return;
      case 'clear':
        Object.assign(this.faults, emptyDeriveFaults());
        for (const o of this.o.market.options) o.misquoteVolPts = 0;
        return;
      case 'stall':
        this.faults.stallUntil = now + cmd.ms;
        return;
      case 'staleBook':
        this.faults.staleBookUntil = now + cmd.ms;
        return;
      case 'rateLimit':
        this.faults.rateLimitRemaining = cmd.count;
        return;
      case 'malformed':
        this.faults.malformedRemaining = cmd.count;
        return;
      case 'reject':
        this.faults.rejectRemaining = cmd.count;
        return;
      case 'misquote': {
        const o = this.o.market.byName.get(cmd.instrument);
        if (!o) throw new Error(`no such instrument: ${cmd.instrument}`);
        o.misquoteVolPts = cmd.volPoints;
        return;
      }
    }
  }

  private step(): void {
    const now = this.now();
    const changed = this.o.market.step(now);
    this.trading.step();
    if (now < this.faults.stallUntil) return;
    const books = now >= this.faults.staleBookUntil;
    for (const o of changed) {
      if (books) for (const depth of [1, 10, 20, 100]) for (const group of [1, 10, 100]) this.publish(`orderbook.${o.name}.${group}.${depth}`, () => this.bookPayload(o, group, depth));
      const slim = { instrument_ticker: this.slimTicker(o), timestamp: now };
      this.publish(`ticker_slim.${o.name}.100`, slim);
      // The 1 s stream: at most one message a second per option.
      if (now - (this.slowAt.get(o.name) ?? 0) >= 1000) {
        this.slowAt.set(o.name, now);
        this.publish(`ticker_slim.${o.name}.1000`, slim);
      }
    }
  }

  /** Sends to every socket subscribed to `channel`; `data` may be a thunk, built only when someone listens. */
  private publish(channel: string, data: unknown): void {
    let payload: string | null = null;
    for (const s of this.sessions) {
      if (!s.socket || !s.channels.has(channel)) continue;
      if (this.faults.malformedRemaining > 0) {
        this.faults.malformedRemaining--;
        s.socket.send(malformedNotification(this.malformedSent++, channel.split('.')[1] ?? 'X'));
        continue;
      }
      payload ??= JSON.stringify({ method: 'subscription', params: { channel, data: typeof data === 'function' ? (data as () => unknown)() : data } });
      s.socket.send(payload);
    }
  }

  private onSocket(ws: WebSocket): void {
    const s = this.newSession(ws);
    this.sessions.add(s);
    ws.on('message', (raw) => {
      if (this.now() < this.faults.stallUntil) return;
      let msg: { id?: unknown; method?: unknown; params?: unknown };
      try {
        msg = JSON.parse(rawText(raw)) as typeof msg;
      } catch {
        ws.send(JSON.stringify({ id: null, error: { code: -32700, message: 'Parse error' } }));
        return;
      }
      const id = typeof msg.id === 'number' || typeof msg.id === 'string' ? msg.id : null;
      void Promise.resolve()
        .then(() => this.call(s, String(msg.method), (msg.params ?? {}) as Record<string, unknown>))
        .then(
        (result) => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ id, result })),
        (err: unknown) => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ id, error: errorBody(err) })),
      );
    });
    ws.on('close', () => this.sessions.delete(s));
    ws.on('error', () => this.sessions.delete(s));
  }

  private newSession(socket: WebSocket | null): Session {
    const at = this.now();
    return { socket, channels: new Set(), wallet: null, matching: { tokens: 5, at }, other: { tokens: 25, at } };
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'POST') return void text(res, 405, 'POST only');
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return void text(res, 413, 'Payload too large');
    }
    if (path === '/_sim/control') return answerControl(req, res, body, this.o.controlToken, parseDeriveFault, (c) => this.apply(c));
    if (this.now() < this.faults.stallUntil) return; // no answer: the caller's timeout fires
    const method = path.replace(/^\/+/, '');
    let params: Record<string, unknown>;
    try {
      params = body.trim() ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return void json(res, 400, { id: null, error: { code: -32700, message: 'Parse error' } });
    }
    // HTTP private calls carry the login signature in headers instead of a session.
    const s = this.newSession(null);
    if (method.startsWith('private/')) {
      try {
        const wallet = String(req.headers['x-derivewallet'] ?? '');
        const ts = Number(req.headers['x-derivetimestamp']);
        s.wallet = this.trading.login(wallet, ts, String(req.headers['x-derivesignature'] ?? '')).wallet;
      } catch (err) {
        return void json(res, 401, { id: null, error: errorBody(err) });
      }
    }
    try {
      json(res, 200, { id: null, result: this.call(s, method, params) });
    } catch (err) {
      const status = err instanceof DeriveError && err.code === -32000 ? 429 : 200;
      json(res, status, { id: null, error: errorBody(err) });
    }
  }

  private limit(s: Session, method: string): void {
    if (this.faults.rateLimitRemaining > 0) {
      this.faults.rateLimitRemaining--;
      throw new DeriveError(-32000, 'Rate limit exceeded', 'Retry after 1000 ms'); // (venue)
    }
    const matching = MATCHING.has(method);
    const bucket = matching ? s.matching : s.other;
    const [rate, burst] = matching ? [1, 5] : [5, 25];
    const now = this.now();
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) throw new DeriveError(-32000, 'Rate limit exceeded', `Retry after ${Math.ceil(((1 - bucket.tokens) / rate) * 1000)} ms`);
    bucket.tokens -= 1;
  }

  private call(s: Session, method: string, p: Record<string, unknown>): unknown {
    this.limit(s, method);
    const m = this.o.market;
    switch (method) {
      case 'public/get_time':
        return this.now();
      case 'public/login': {
        const { wallet, ids } = this.trading.login(str(p.wallet), Number(p.timestamp), str(p.signature));
        s.wallet = wallet;
        return ids;
      }
      case 'public/get_all_instruments': {
        const type = p.instrument_type ?? 'option';
        const list = type === 'option' ? m.options.filter((o) => (p.currency === undefined || p.currency === o.coin) && (p.expired === true || o.expiry > this.now())) : [];
        const pageSize = Math.min(PAGE_SIZE_MAX, Math.max(1, Number(p.page_size ?? 100) || 100));
        const page = Math.max(1, Number(p.page ?? 1) || 1);
        return { instruments: list.slice((page - 1) * pageSize, page * pageSize).map((o) => this.instrument(o)), pagination: { count: list.length, num_pages: Math.ceil(list.length / pageSize) } };
      }
      case 'public/get_instrument':
        return this.instrument(this.option(p.instrument_name));
      case 'public/get_ticker':
        return this.slimTicker(this.option(p.instrument_name));
      case 'public/get_tickers': {
        if (p.instrument_type !== 'option') throw DERIVE_ERR.params('instrument_type: option (this venue simulates options)');
        const list = m.options.filter((o) => (p.currency === undefined || p.currency === o.coin) && (p.expiry_date === undefined || str(p.expiry_date) === expiryDay(o.expiry)));
        return { tickers: Object.fromEntries(list.map((o) => [o.name, this.slimTicker(o)])) };
      }
      case 'subscribe':
      case 'unsubscribe': {
        const channels = Array.isArray(p.channels) ? p.channels.filter((c): c is string => typeof c === 'string') : null;
        if (!channels) throw DERIVE_ERR.params('channels: an array of channel names');
        const status: Record<string, string> = {};
        for (const c of channels) {
          const why = this.channelProblem(s, c);
          if (why) status[c] = why;
          else if (method === 'subscribe') {
            status[c] = s.channels.has(c) ? 'already subscribed' : 'ok';
            s.channels.add(c);
          } else status[c] = s.channels.delete(c) ? 'ok' : 'not subscribed';
        }
        return { status, current_subscriptions: [...s.channels] };
      }
    }
    if (!method.startsWith('private/')) throw new DeriveError(-32601, 'Method not found', method);
    const wallet = s.wallet;
    if (!wallet) throw DERIVE_ERR.notLoggedIn();
    const sub = (): number => {
      const id = Number(p.subaccount_id);
      if (!Number.isSafeInteger(id)) throw DERIVE_ERR.params('subaccount_id: an integer');
      return id;
    };
    switch (method) {
      case 'private/get_subaccounts':
        return { wallet, subaccount_ids: this.trading.subaccountsOf(wallet) };
      case 'private/get_subaccount':
        return { ...this.trading.balance(sub(), wallet), positions: this.trading.positions(sub(), wallet), open_orders: this.trading.openOrders(sub(), wallet) };
      case 'private/get_positions':
        return { subaccount_id: sub(), positions: this.trading.positions(sub(), wallet) };
      case 'private/get_open_orders':
        return { subaccount_id: sub(), orders: this.trading.openOrders(sub(), wallet) };
      case 'private/order':
        return this.trading.order(p, () => this.faults.rejectRemaining > 0 && this.faults.rejectRemaining-- > 0);
      case 'private/order_debug':
        return this.trading.orderDebug(p);
      case 'private/cancel':
        return this.trading.cancel(sub(), str(p.order_id), wallet);
      case 'private/cancel_all':
        return { cancelled: this.trading.cancelAll(sub(), wallet) };
      case 'private/cancel_by_label':
        return { cancelled_orders: this.trading.cancelByLabel(sub(), wallet, p.label) };
      case 'private/get_orders':
        return { subaccount_id: sub(), orders: this.trading.orders(sub(), wallet, { label: p.label, instrument: p.instrument_name }) };
      case 'private/get_trade_history':
        return { subaccount_id: sub(), trades: this.trading.tradeHistory(sub(), wallet, { label: p.label, instrument: p.instrument_name }) };
      case 'private/set_session_key': {
        const k = this.trading.setSessionKey(p, wallet);
        return { public_session_key: k.key, expiry_sec: k.expirySec, label: k.label };
      }
      case 'private/session_keys':
        return { public_session_keys: this.trading.sessionKeysOf(wallet).map((k) => ({ public_session_key: k.key, expiry_sec: k.expirySec, scope_codes: k.scopeCodes, subaccount_ids: k.subaccountIds, label: k.label })) };
      default:
        throw new DeriveError(-32601, 'Method not found', method);
    }
  }

  private channelProblem(s: Session, c: string): string | null {
    const parts = c.split('.');
    if (parts[0] === 'orderbook') {
      if (parts.length !== 4 || !this.o.market.byName.has(parts[1]!)) return 'invalid channel';
      if (!['1', '10', '100'].includes(parts[2]!) || !['1', '10', '20', '100'].includes(parts[3]!)) return 'invalid channel: group 1|10|100, depth 1|10|20|100';
      return null;
    }
    if (parts[0] === 'ticker_slim') return parts.length === 3 && this.o.market.byName.has(parts[1]!) && (parts[2] === '100' || parts[2] === '1000') ? null : 'invalid channel';
    if (/^\d+$/.test(parts[0]!) && ['orders', 'trades', 'balances'].includes(parts[1] ?? '')) {
      if (!s.wallet) return 'not logged in';
      return this.trading.subaccountsOf(s.wallet).includes(Number(parts[0])) ? null : 'subaccount is not this wallet’s';
    }
    return 'invalid channel';
  }

  private option(name: unknown): DeriveSimOption {
    const o = typeof name === 'string' ? this.o.market.byName.get(name) : undefined;
    if (!o) throw DERIVE_ERR.notFound(String(name));
    return o;
  }

  private instrument(o: DeriveSimOption): Record<string, unknown> {
    const f = DERIVE_SIM_FEES;
    return {
      instrument_name: o.name,
      instrument_type: 'option',
      is_active: o.expiry > this.now(),
      base_currency: o.coin,
      quote_currency: 'USDC',
      tick_size: String(o.tick),
      amount_step: String(o.amountStep),
      minimum_amount: String(o.amountStep),
      maximum_amount: '10000',
      maker_fee_rate: String(f.makerRate),
      taker_fee_rate: String(f.takerRate),
      base_fee: String(f.baseFee),
      mark_price_fee_rate_cap: String(f.premiumCap),
      base_asset_address: o.asset,
      base_asset_sub_id: o.subId.toString(),
      scheduled_activation: 0,
      scheduled_deactivation: Math.floor(o.expiry / 1000),
      option_details: { expiry: Math.floor(o.expiry / 1000), strike: String(o.strike), option_type: o.kind === 'call' ? 'C' : 'P', index: `${o.coin}-USD` },
      perp_details: null,
    };
  }

  private slimTicker(o: DeriveSimOption): Record<string, unknown> {
    const b = o.bids[0];
    const a = o.asks[0];
    return {
      t: this.now(),
      I: decimal(o.index, 2),
      M: decimal(o.mark, 4),
      f: null,
      b: b ? String(b[0]) : '0',
      B: b ? String(b[1]) : '0',
      a: a ? String(a[0]) : '0',
      A: a ? String(a[1]) : '0',
      minp: decimal(Math.max(o.tick, o.mark * 0.5), 4),
      maxp: decimal(o.mark * 1.5 + o.tick * 10, 4),
      option_pricing: {
        d: decimal(o.greeks.delta, 5),
        g: decimal(o.greeks.gamma, 8),
        v: decimal(o.greeks.vega, 5),
        t: decimal(o.greeks.theta, 5),
        r: '0',
        i: decimal(o.markIv, 5),
        bi: decimal(o.bidIv, 5),
        ai: decimal(o.askIv, 5),
        m: decimal(o.mark, 4),
        f: decimal(o.forward, 2),
        df: '1',
      },
      stats: { c: '0', v: '0', pr: '0', oi: String(o.openInterest), h: '0', l: '0', p: '0', n: 0 },
    };
  }

  private bookPayload(o: DeriveSimOption, group: number, depth: number): Record<string, unknown> {
    const bucket = (levels: [number, number][], down: boolean): [string, string][] => {
      const step = o.tick * group;
      const m = new Map<number, number>();
      for (const [px, amt] of levels) {
        const key = Number(((down ? Math.floor(px / step + 1e-9) : Math.ceil(px / step - 1e-9)) * step).toFixed(6));
        m.set(key, (m.get(key) ?? 0) + amt);
      }
      return [...m].slice(0, depth).map(([px, amt]) => [String(px), String(Number(amt.toFixed(6)))]);
    };
    return { instrument_name: o.name, publish_id: o.publishId, timestamp: this.now(), bids: bucket(o.bids, true), asks: bucket(o.asks, false) };
  }
}

/** A wire field as a string, or '' when it is not a string or a number. */
function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function errorBody(err: unknown): { code: number; message: string; data?: string } {
  if (err instanceof DeriveError) return { code: err.code, message: err.message, ...(err.data !== undefined ? { data: err.data } : {}) };
  return { code: -32603, message: 'Internal error', data: (err as Error).message };
}
