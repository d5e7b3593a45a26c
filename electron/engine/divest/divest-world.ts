import { optionTakerFeeUsd, optionTickAt } from '../../../shared/domain/options.ts';
import type { DivestScope, DivestVenue } from '../../../shared/domain/divest.ts';
import { tickAt, type Instrument } from '../../../shared/domain/instruments.ts';
import { TERMINAL } from '../../../shared/domain/orders.ts';
import type { Level } from '../../../shared/domain/ticket.ts';
import { DERIBIT_PERP, isDeribitPerpCoin } from '../../../shared/domain/deribit-perp.ts';
import { shortAddress } from '../../../shared/format/address.ts';
import { unpackSide } from '../../../shared/stream/packed-book.ts';
import { perpInstrumentId } from '../../venues/hyperliquid/instruments.ts';
import type { AutoHedger } from '../hedge/auto-hedger.ts';
import type { HedgeDesk } from '../hedge/hedge-desk.ts';
import type { MarketState } from '../market/market-state.ts';
import type { OptionsDesk } from '../options/options-desk.ts';
import type { OrdersDesk } from '../orders/orders-desk.ts';
import type { AaveWatch } from '../portfolio/aave-watch.ts';
import type { PortfolioDesk } from '../portfolio/portfolio-desk.ts';
import type { VenueRegistry } from '../venues/registry.ts';
import type { HeldCollateral, HeldDebt, HeldPosition } from './divest-plan.ts';
import type { DivestWorld } from './divest-desk.ts';
import type { PositionRow } from '../../../shared/domain/portfolio.ts';
import { VENUE_LABELS } from '../../../shared/domain/venues.ts';

/*
 * The kill switch's view of the engine: every position a venue holds for us with its live book,
 * lot and tick, whether DeltaDesk can trade it (and why not), the Aave debts with what the wallet
 * holds to repay them, and the actions it takes — all through the desks that already own them.
 */

const OPTION_BOOK_DEPTH = 20;

export interface DivestWorldParts {
  portfolio: PortfolioDesk;
  state: MarketState;
  options: OptionsDesk;
  venues: VenueRegistry;
  orders: OrdersDesk;
  hedge: HedgeDesk;
  autoHedger: AutoHedger;
  aave: AaveWatch | null;
  /** Wallet balance of a reserve, tokens; and a repay from it (signed through main). */
  aaveWallet: ((account: string, symbol: string) => Promise<number>) | null;
  aaveRepay: ((account: string, symbol: string, tokens: number) => Promise<void>) | null;
  aaveWithdraw: ((account: string, symbol: string, tokens: number | null) => Promise<void>) | null;
}

export function divestWorld(x: DivestWorldParts): DivestWorld {
  const instruments = (): Instrument[] => x.venues.having('perps').flatMap((v) => v.perps.instruments());
  return {
    positions: () => heldPositions(x, instruments()),
    debts: async () => {
      const out: HeldDebt[] = [];
      if (!x.aave) return out;
      for (const s of x.aave.summaries()) {
        const d = x.aave.data(s.account);
        if (!d) continue;
        for (const r of d.reserves) {
          if (!(r.borrowed > 0)) continue;
          const wallet = x.aaveWallet ? await x.aaveWallet(d.account, r.symbol).catch(() => 0) : 0;
          out.push({ account: d.account, symbol: r.symbol, debt: r.borrowed, wallet, priceUsd: r.priceUsd, collateralUsd: d.collateralUsd });
        }
      }
      return out;
    },
    collateral: () => {
      const out: HeldCollateral[] = [];
      for (const s of x.aave?.summaries() ?? []) {
        const d = x.aave!.data(s.account);
        for (const r of d?.reserves ?? []) if (r.supplied > 0) out.push({ account: d!.account, symbol: r.symbol, supplied: r.supplied, priceUsd: r.priceUsd });
      }
      return out;
    },
    openOrders: () => {
      const counts: Partial<Record<DivestVenue, number>> = {};
      for (const g of x.orders.snapshot().gates) counts[g.venue] = 0;
      for (const o of x.orders.snapshot().orders) if (!TERMINAL.has(o.state)) counts[o.venue] = (counts[o.venue] ?? 0) + 1;
      return counts;
    },
    gates: () => {
      const out: Partial<Record<DivestVenue, string>> = {};
      for (const g of x.orders.snapshot().gates) if (!g.ready) out[g.venue] = g.reason;
      return out;
    },
    cancelAll: async (venue) => {
      if (venue === 'aave') return { count: 0, failed: null };
      // The venue's own cancel-all first: one request takes every order on the account off the
      // book; then ours are settled one by one (each asks the venue what became of it).
      const client = x.venues.all().find((v) => v.id === venue)?.execution;
      // A venue this app is not logged in to holds no order it placed: nothing to ask it (and no way to).
      if (client?.cannotAct?.() && !x.orders.snapshot().orders.some((o) => o.venue === venue && !TERMINAL.has(o.state))) return { count: 0, failed: null };
      let atVenue = 0;
      let failed: string | null = null;
      try {
        atVenue = (await client?.cancelEverything?.()) ?? 0;
      } catch (err) {
        failed = `the venue's cancel-all: ${(err as Error).message}`;
      }
      const ours = await x.orders.cancelAll(venue);
      if (ours.failed.length) failed = [failed, ...ours.failed].filter(Boolean).join('; ');
      return { count: Math.max(atVenue, ours.cancelled), failed };
    },
    submit: (venue, intent) => x.orders.submit(venue, intent),
    repay: async (account, symbol, tokens) => {
      if (!x.aaveRepay) throw new Error('Aave transactions cannot be signed by this host');
      await x.aaveRepay(account, symbol, tokens);
    },
    withdraw: async (account, symbol, tokens) => {
      if (!x.aaveWithdraw) throw new Error('Aave transactions cannot be signed by this host');
      await x.aaveWithdraw(account, symbol, tokens);
    },
    disarmAutomation: (scope: DivestScope) => {
      const off: string[] = [];
      for (const s of x.autoHedger.statuses()) {
        if (s.config.mode === 'off') continue;
        if (scope !== 'all' && x.hedge.target(s.config.underlying).venue !== scope) continue;
        x.autoHedger.configure({ ...s.config, mode: 'off' });
        off.push(`${s.config.underlying} auto-hedger (${s.config.mode}) turned off`);
      }
      return off;
    },
    refresh: async (venue) => {
      if (venue === 'deribit') await x.portfolio.refreshDeribit();
      else if (venue === 'aave') await x.aave?.read();
      else if (readsAccount(x, venue)) await x.portfolio.pollVenues();
    },
  };
}

function heldPositions(x: DivestWorldParts, instruments: Instrument[]): HeldPosition[] {
  const risk = x.portfolio.riskNow();
  const trading = x.orders.accountOf('hyperliquid');
  const deribitTrades = x.orders.gate('deribit') !== null;
  const hyperliquidTrades = x.orders.gate('hyperliquid') !== null;
  const out: HeldPosition[] = [];
  for (const row of risk.positions) {
    const d = row.def;
    if (d.quantity === 0) continue;
    // A venue that reports its account in the portfolio's terms and lists options beside the chain's (Derive).
    if (d.source !== 'hyperliquid' && d.source !== 'deribit' && d.source !== 'aave' && readsAccount(x, d.source)) {
      out.push(peerOptionPosition(x, d.source, d, row, x.orders.gate(d.source) !== null));
      continue;
    }
    if (d.source !== 'hyperliquid' && d.source !== 'deribit') continue; // imports and what-ifs are not held at a venue
    const spot = risk.totals.find((t) => t.underlying === d.underlying)?.spot ?? row.underlyingPrice;
    const base = { account: d.account, underlying: d.underlying, deltaCoin: row.problem ? 0 : row.greeks.deltaCoin, index: spot };
    if (d.source === 'hyperliquid') {
      const inst = instruments.find((i) => i.id === perpInstrumentId(d.underlying));
      const book = x.state.books.get(perpInstrumentId(d.underlying));
      const mark = row.mark > 0 ? row.mark : (x.state.mids.get(perpInstrumentId(d.underlying)) ?? 0);
      const why = !hyperliquidTrades ? 'Hyperliquid cannot trade in this configuration' : trading === null ? 'no trading account yet: approve an agent in Vault' : d.account.toLowerCase() !== trading.toLowerCase() ? `watched only: the vault holds no agent for ${shortAddress(d.account)}` : !inst || !book ? `no ${d.underlying}-PERP book` : null;
      out.push({ ...base, venue: 'hyperliquid', instrument: d.underlying, kind: 'perp', position: d.quantity, mark, lot: inst ? 10 ** -inst.sizeDecimals : 1, tick: inst && mark > 0 ? tickAt(mark, inst) : 0, ...sides(book?.levels), untradable: why });
      continue;
    }
    if (d.type === 'option') {
      const c = x.options.board.contract(d.instrument);
      const book = x.venues.having('optionBook')[0]?.optionBook(d.instrument);
      const tickAt = (price: number): number => (c ? optionTickAt(c, price) : 0);
      const tick = tickAt(row.mark);
      const why = !deribitTrades ? 'Deribit cannot trade in this configuration (no API key)' : !c ? `${d.instrument} is not in the chain` : !book ? `no ${d.instrument} book` : !(row.mark > 0) ? `no mark for ${d.instrument}` : null;
      out.push({ ...base, venue: 'deribit', instrument: d.instrument, kind: 'option', position: d.quantity, mark: row.mark, lot: c?.minTradeAmount ?? 1, tick, tickAt, ...sides(book?.pack(OPTION_BOOK_DEPTH)), untradable: why });
      continue;
    }
    const usd = d.inverseUsd ?? 0;
    const perp = d.type === 'perp' && isDeribitPerpCoin(d.underlying);
    const book = x.state.books.get(`deribit:${d.instrument}`);
    const why = !deribitTrades ? 'Deribit cannot trade in this configuration (no API key)' : !perp ? `${d.instrument}: only perpetuals are unwound here (no book for futures)` : !book ? `no ${d.instrument} book` : null;
    const rules = perp ? DERIBIT_PERP[d.underlying as 'BTC' | 'ETH'] : null;
    out.push({ ...base, venue: 'deribit', instrument: d.instrument, kind: 'perp', position: usd, mark: row.mark, lot: rules?.contractUsd ?? 1, tick: rules?.tick ?? 0, ...sides(book?.levels), untradable: why });
  }
  return out;
}

/** Whether the venue reports its account to the portfolio (registry `accountPositions`). */
function readsAccount(x: DivestWorldParts, venue: string): venue is HeldPosition['venue'] {
  return x.venues.having('accountPositions').some((v) => v.id === venue);
}

/** A streamed peer book older than this is not walked (the touch on the chain is read instead). */
const PEER_BOOK_FRESH_MS = 3_000;

/**
 * An option on a peer venue of the chain (Derive) as the unwind sees it: its streamed book (ten
 * levels a side, USD per contract; the adapter streams the books of what is held) when one
 * arrived in the last 3 s, else the touch the chain's row of the same contract carries; its tick,
 * contract step and fee from the venue's listing. Each slice reads it again.
 */
function peerOptionPosition(x: DivestWorldParts, venue: HeldPosition['venue'], d: PositionRow['def'], row: PositionRow, trades: boolean): HeldPosition {
  const board = x.options.board;
  const c = board.peerContract(venue, d.instrument);
  const peer = c?.peer;
  const get = (f: 'peerBid' | 'peerAsk' | 'peerBidSize' | 'peerAskSize' | 'peerMark'): number => (c ? board.get(c.row, f) : Number.NaN);
  const touch = (price: number, size: number): Level[] => (price > 0 && size > 0 ? [{ price, size }] : []);
  const mark = get('peerMark') > 0 ? get('peerMark') : row.mark;
  const depth = x.options.peerDepth(venue, d.instrument, PEER_BOOK_FRESH_MS);
  const boardIndex = c ? board.get(c.row, 'index') : Number.NaN;
  const index = boardIndex > 0 ? boardIndex : row.underlyingPrice;
  const why = !trades ? `${VENUE_LABELS[venue]} cannot trade in this configuration (no session key)` : !peer ? `${d.instrument} is not in the chain` : !(mark > 0) ? `no mark for ${d.instrument}` : null;
  return {
    account: d.account,
    underlying: d.underlying,
    deltaCoin: row.problem ? 0 : row.greeks.deltaCoin,
    index,
    venue,
    instrument: d.instrument,
    kind: 'option',
    position: d.quantity,
    mark,
    lot: peer?.amountStep ?? 1,
    tick: peer?.tickUsd ?? 0,
    bids: depth?.bids.length ? depth.bids : touch(get('peerBid'), get('peerBidSize')),
    asks: depth?.asks.length ? depth.asks : touch(get('peerAsk'), get('peerAskSize')),
    untradable: why,
    ...(peer ? { optionFeeUsd: (premiumUsd: number) => optionTakerFeeUsd(peer.fee, premiumUsd, index) } : {}),
  };
}

function sides(levels: Float64Array | undefined): { bids: Level[]; asks: Level[] } {
  if (!levels) return { bids: [], asks: [] };
  return { bids: unpackSide(levels, 'bid'), asks: unpackSide(levels, 'ask') };
}
