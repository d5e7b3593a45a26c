import type { Instrument } from '../../../shared/domain/instruments.ts';
import type { AccountSummary, PositionDef } from '../../../shared/domain/portfolio.ts';
import type { Candle, PerpStats, Timeframe } from '../../../shared/domain/market.ts';
import type { VenueId, VenueStatus } from '../../../shared/domain/venues.ts';
import type { AccountClient } from '../../venues/common/account.ts';
import type { ExecutionClient, VenueFill } from '../../venues/common/execution.ts';
import type { MarketDataClient } from '../../venues/common/market-data.ts';
import type { DeribitAccount } from '../../venues/deribit/market-data.ts';
import type { DeribitBook } from '../../venues/deribit/order-book.ts';
import type { EventBus } from '../bus.ts';

/*
 * The venues the engine runs, as registrations (DESIGN.md §4b): each brings its market-data
 * client and, where it has them, an account client, an execution client and the capabilities
 * desks ask for (perp markets and candles, watched accounts, option books). The engine asks the
 * registry for a capability, never for a venue's class: a third venue is one more registration.
 */

export interface PerpMarkets {
  instruments(): Instrument[];
  candles(instrument: Instrument, timeframe: Timeframe): Promise<Candle[]>;
  /** Mark, oracle/index, 24 h change, funding and open interest, where the venue serves them. */
  stats?(instrument: Instrument): Promise<PerpStats>;
  /** Streams the book in view grouped at `step` by the venue, if it aggregates at that step (null: stop). */
  groupBook?(instrument: Instrument | null, step: number, mid: number | null): boolean;
}

/** Moves collateral to where it protects a position (top-ups); signed through main like any order. */
export interface CollateralMover {
  /** Adds USD of margin to an isolated position of `coin` held on `side`. */
  addIsolatedMargin(coin: string, side: 'long' | 'short', usd: number): Promise<void>;
}

export interface VenueRegistration {
  id: VenueId;
  marketData: MarketDataClient;
  account?: AccountClient;
  execution?: ExecutionClient;
  collateral?: CollateralMover;
  perps?: PerpMarkets;
  /** Streams positions and margin of these accounts onto the bus as `position` events. */
  watchAccounts?(addresses: string[]): void;
  /** The option books this venue keeps (the focused option's book is read from here). */
  optionBook?(name: string): DeribitBook | undefined;
  /**
   * A peer venue (Derive) streams the book of the option under the cursor, by its own name, onto
   * the bus as `peer-book`; null stops.
   */
  peerBook?(name: string | null): void;
  /** The options account (positions and summary), where an API key allows it. */
  optionsAccount?(): Promise<DeribitAccount[]>;
  /**
   * The trading account's positions and summary in the portfolio's own terms, read from the venue
   * (the adapter maps its wire): how a venue joins the portfolio, ladder and alerts without code of
   * its own outside its folder.
   */
  accountPositions?(): Promise<VenueAccountRead>;
}

export interface VenueAccountRead {
  positions: PositionDef[];
  summaries: AccountSummary[];
}

/**
 * Where a venue's own user streams land (the orders desk): fills and venue cancels of the trading
 * account's orders, by our client order id (null when the venue's record carries none).
 */
export interface OwnOrderStreams {
  fill(clientId: string | null, fill: VenueFill): void;
  cancelled(clientId: string | null, status: string): void;
}

/** What a venue's registration gets from the engine. */
export interface VenueContext {
  bus: EventBus;
  now: () => number;
  paper: boolean;
}

export class VenueRegistry {
  private readonly venues = new Map<VenueId, VenueRegistration>();

  register(venue: VenueRegistration): void {
    if (this.venues.has(venue.id)) throw new Error(`venue ${venue.id} is registered twice`);
    this.venues.set(venue.id, venue);
  }

  get(id: VenueId): VenueRegistration | undefined {
    return this.venues.get(id);
  }

  all(): VenueRegistration[] {
    return [...this.venues.values()];
  }

  /** Every venue offering a capability, with it. */
  having<K extends keyof VenueRegistration>(capability: K): (VenueRegistration & Required<Pick<VenueRegistration, K>>)[] {
    return this.all().filter((v) => v[capability] !== undefined) as (VenueRegistration & Required<Pick<VenueRegistration, K>>)[];
  }

  statuses(): VenueStatus[] {
    return this.all().map((v) => v.marketData.status());
  }

  async start(): Promise<void> {
    await Promise.all(this.all().map(async (v) => v.marketData.start()));
  }

  stop(): void {
    for (const v of this.all()) v.marketData.stop();
  }
}
