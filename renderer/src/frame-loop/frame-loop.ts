import { decodeFrame } from '../../../shared/stream/frame-codec.ts';
import type { CandleUpdate } from '../../../shared/stream/frame.ts';
import type { TerminalApi } from '../../../shared/contract/terminal-api.ts';
import { recordArrival } from '../features/orderbook/latency-probe.ts';
import { recordOptionArrival } from '../features/chain/chain-latency.ts';
import type { MarketFrame, MarketStore } from '../stores/market-store.ts';
import type { OptionsFrame, OptionsStore } from '../stores/options-store.ts';
import type { PortfolioFrame, PortfolioStore } from '../stores/portfolio-store.ts';
import type { OrdersStore } from '../stores/orders-store.ts';
import type { OrdersSnapshot } from '../../../shared/domain/orders.ts';
import type { AlertsSnapshot } from '../../../shared/domain/alerts.ts';
import type { AlertsStore } from '../stores/alerts-store.ts';
import type { DivestSnapshot } from '../../../shared/domain/divest.ts';
import type { DivestStore } from '../stores/divest-store.ts';
import type { HedgeDraft } from '../../../shared/domain/hedge.ts';
import { applyHedgeDrafts } from '../stores/hedge-store.ts';

type CandleListener = (update: CandleUpdate) => void;
const candleListeners = new Set<CandleListener>();

/** Charts take candle updates directly (no React render) from the frame loop. */
export function onCandle(listener: CandleListener): () => void {
  candleListeners.add(listener);
  return () => candleListeners.delete(listener);
}

/** Folds every frame received since the last animation frame into one update. */
export function mergeFrames(
  queue: Uint8Array[],
  arrivedAt: number[] = [],
): { frame: MarketFrame; candles: Map<string, CandleUpdate>; options: OptionsFrame; portfolio: PortfolioFrame; orders: OrdersSnapshot | null; alerts: AlertsSnapshot | null; divest: DivestSnapshot | null; hedgeDrafts: HedgeDraft[] | null } {
  const frame: MarketFrame = { books: new Map(), groupedBook: null, mids: {}, trades: [], venues: null, decodeErrors: 0, lastDecodeError: null };
  const options: OptionsFrame = { rows: [], chainVersion: null, surfaces: [], mispricings: [] };
  const candles = new Map<string, CandleUpdate>();
  const portfolio: PortfolioFrame = { snapshot: null, ladders: null };
  let orders: OrdersSnapshot | null = null;
  let alerts: AlertsSnapshot | null = null;
  let divest: DivestSnapshot | null = null;
  let hedgeDrafts: HedgeDraft[] | null = null;
  for (const [i, bytes] of queue.entries()) {
    let f;
    try {
      f = decodeFrame(bytes);
    } catch (err) {
      frame.decodeErrors++;
      frame.lastDecodeError = (err as Error).message;
      continue;
    }
    for (const b of f.books) {
      if (arrivedAt[i] !== undefined) recordArrival(b.receivedAt, arrivedAt[i]);
      frame.books.set(b.instrumentId, b);
    }
    if (f.groupedBooks?.length) frame.groupedBook = f.groupedBooks[f.groupedBooks.length - 1]!;
    Object.assign(frame.mids, f.mids);
    frame.trades.push(...f.trades);
    for (const c of f.candles) candles.set(`${c.instrumentId}|${c.timeframe}`, c);
    if (f.venues) frame.venues = f.venues;
    if (f.optionRows) {
      options.rows.push(f.optionRows);
      if (arrivedAt[i] !== undefined) recordOptionArrival(f.optionRows, arrivedAt[i]);
    }
    if (f.chainVersion !== undefined) options.chainVersion = f.chainVersion;
    if (f.surfaces) options.surfaces.push(...f.surfaces);
    if (f.mispricings) options.mispricings.push(...f.mispricings);
    // The portfolio is whole in every frame that carries it: the newest wins.
    if (f.portfolio) portfolio.snapshot = f.portfolio;
    if (f.ladders) portfolio.ladders = f.ladders;
    if (f.orders) orders = f.orders;
    if (f.alerts) alerts = f.alerts;
    if (f.divest) divest = f.divest;
    if (f.hedgeDrafts) hedgeDrafts = f.hedgeDrafts;
  }
  return { frame, candles, options, portfolio, orders, alerts, divest, hedgeDrafts };
}

/**
 * The renderer's one requestAnimationFrame loop: frames are queued as they arrive and drained once
 * per display frame into the store, so React renders at most once per frame whatever the feed rate.
 */
export function startFrameLoop(api: TerminalApi, store: () => MarketStore, optionsStore?: () => OptionsStore, portfolioStore?: () => PortfolioStore, ordersStore?: () => OrdersStore, alertsStore?: () => AlertsStore, divestStore?: () => DivestStore): () => void {
  let queue: Uint8Array[] = [];
  let arrivals: number[] = [];
  let raf = 0;
  const drain = (): void => {
    raf = 0;
    const batch = queue;
    const at = arrivals;
    queue = [];
    arrivals = [];
    const { frame, candles, options, portfolio, orders, alerts, divest, hedgeDrafts } = mergeFrames(batch, at);
    store().applyFrame(frame);
    optionsStore?.().applyFrame(options);
    portfolioStore?.().applyFrame(portfolio);
    ordersStore?.().applyFrame(orders);
    alertsStore?.().applyFrame(alerts);
    divestStore?.().applyFrame(divest);
    applyHedgeDrafts(hedgeDrafts);
    for (const c of candles.values()) for (const l of candleListeners) l(c);
    // The stores are set, React commits before this display frame paints: the frames are drawn,
    // and the engine may send the next ones now.
    if (batch.length) api.drawn?.(batch.length);
  };
  const unsubscribe = api.onStream((bytes) => {
    queue.push(bytes);
    arrivals.push(performance.timeOrigin + performance.now());
    if (!raf) raf = requestAnimationFrame(drain);
  });
  return () => {
    unsubscribe();
    if (raf) cancelAnimationFrame(raf);
  };
}
