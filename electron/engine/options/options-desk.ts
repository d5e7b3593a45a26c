import { mispricingKey, type Mispricing, type OptionContract, type OptionUnderlying, type PeerListing, type PeerQuote, type SmileSlice, type SurfaceSnapshot } from '../../../shared/domain/options.ts';
import type { VenueId } from '../../../shared/domain/venues.ts';
import type { BookUpdate, StreamFrame } from '../../../shared/stream/frame.ts';
import { packBook } from '../../../shared/stream/packed-book.ts';
import type { EngineEvents } from '../bus.ts';
import type { OptionTicker } from '../../venues/deribit/normalise.ts';
import type { DeribitBook } from '../../venues/deribit/order-book.ts';
import { carrySince, findMispricings, DEFAULT_RULES, type MispricingRules } from './mispricing.ts';
import { OptionsBoard } from './options-board.ts';
import { fitSlice, writeFitIvs } from './surface-fit.ts';

export interface OptionsDeskOptions {
  now: () => number;
  /** How often changed smiles are refitted, ms. */
  refitIntervalMs?: number;
  /**
   * How often changed quotes are scanned between refits, ms: a cross-venue edge needs no fit, so it
   * is listed within this of its ticker; off-surface findings use the last fit until the next one.
   */
  scanIntervalMs?: number;
  rules?: MispricingRules;
  /** Called whenever there is something new for the next frame. */
  changed: () => void;
}

const BOOK_DEPTH = 10;

/**
 * The options side of the engine: the chain board, one fitted SVI surface per underlying, and the
 * mispricing list. Refits run off the tick path: a timer collects the smiles whose quotes changed
 * and fits one per macrotask, so tickers keep flowing between fits.
 */
export class OptionsDesk {
  readonly board = new OptionsBoard();
  readonly surfaces = new Map<OptionUnderlying, Map<number, SmileSlice>>();
  readonly mispricings = new Map<OptionUnderlying, Mispricing[]>();
  private readonly dirtySurfaces = new Set<OptionUnderlying>();
  private readonly dirtyMispricings = new Set<OptionUnderlying>();
  private focused: string | null = null;
  private focusedBook: BookUpdate | null = null;
  /** The focused contract on its peer venue (Derive), whose book streams beside Deribit's. */
  focusedPeer: { venue: VenueId; name: string } | null = null;
  private focusedPeerBook: BookUpdate | null = null;
  /** The latest book of every peer option streamed (the cursor's and those held), USD per contract. */
  private readonly peerBooks = new Map<string, EngineEvents['peer-book']>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private scanTimer: ReturnType<typeof setInterval> | null = null;
  private fitting = false;
  fits = 0;
  fitFailures = 0;
  lastFitError = '';
  private readonly o: OptionsDeskOptions;

  constructor(options: OptionsDeskOptions) {
    this.o = options;
  }

  start(): void {
    this.timer = setInterval(() => this.refit(), this.o.refitIntervalMs ?? 500);
    this.scanTimer = setInterval(() => this.rescanChanged(), this.o.scanIntervalMs ?? 100);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.scanTimer) clearInterval(this.scanTimer);
    this.timer = this.scanTimer = null;
  }

  /** Scans the underlyings whose quotes moved (not while a refit is under way: it scans when done). */
  rescanChanged(): void {
    if (this.fitting) return;
    let any = false;
    for (const u of this.board.changedUnderlyings) {
      // Nothing is listed before the first fit (the screen says "waiting for a fit").
      if (!this.surfaces.has(u)) continue;
      this.scan(u);
      this.board.changedUnderlyings.delete(u);
      any = true;
    }
    if (any) this.o.changed();
  }

  setChain(contracts: OptionContract[]): void {
    this.board.setChain(contracts);
    this.surfaces.clear();
    this.mispricings.clear();
    this.o.changed();
  }

  ticker(t: OptionTicker): void {
    if (this.board.applyTicker(t)) this.o.changed();
  }

  /** Another venue's listing: its options join the chain's rows as peers of the same contracts. */
  setPeers(venue: VenueId, listings: readonly PeerListing[]): void {
    if (this.board.setPeers(venue, listings)) this.o.changed();
  }

  peerQuote(q: PeerQuote): void {
    if (this.board.applyPeerQuote(q)) this.o.changed();
  }

  book(name: string, book: DeribitBook, receivedAt: number): void {
    if (name !== this.focused) return;
    this.focusedBook = { instrumentId: `deribit:${name}`, time: book.time, receivedAt, levels: book.pack(BOOK_DEPTH) };
    this.o.changed();
  }

  /** The option whose book the screen shows; only its book travels in frames. */
  focus(name: string | null, current?: DeribitBook): void {
    this.focused = name;
    this.focusedBook = null;
    const peer = name ? this.board.contract(name)?.peer : undefined;
    this.focusedPeer = peer ? { venue: peer.venue, name: peer.name } : null;
    this.focusedPeerBook = null;
    if (name && current) this.book(name, current, performance.timeOrigin + performance.now());
  }

  /**
   * A peer venue's option book (USD per contract, as the venue quotes it): kept for the unwind
   * (peerDepth), and sent to the screen when it is the focused contract's.
   */
  peerBook(b: EngineEvents['peer-book']): void {
    this.peerBooks.set(`${b.venue}:${b.name}`, b);
    const f = this.focusedPeer;
    if (!f || b.venue !== f.venue || b.name !== f.name) return;
    const level = (l: { price: number; size: number }) => ({ price: l.price, size: l.size, orders: 0 });
    this.focusedPeerBook = { instrumentId: `${b.venue}:${b.name}`, time: b.time, receivedAt: b.receivedAt, levels: packBook(b.bids.slice(0, BOOK_DEPTH).map(level), b.asks.slice(0, BOOK_DEPTH).map(level)) };
    this.o.changed();
  }

  /** A peer option's latest streamed book if it arrived within `maxAgeMs` (performance-clock ms), else null. */
  peerDepth(venue: string, name: string, maxAgeMs: number): EngineEvents['peer-book'] | null {
    const b = this.peerBooks.get(`${venue}:${name}`);
    return b && performance.timeOrigin + performance.now() - b.receivedAt <= maxAgeMs ? b : null;
  }

  snapshot(underlying: OptionUnderlying): SurfaceSnapshot {
    const slices = [...(this.surfaces.get(underlying)?.values() ?? [])].sort((a, b) => a.expiry - b.expiry);
    return { underlying, fittedAt: this.o.now(), slices };
  }

  get dirty(): boolean {
    return this.board.dirty || this.dirtySurfaces.size > 0 || this.dirtyMispricings.size > 0 || this.focusedBook !== null || this.focusedPeerBook !== null;
  }

  /** Adds what changed to the frame and clears it. */
  contribute(frame: StreamFrame): void {
    const { rows, chainVersion } = this.board.take();
    if (rows) frame.optionRows = rows;
    if (chainVersion !== null) frame.chainVersion = chainVersion;
    if (this.dirtySurfaces.size) frame.surfaces = [...this.dirtySurfaces].map((u) => this.snapshot(u));
    if (this.dirtyMispricings.size) frame.mispricings = [...this.dirtyMispricings].map((u) => ({ underlying: u, items: this.mispricings.get(u) ?? [] }));
    if (this.focusedBook) frame.books.push(this.focusedBook);
    if (this.focusedPeerBook) frame.books.push(this.focusedPeerBook);
    this.dirtySurfaces.clear();
    this.dirtyMispricings.clear();
    this.focusedBook = null;
    this.focusedPeerBook = null;
  }

  /** A new screen gets the whole chain, surfaces and lists. */
  republish(): void {
    this.board.markAllDirty();
    for (const u of this.surfaces.keys()) this.dirtySurfaces.add(u);
    for (const u of this.mispricings.keys()) this.dirtyMispricings.add(u);
    this.o.changed();
  }

  /** Refits the changed smiles, one per macrotask, then rescans the touched underlyings. */
  refit(): void {
    if (this.fitting) return;
    const queue: [OptionUnderlying, number][] = [];
    for (const [u, expiries] of this.board.changedSlices) {
      for (const e of expiries) queue.push([u, e]);
      expiries.clear();
    }
    if (queue.length === 0) return;
    this.fitting = true;
    const touched = new Set<OptionUnderlying>();
    const next = (): void => {
      const item = queue.shift();
      if (!item) {
        for (const u of touched) {
          this.scan(u);
          this.board.changedUnderlyings.delete(u);
        }
        this.fitting = false;
        this.o.changed();
        return;
      }
      this.fitOne(item[0], item[1]);
      touched.add(item[0]);
      setImmediate(next);
    };
    next();
  }

  private fitOne(underlying: OptionUnderlying, expiry: number): void {
    const contracts = this.board.contracts.filter((c) => c.underlying === underlying && c.expiry === expiry);
    if (contracts.length === 0) return;
    try {
      const slice = fitSlice(this.board, contracts, this.o.now());
      if (!slice) return;
      let map = this.surfaces.get(underlying);
      if (!map) this.surfaces.set(underlying, (map = new Map<number, SmileSlice>()));
      map.set(expiry, slice);
      writeFitIvs(this.board, contracts, slice);
      this.dirtySurfaces.add(underlying);
      this.fits++;
    } catch (err) {
      // One smile that will not fit keeps its last good slice; the others carry on.
      this.fitFailures++;
      this.lastFitError = `${underlying} ${new Date(expiry).toISOString().slice(0, 10)}: ${(err as Error).message}`;
    }
  }

  private scan(underlying: OptionUnderlying): void {
    const contracts = this.board.contracts.filter((c) => c.underlying === underlying);
    const now = this.o.now();
    const before = this.mispricings.get(underlying);
    const found = findMispricings(this.board, underlying, contracts, now, this.o.rules ?? DEFAULT_RULES);
    carrySince(before, found);
    const same = before !== undefined && before.length === found.length && before.every((m, i) => mispricingKey(m) === mispricingKey(found[i]!) && Math.abs(m.edge - found[i]!.edge) < 0.05 && m.size === found[i]!.size);
    this.mispricings.set(underlying, found);
    // The first scan is published even when empty (the screen then says "0 found"), later ones on change.
    if (!same) this.dirtyMispricings.add(underlying);
  }
}
