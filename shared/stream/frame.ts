import type { AlertsSnapshot } from '../domain/alerts.ts';
import type { DivestSnapshot } from '../domain/divest.ts';
import type { HedgeDraft } from '../domain/hedge.ts';
import type { Candle, Timeframe, Trade } from '../domain/market.ts';
import type { Mispricing, OptionUnderlying, SurfaceSnapshot } from '../domain/options.ts';
import type { OrdersSnapshot } from '../domain/orders.ts';
import type { LadderSnapshot, PortfolioSnapshot } from '../domain/portfolio.ts';
import type { VenueStatus } from '../domain/venues.ts';

export interface BookUpdate {
  instrumentId: string;
  /** Venue's timestamp of the snapshot, ms since epoch. */
  time: number;
  /**
   * When the adapter received the venue frame, high-resolution ms since epoch
   * (performance.timeOrigin + performance.now()); used for tick-to-screen latency.
   */
  receivedAt: number;
  /** See packed-book.ts for the layout. */
  levels: Float64Array;
}

/** A book the venue aggregated for the screen's grouping (never traded on: the engine uses the raw book). */
export interface GroupedBookUpdate extends BookUpdate {
  /** The price step the venue grouped at, quote currency. */
  step: number;
}

export interface CandleUpdate {
  instrumentId: string;
  timeframe: Timeframe;
  candle: Candle;
}

/**
 * One coalesced frame from the engine: the latest value per key since the previous frame.
 * At most one frame per 16 ms is published.
 */
export interface StreamFrame {
  seq: number;
  /** Engine clock when the frame was built, ms since epoch. */
  time: number;
  books: BookUpdate[];
  /** The book in view, grouped by the venue at the screen's grouping, when it changed. */
  groupedBooks?: GroupedBookUpdate[];
  /** Mid price per instrument id, quote currency. */
  mids: Record<string, number>;
  /** New public trades since the previous frame, oldest first. */
  trades: Trade[];
  candles: CandleUpdate[];
  /** Present only when some venue's status changed. */
  venues?: VenueStatus[];
  /**
   * Options whose quote changed: [row, ...ROW_FIELDS] per option (shared/domain/options.ts), row
   * being the contract's index in the chain from `options.chain`.
   */
  optionRows?: Float64Array;
  /** Bumped when the option list itself changed: ask `options.chain` again. */
  chainVersion?: number;
  /** Refitted surfaces, per underlying. */
  surfaces?: SurfaceSnapshot[];
  /** The full mispricing list of an underlying whenever it changed. */
  mispricings?: { underlying: OptionUnderlying; items: Mispricing[] }[];
  /** Positions, their risk and the totals, whenever positions or the market they depend on changed. */
  portfolio?: PortfolioSnapshot;
  /** One Greeks ladder per underlying held, sent with `portfolio`. */
  ladders?: LadderSnapshot[];
  /** Orders, fills and whether each venue may trade now, whenever any of them changed. */
  orders?: OrdersSnapshot;
  /** Alerts in force and recently cleared, whenever any changed. */
  alerts?: AlertsSnapshot;
  /** The kill switch: the run under way or last finished, and the venues armed for auto-divestment. */
  divest?: DivestSnapshot;
  /** Hedge-to-target drafts for every underlying held, at both presets, a few times a second. */
  hedgeDrafts?: HedgeDraft[];
}
