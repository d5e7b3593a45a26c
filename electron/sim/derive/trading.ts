import { deriveStandardMargins, type DeriveSrmOption } from '../../venues/derive/standard-margin.ts';
import { getAddress } from 'ethers';
import {
  actionHash,
  decodeSessionKeyData,
  DERIVE_MODULES,
  domainSeparator,
  e18,
  encodeTradeData,
  recoverActionSigner,
  recoverLoginSigner,
  typedDataHash,
  type DeriveAction,
} from '../../venues/derive/signing.ts';
import { deriveSimFee, round, type DeriveOptionMarket, type DeriveSimOption } from './derive-options.ts';

/*
 * The simulated Derive's accounts and order entry, following the venue's rules (venues.md §3.5–3.8):
 * an action is rebuilt from its wire decimals and verified — recomputed hashes, the recovered
 * signer, the signer being the owner or one of its session keys with the scope and subaccount,
 * an unexpired signature, a fresh nonce inside ±5 min — before the matching engine sees it.
 * Error codes marked (venue) are the venue's; the others are the simulator's own, since our
 * sources do not list Derive's codes for those cases.
 */

export class DeriveError extends Error {
  readonly code: number;
  readonly data: string | undefined;
  constructor(code: number, message: string, data?: string) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

export const DERIVE_ERR = {
  params: (what: string) => new DeriveError(-32602, 'Invalid params', what),
  notLoggedIn: () => new DeriveError(14000, 'Not logged in', 'call public/login first'),
  badSignature: (what: string) => new DeriveError(14014, 'Signature invalid', what),
  notAuthorised: (what: string) => new DeriveError(14015, 'Signer not authorised', what),
  expired: () => new DeriveError(14016, 'Signature expired', 'signature_expiry_sec is in the past'),
  nonce: (what: string) => new DeriveError(14017, 'Invalid nonce', what),
  sessionKeyExpiry: () => new DeriveError(14039, 'Session key expiry must be at least 5 minutes in the future'), // (venue)
  notFound: (what: string) => new DeriveError(11050, 'Instrument not found', what),
  decimals: (what: string) => new DeriveError(11051, 'Invalid decimal', what),
  step: (what: string) => new DeriveError(11052, 'Amount or price off the instrument grid', what),
  maxFee: (what: string) => new DeriveError(11053, 'Max fee too low', what),
  funds: (what: string) => new DeriveError(11000, 'Insufficient funds', what),
  crosses: () => new DeriveError(11054, 'Post-only order would cross'),
  rejected: () => new DeriveError(11055, 'Order rejected by the matching engine'),
  orderNotFound: () => new DeriveError(11056, 'Order not found'),
};

/** Scope codes that allow placing an option order (admin, trade:all, trade:orderbook:all, …:option). */
const OPTION_TRADE_SCOPES = new Set([0, 2, 3, 6]);
const NONCE_WINDOW_NS = 5n * 60n * 1_000_000_000n;
const PAPER_USDC = 100_000;

export interface SessionKey {
  key: string;
  expirySec: number;
  scopeCodes: number[];
  /** Empty: every subaccount of the owner. */
  subaccountIds: number[];
  label: string;
}

export interface DeriveOrder {
  order_id: string;
  subaccount_id: number;
  instrument_name: string;
  direction: 'buy' | 'sell';
  order_type: 'limit' | 'market';
  time_in_force: 'gtc' | 'post_only' | 'fok' | 'ioc';
  limit_price: string;
  amount: string;
  filled_amount: string;
  average_price: string;
  order_status: 'open' | 'filled' | 'rejected' | 'cancelled' | 'expired';
  nonce: string;
  signer: string;
  label: string;
  max_fee: string;
  order_fee: string;
  creation_timestamp: number;
  last_update_timestamp: number;
}

export interface DeriveTrade {
  trade_id: string;
  order_id: string;
  subaccount_id: number;
  instrument_name: string;
  direction: 'buy' | 'sell';
  trade_price: string;
  trade_amount: string;
  trade_fee: string;
  liquidity_role: 'taker' | 'maker';
  timestamp: number;
  label: string;
}

interface Subaccount {
  id: number;
  owner: string;
  cash: number;
  positions: Map<string, { amount: number; averagePrice: number }>;
  orders: Map<string, DeriveOrder>;
  /** Every order and trade of the subaccount, newest last (order and trade history). */
  history: DeriveOrder[];
  trades: DeriveTrade[];
  nonces: Set<bigint>;
}

export type DerivePush = (channel: string, data: unknown) => void;

export class DerivePaperTrading {
  readonly separator: string;
  private readonly subaccounts = new Map<number, Subaccount>();
  private readonly byOwner = new Map<string, number[]>();
  private readonly sessionKeys = new Map<string, SessionKey[]>();
  private nextSubaccount = 30_001;
  private nextOrder = 1;
  private nextTrade = 1;

  readonly chainId: number;
  private readonly market: DeriveOptionMarket;
  private readonly now: () => number;
  private readonly push: DerivePush;

  constructor(market: DeriveOptionMarket, chainId: number, now: () => number, push: DerivePush) {
    this.market = market;
    this.chainId = chainId;
    this.now = now;
    this.push = push;
    this.separator = domainSeparator(chainId);
  }

  /** `public/login`: the owner or one of its session keys signed the ms timestamp. Paper: a first login opens a funded subaccount. */
  login(wallet: string, timestamp: number, signature: string): { wallet: string; ids: number[] } {
    const owner = address(wallet, 'wallet');
    if (!Number.isFinite(timestamp) || Math.abs(this.now() - timestamp) > 60_000) throw DERIVE_ERR.badSignature('timestamp must be within 60 s of the server clock');
    let signer: string;
    try {
      signer = recoverLoginSigner(timestamp, signature);
    } catch {
      throw DERIVE_ERR.badSignature('signature is not a 65-byte signature');
    }
    if (signer !== owner && !this.liveKey(owner, signer)) throw DERIVE_ERR.notAuthorised(`${signer} is neither ${owner} nor one of its live session keys`);
    return { wallet: owner, ids: this.subaccountsOf(owner) };
  }

  subaccountsOf(owner: string): number[] {
    let ids = this.byOwner.get(owner);
    if (!ids) {
      const id = this.nextSubaccount++;
      this.subaccounts.set(id, { id, owner, cash: PAPER_USDC, positions: new Map(), orders: new Map(), history: [], trades: [], nonces: new Set() });
      this.byOwner.set(owner, (ids = [id]));
    }
    return ids;
  }

  sessionKeysOf(owner: string): SessionKey[] {
    return (this.sessionKeys.get(owner) ?? []).filter((k) => k.expirySec * 1000 > this.now());
  }

  /** `private/set_session_key` from the session `loggedIn` opened: an action signed by the owner on subaccount 0, module setSessionKey. */
  setSessionKey(p: Record<string, unknown>, loggedIn: string): SessionKey {
    const owner = address(p.wallet, 'wallet');
    if (owner !== loggedIn) throw DERIVE_ERR.notAuthorised('wallet is not the logged-in wallet');
    const key = address(p.public_session_key, 'public_session_key');
    const expirySec = int(p.expiry_sec, 'expiry_sec');
    if (expirySec * 1000 < this.now() + 5 * 60_000) throw DERIVE_ERR.sessionKeyExpiry();
    const action = this.action(p, 0n, DERIVE_MODULES.setSessionKey, owner, typeof p.data === 'string' ? p.data : '');
    if (action.signer !== owner) throw DERIVE_ERR.notAuthorised('only the owner registers a session key');
    this.verify(owner, action, p);
    const data = decodeSessionKeyData(action.data);
    if (data.sessionKey !== key || Number(data.expirySec) !== expirySec) throw DERIVE_ERR.badSignature('signed data does not match public_session_key and expiry_sec');
    const list = this.sessionKeys.get(owner) ?? [];
    // A key is registered once: an address used before is refused, as keys are never reused.
    if (list.some((k) => k.key === key)) throw DERIVE_ERR.params('this session key was registered before; use a new key');
    const entry: SessionKey = { key, expirySec, scopeCodes: data.scopeCodes, subaccountIds: data.subaccountIds.map(Number), label: typeof p.label === 'string' ? p.label : '' };
    list.push(entry);
    this.sessionKeys.set(owner, list);
    return entry;
  }

  /** The hashes the venue computes for an order, without placing it (`private/order_debug`). */
  orderDebug(p: Record<string, unknown>): { action_hash: string; typed_data_hash: string; encoded_data: string } {
    const { action } = this.orderAction(p);
    return { action_hash: actionHash(action), typed_data_hash: typedDataHash(this.separator, action), encoded_data: action.data };
  }

  order(p: Record<string, unknown>, rejectNext: () => boolean): { order: DeriveOrder; trades: DeriveTrade[] } {
    const { action, sub, instrument, limit, amount, maxFee, direction } = this.orderAction(p);
    this.verify(sub.owner, action, p, sub.id);
    sub.nonces.add(action.nonce);
    const tif = (['gtc', 'post_only', 'fok', 'ioc'] as const).find((x) => x === (p.time_in_force ?? 'gtc'));
    if (!tif) throw DERIVE_ERR.params('time_in_force: one of gtc, post_only, fok, ioc');
    const feeNow = deriveSimFee(limit, instrument.index);
    if (maxFee < feeNow) throw DERIVE_ERR.maxFee(`max_fee ${maxFee} is under the fee of ${feeNow.toFixed(4)} per contract`);
    if (direction === 'buy' && sub.cash < limit * amount + feeNow * amount) throw DERIVE_ERR.funds(`needs ${(limit * amount + feeNow * amount).toFixed(2)} USDC, has ${sub.cash.toFixed(2)}`);
    if (rejectNext()) throw DERIVE_ERR.rejected();
    const now = this.now();
    const order: DeriveOrder = {
      order_id: `O-${this.nextOrder++}`,
      subaccount_id: sub.id,
      instrument_name: instrument.name,
      direction,
      order_type: p.order_type === 'market' ? 'market' : 'limit',
      time_in_force: tif,
      limit_price: String(p.limit_price),
      amount: String(p.amount),
      filled_amount: '0',
      average_price: '0',
      order_status: 'open',
      nonce: action.nonce.toString(),
      signer: action.signer,
      label: typeof p.label === 'string' ? p.label : '',
      max_fee: String(p.max_fee),
      order_fee: '0',
      creation_timestamp: now,
      last_update_timestamp: now,
    };
    const opposite = direction === 'buy' ? instrument.asks : instrument.bids;
    const crosses = (px: number): boolean => (direction === 'buy' ? px <= limit : px >= limit);
    const available = opposite.filter((l) => crosses(l[0])).reduce((s, l) => s + l[1], 0);
    if (tif === 'post_only' && available > 0) throw DERIVE_ERR.crosses();
    const trades: DeriveTrade[] = [];
    if (tif !== 'fok' || available + 1e-12 >= amount) this.fill(sub, order, instrument, trades, 'taker');
    if (Number(order.filled_amount) + 1e-12 < amount && (tif === 'ioc' || tif === 'fok')) order.order_status = 'cancelled';
    if (order.order_status === 'open') sub.orders.set(order.order_id, order);
    sub.history.push(order);
    this.publish(sub, order, trades);
    return { order, trades };
  }

  /** `private/get_orders`: the subaccount's orders, any status, newest first; by label or instrument when asked. */
  orders(subaccountId: number, owner: string, filter: { label?: unknown; instrument?: unknown }): DeriveOrder[] {
    const sub = this.ownSub(subaccountId, owner);
    return sub.history.filter((o) => (typeof filter.label !== 'string' || o.label === filter.label) && (typeof filter.instrument !== 'string' || o.instrument_name === filter.instrument)).reverse();
  }

  /** `private/get_trade_history`: the subaccount's fills, newest first; by label or instrument when asked. */
  tradeHistory(subaccountId: number, owner: string, filter: { label?: unknown; instrument?: unknown }): DeriveTrade[] {
    const sub = this.ownSub(subaccountId, owner);
    return sub.trades.filter((t) => (typeof filter.label !== 'string' || t.label === filter.label) && (typeof filter.instrument !== 'string' || t.instrument_name === filter.instrument)).reverse();
  }

  /** `private/cancel_by_label`: every open order with that label; how many. */
  cancelByLabel(subaccountId: number, owner: string, label: unknown): number {
    const sub = this.ownSub(subaccountId, owner);
    if (typeof label !== 'string' || label === '') throw DERIVE_ERR.params('label: a non-empty string');
    const ids = [...sub.orders.values()].filter((o) => o.label === label).map((o) => o.order_id);
    for (const id of ids) this.cancel(subaccountId, id, owner);
    return ids.length;
  }

  cancel(subaccountId: number, orderId: string, owner: string): DeriveOrder {
    const sub = this.ownSub(subaccountId, owner);
    const o = sub.orders.get(orderId);
    if (!o) throw DERIVE_ERR.orderNotFound();
    sub.orders.delete(orderId);
    o.order_status = 'cancelled';
    o.last_update_timestamp = this.now();
    this.publish(sub, o, []);
    return o;
  }

  cancelAll(subaccountId: number, owner: string): number {
    const sub = this.ownSub(subaccountId, owner);
    const ids = [...sub.orders.keys()];
    for (const id of ids) this.cancel(subaccountId, id, owner);
    return ids.length;
  }

  openOrders(subaccountId: number, owner: string): DeriveOrder[] {
    return [...this.ownSub(subaccountId, owner).orders.values()];
  }

  positions(subaccountId: number, owner: string): { instrument_name: string; instrument_type: 'option'; amount: string; average_price: string; mark_price: string; index_price: string; mark_value: string }[] {
    const sub = this.ownSub(subaccountId, owner);
    return [...sub.positions].filter(([, p]) => p.amount !== 0).map(([name, p]) => {
      const o = this.market.byName.get(name)!;
      return { instrument_name: name, instrument_type: 'option', amount: String(p.amount), average_price: p.averagePrice.toFixed(4), mark_price: o.mark.toFixed(4), index_price: o.index.toFixed(2), mark_value: (o.mark * p.amount).toFixed(2) };
    });
  }

  /** The subaccount's value and its net standard margin, as the venue reports them (below zero: liquidated). */
  balance(subaccountId: number, owner: string): { subaccount_id: number; margin_type: 'SM'; cash_usdc: string; positions_value: string; subaccount_value: string; initial_margin: string; maintenance_margin: string } {
    const sub = this.ownSub(subaccountId, owner);
    const held: DeriveSrmOption[] = [];
    for (const [name, p] of sub.positions) {
      const o = this.market.byName.get(name);
      if (o && p.amount !== 0) held.push({ market: o.coin, kind: o.kind, strike: o.strike, expiry: o.expiry, amount: p.amount, mark: o.mark, spot: o.index, forward: o.forward });
    }
    const m = deriveStandardMargins(sub.cash, held);
    return { subaccount_id: sub.id, margin_type: 'SM', cash_usdc: sub.cash.toFixed(2), positions_value: (m.valueUsd - sub.cash).toFixed(2), subaccount_value: m.valueUsd.toFixed(2), initial_margin: m.initialNetUsd.toFixed(2), maintenance_margin: m.maintenanceNetUsd.toFixed(2) };
  }

  /** Resting orders fill when the crowd's quotes move through them. */
  step(): void {
    for (const sub of this.subaccounts.values()) {
      for (const o of [...sub.orders.values()]) {
        const instrument = this.market.byName.get(o.instrument_name);
        if (!instrument) continue;
        const trades: DeriveTrade[] = [];
        this.fill(sub, o, instrument, trades, 'maker');
        if (trades.length) {
          if (o.order_status !== 'open') sub.orders.delete(o.order_id);
          this.publish(sub, o, trades);
        }
      }
    }
  }

  private fill(sub: Subaccount, order: DeriveOrder, instrument: DeriveSimOption, trades: DeriveTrade[], role: 'taker' | 'maker'): void {
    const limit = Number(order.limit_price);
    const amount = Number(order.amount);
    const buy = order.direction === 'buy';
    const side = buy ? 'asks' : 'bids';
    let filled = Number(order.filled_amount);
    let notional = filled * Number(order.average_price);
    let fees = Number(order.order_fee);
    for (const [px, size] of [...instrument[side]]) {
      if (filled + 1e-12 >= amount) break;
      if (buy ? px > limit : px < limit) break;
      // A resting order fills at its own price; a taker at the level's.
      const price = role === 'maker' ? limit : px;
      const take = round(Math.min(size, amount - filled), instrument.amountStep);
      if (take <= 0) break;
      const fee = deriveSimFee(price, instrument.index, role === 'maker') * take;
      this.market.consume(instrument, side, px, take);
      filled = round(filled + take, instrument.amountStep);
      notional += price * take;
      fees += fee;
      sub.cash += (buy ? -price : price) * take - fee;
      const pos = sub.positions.get(instrument.name) ?? { amount: 0, averagePrice: 0 };
      const signed = buy ? take : -take;
      const next = round(pos.amount + signed, instrument.amountStep);
      // The average entry moves only when the position grows.
      if (Math.sign(signed) === Math.sign(pos.amount) || pos.amount === 0) pos.averagePrice = (pos.averagePrice * Math.abs(pos.amount) + price * take) / Math.abs(next);
      else if (Math.sign(next) !== Math.sign(pos.amount) && next !== 0) pos.averagePrice = price;
      pos.amount = next;
      sub.positions.set(instrument.name, pos);
      trades.push({ trade_id: `T-${this.nextTrade++}`, order_id: order.order_id, subaccount_id: sub.id, instrument_name: instrument.name, direction: order.direction, trade_price: String(price), trade_amount: String(take), trade_fee: fee.toFixed(6), liquidity_role: role, timestamp: this.now(), label: order.label });
    }
    order.filled_amount = String(filled);
    order.average_price = filled > 0 ? (notional / filled).toFixed(6) : '0';
    order.order_fee = fees.toFixed(6);
    order.last_update_timestamp = this.now();
    if (filled + 1e-12 >= amount) order.order_status = 'filled';
  }

  private publish(sub: Subaccount, order: DeriveOrder, trades: DeriveTrade[]): void {
    sub.trades.push(...trades);
    this.push(`${sub.id}.orders`, [order]);
    if (trades.length) this.push(`${sub.id}.trades`, trades);
    this.push(`${sub.id}.balances`, this.balance(sub.id, sub.owner));
  }

  private ownSub(subaccountId: number, owner: string): Subaccount {
    const sub = this.subaccounts.get(subaccountId);
    if (!sub || sub.owner !== owner) throw DERIVE_ERR.notAuthorised(`subaccount ${subaccountId} is not this wallet's`);
    return sub;
  }

  private liveKey(owner: string, signer: string): SessionKey | undefined {
    return this.sessionKeysOf(owner).find((k) => k.key === signer);
  }

  private orderAction(p: Record<string, unknown>) {
    const subaccountId = int(p.subaccount_id, 'subaccount_id');
    const sub = this.subaccounts.get(subaccountId);
    if (!sub) throw DERIVE_ERR.notAuthorised(`subaccount ${subaccountId} does not exist`);
    const name = typeof p.instrument_name === 'string' ? p.instrument_name : '';
    const instrument = this.market.byName.get(name);
    if (!instrument) throw DERIVE_ERR.notFound(name || 'instrument_name missing');
    const direction: 'buy' | 'sell' | null = p.direction === 'buy' || p.direction === 'sell' ? p.direction : null;
    if (!direction) throw DERIVE_ERR.params('direction: buy or sell');
    const dec = (key: string): string => {
      const v = p[key];
      const s = typeof v === 'number' ? String(v) : v;
      if (typeof s !== 'string') throw DERIVE_ERR.params(`${key}: a decimal string`);
      try {
        e18(s);
      } catch (err) {
        throw DERIVE_ERR.decimals(`${key}: ${(err as Error).message}`);
      }
      return s;
    };
    const limitS = dec('limit_price');
    const amountS = dec('amount');
    const maxFeeS = dec('max_fee');
    const limit = Number(limitS);
    const amount = Number(amountS);
    if (!(amount > 0) || !onGrid(amount, instrument.amountStep)) throw DERIVE_ERR.step(`amount ${amountS} is not a positive multiple of ${instrument.amountStep}`);
    if (!(limit > 0) || !onGrid(limit, instrument.tick)) throw DERIVE_ERR.step(`limit_price ${limitS} is not a multiple of ${instrument.tick}`);
    const data = encodeTradeData({ asset: instrument.asset, subId: instrument.subId, limitPrice: limitS, amount: amountS, maxFee: maxFeeS, recipientSubaccountId: BigInt(subaccountId), isBid: direction === 'buy' });
    const action = this.action(p, BigInt(subaccountId), DERIVE_MODULES.trade, sub.owner, data);
    return { action, sub, instrument, limit, amount, maxFee: Number(maxFeeS), direction };
  }

  private action(p: Record<string, unknown>, subaccountId: bigint, module: string, owner: string, data: string): DeriveAction {
    const nonce = typeof p.nonce === 'string' && /^\d{1,30}$/.test(p.nonce) ? BigInt(p.nonce) : typeof p.nonce === 'number' && Number.isSafeInteger(p.nonce) ? BigInt(p.nonce) : null;
    if (nonce === null) throw DERIVE_ERR.params('nonce: a decimal integer string');
    const expiry = int(p.signature_expiry_sec, 'signature_expiry_sec');
    return { subaccountId, nonce, module, data, expiry: BigInt(expiry), owner, signer: address(p.signer, 'signer') };
  }

  private verify(owner: string, action: DeriveAction, p: Record<string, unknown>, subaccountId?: number): void {
    if (typeof p.signature !== 'string') throw DERIVE_ERR.params('signature: 0x hex');
    let recovered: string;
    try {
      recovered = recoverActionSigner(this.separator, action, p.signature);
    } catch {
      throw DERIVE_ERR.badSignature('signature is not a 65-byte signature');
    }
    if (recovered !== action.signer) throw DERIVE_ERR.badSignature(`recovered ${recovered}, not the signer ${action.signer}: the signed fields differ from the ones sent`);
    if (Number(action.expiry) * 1000 <= this.now()) throw DERIVE_ERR.expired();
    const nowNs = BigInt(Math.floor(this.now())) * 1_000_000n;
    const d = action.nonce - nowNs;
    if (d > NONCE_WINDOW_NS || d < -NONCE_WINDOW_NS) throw DERIVE_ERR.nonce('nonce must be UTC nanoseconds within 5 minutes of now');
    if (subaccountId !== undefined && this.subaccounts.get(subaccountId)?.nonces.has(action.nonce)) throw DERIVE_ERR.nonce('nonce already used');
    if (action.signer === owner) return;
    const key = this.liveKey(owner, action.signer);
    if (!key) throw DERIVE_ERR.notAuthorised(`${action.signer} is not a live session key of ${owner}`);
    if (!key.scopeCodes.some((c) => OPTION_TRADE_SCOPES.has(c))) throw DERIVE_ERR.notAuthorised('the session key has no trade scope for options');
    if (subaccountId !== undefined && key.subaccountIds.length > 0 && !key.subaccountIds.includes(subaccountId)) throw DERIVE_ERR.notAuthorised(`the session key does not cover subaccount ${subaccountId}`);
  }
}

function address(v: unknown, key: string): string {
  try {
    if (typeof v === 'string') return getAddress(v);
  } catch {
    /* falls through */
  }
  throw DERIVE_ERR.params(`${key}: an address`);
}

function int(v: unknown, key: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw DERIVE_ERR.params(`${key}: a non-negative integer`);
  return n;
}

function onGrid(x: number, step: number): boolean {
  return Math.abs(x / step - Math.round(x / step)) < 1e-9;
}
