import { contractKey, F, ROW_FIELDS, ROW_STRIDE, rowIndex, type OptionContract, type OptionUnderlying, type PeerListing, type PeerQuote, type RowField } from '../../../shared/domain/options.ts';
import type { VenueId } from '../../../shared/domain/venues.ts';
import type { OptionTicker } from '../../venues/deribit/normalise.ts';
import { emptyGreeks, firstOrderInto } from '../pricing/black.ts';
import { MS_PER_YEAR } from '../risk/positions.ts';

const N = ROW_FIELDS.length;
const PEER_FIELDS = ROW_FIELDS.filter((f) => f.startsWith('peer'));
const scratch = emptyGreeks();

/**
 * The live options chain: one row of numbers per contract (layout ROW_FIELDS), updated in place from
 * venue tickers, with our own Black-76 Greeks computed beside the venue's. Rows that changed are
 * drained into the next stream frame. The same contract listed on another venue is the row's peer:
 * its quote sits in the row's `peer*` fields, in USD, so one row compares both pools.
 */
export class OptionsBoard {
  contracts: OptionContract[] = [];
  values = new Float64Array(0);
  version = 0;
  private byName = new Map<string, OptionContract>();
  private readonly dirtyRows = new Set<number>();
  /** Expiries (per underlying) whose quotes changed since their last surface fit. */
  readonly changedSlices = new Map<OptionUnderlying, Set<number>>();
  /** Underlyings whose quotes changed since their last mispricing scan. */
  readonly changedUnderlyings = new Set<OptionUnderlying>();
  private chainChanged = false;
  /** Peer venues' listings by contract key, and the chain's contract each peer name quotes into. */
  private readonly peerListings = new Map<string, PeerListing>();
  private byPeerName = new Map<string, OptionContract>();
  /**
   * Each peer option's latest quote, linked to a row or not: a peer venue sends a quote when it
   * moves (or reads it once on connecting), which may be before the chain lists its row or before a
   * new chain replaces the rows; the row takes it when it is linked, rather than staying blank.
   */
  private readonly peerQuotes = new Map<string, PeerQuote>();

  /**
   * A new listing (an expiry left, a new one joined): a contract still listed keeps its live values
   * on its new row, so the chain does not blank out until every ticker has come again.
   */
  setChain(contracts: OptionContract[]): void {
    const before = this.values;
    const oldRow = this.byName;
    this.contracts = contracts;
    this.byName = new Map(contracts.map((c) => [c.name, c]));
    this.values = new Float64Array(contracts.length * N).fill(NaN);
    for (const c of contracts) {
      const old = oldRow.get(c.name);
      if (old) this.values.set(before.subarray(old.row * N, old.row * N + N), c.row * N);
    }
    this.dirtyRows.clear();
    this.linkPeers();
    // A peer's quote comes only with its link (kept quotes are written by linkPeers).
    for (const c of contracts) if (!c.peer) for (const f of PEER_FIELDS) this.values[rowIndex(c.row, f)] = NaN;
    this.version++;
    this.chainChanged = true;
  }

  /**
   * Replaces what `venue` lists; returns whether any row's peer changed (the chain is then announced
   * again). A contract only one venue lists has no peer; a peer no longer listed loses its quote.
   */
  setPeers(venue: VenueId, listings: readonly PeerListing[]): boolean {
    for (const [k, l] of this.peerListings) if (l.venue === venue) this.peerListings.delete(k);
    for (const l of listings) this.peerListings.set(contractKey(l), l);
    const names = new Set(listings.map((l) => `${venue}:${l.name}`));
    for (const k of this.peerQuotes.keys()) if (k.startsWith(`${venue}:`) && !names.has(k)) this.peerQuotes.delete(k);
    if (!this.linkPeers()) return false;
    this.version++;
    this.chainChanged = true;
    return true;
  }

  private linkPeers(): boolean {
    let changed = false;
    this.byPeerName = new Map();
    for (const c of this.contracts) {
      const l = this.peerListings.get(contractKey(c));
      if (l?.name !== c.peer?.name || l?.venue !== c.peer?.venue) {
        changed = true;
        if (c.peer) this.clearPeer(c.row);
      }
      if (l) {
        const was = c.peer;
        c.peer = l;
        this.byPeerName.set(`${l.venue}:${l.name}`, c);
        const q = this.peerQuotes.get(`${l.venue}:${l.name}`);
        if (q && was !== l) this.writePeerQuote(c, q);
      } else delete c.peer;
    }
    return changed;
  }

  private clearPeer(row: number): void {
    for (const f of PEER_FIELDS) this.values[row * N + F[f] - 1] = NaN;
    this.dirtyRows.add(row);
  }

  /** Applies a peer venue's ticker to the row of the same contract; undefined when it has none. */
  applyPeerQuote(q: PeerQuote): OptionContract | undefined {
    const key = `${q.venue}:${q.name}`;
    this.peerQuotes.set(key, q);
    const c = this.byPeerName.get(key);
    if (!c) return undefined;
    this.writePeerQuote(c, q);
    return c;
  }

  private writePeerQuote(c: OptionContract, q: PeerQuote): void {
    const o = c.row * N - 1;
    const v = this.values;
    v[o + F.peerBid] = q.bidUsd;
    v[o + F.peerAsk] = q.askUsd;
    v[o + F.peerBidSize] = q.bidSize;
    v[o + F.peerAskSize] = q.askSize;
    v[o + F.peerMark] = q.markUsd;
    v[o + F.peerBidIv] = q.bidIv;
    v[o + F.peerAskIv] = q.askIv;
    v[o + F.peerMarkIv] = q.markIv;
    v[o + F.peerTime] = q.time;
    this.touched(c);
  }

  private touched(c: OptionContract): void {
    this.changedUnderlyings.add(c.underlying);
    this.dirtyRows.add(c.row);
    let slices = this.changedSlices.get(c.underlying);
    if (!slices) this.changedSlices.set(c.underlying, (slices = new Set()));
    slices.add(c.expiry);
  }

  contract(name: string): OptionContract | undefined {
    return this.byName.get(name);
  }

  /** The chain's contract a peer venue's option name quotes into (Derive's `BTC-20261225-100000-C`). */
  peerContract(venue: string, name: string): OptionContract | undefined {
    return this.byPeerName.get(`${venue}:${name}`);
  }

  get(row: number, field: RowField): number {
    return this.values[rowIndex(row, field)]!;
  }

  set(row: number, field: RowField, value: number): void {
    const i = rowIndex(row, field);
    if (this.values[i] === value) return;
    this.values[i] = value;
    this.dirtyRows.add(row);
  }

  /** Applies one ticker; returns the contract, or undefined for an option not in the chain. */
  applyTicker(t: OptionTicker): OptionContract | undefined {
    const c = this.byName.get(t.name);
    if (!c) return undefined;
    const o = c.row * N - 1;
    const v = this.values;
    v[o + F.bid] = t.bid;
    v[o + F.ask] = t.ask;
    v[o + F.bidSize] = t.bidSize;
    v[o + F.askSize] = t.askSize;
    v[o + F.mark] = t.mark;
    v[o + F.bidIv] = t.bidIv;
    v[o + F.askIv] = t.askIv;
    v[o + F.markIv] = t.markIv;
    v[o + F.forward] = t.forward;
    v[o + F.index] = t.index;
    v[o + F.openInterest] = t.openInterest;
    v[o + F.time] = t.time;
    v[o + F.receivedAt] = t.receivedAt;
    v[o + F.venueDelta] = t.venue?.delta ?? NaN;
    v[o + F.venueGamma] = t.venue?.gamma ?? NaN;
    v[o + F.venueVega] = t.venue?.vega ?? NaN;
    v[o + F.venueTheta] = t.venue?.theta ?? NaN;
    // Ours: Black-76 on the venue's forward at its mark IV, r = 0 (pricing.md §5), time to the
    // 08:00 UTC expiry from the venue's timestamp. Deribit's deltas are not premium-adjusted; the
    // net (premium-adjusted) delta is what a coin-margined book must hedge.
    const T = (c.expiry - t.time) / MS_PER_YEAR;
    if (T > 0 && t.markIv > 0 && t.forward > 0) {
      firstOrderInto(c.kind === 'call' ? 1 : -1, t.forward, c.strike, T, 0, 0, t.markIv, scratch);
      v[o + F.delta] = scratch.delta;
      v[o + F.deltaNet] = c.settlement === 'inverse' ? scratch.delta - scratch.price / t.forward : scratch.delta;
      v[o + F.gamma] = scratch.gamma;
      v[o + F.vega] = scratch.vega / 100;
      v[o + F.theta] = scratch.theta / 365;
    } else {
      v[o + F.delta] = v[o + F.deltaNet] = v[o + F.gamma] = v[o + F.vega] = v[o + F.theta] = NaN;
    }
    this.touched(c);
    return c;
  }

  get dirty(): boolean {
    return this.dirtyRows.size > 0 || this.chainChanged;
  }

  /** Changed rows packed as [row, ...fields] and whether the chain itself changed; clears both. */
  take(): { rows: Float64Array | null; chainVersion: number | null } {
    let rows: Float64Array | null = null;
    if (this.dirtyRows.size > 0) {
      rows = new Float64Array(this.dirtyRows.size * ROW_STRIDE);
      let o = 0;
      for (const r of this.dirtyRows) {
        rows[o] = r;
        rows.set(this.values.subarray(r * N, r * N + N), o + 1);
        o += ROW_STRIDE;
      }
      this.dirtyRows.clear();
    }
    const chainVersion = this.chainChanged ? this.version : null;
    this.chainChanged = false;
    return { rows, chainVersion };
  }

  /** A new screen gets every row that has a quote. */
  markAllDirty(): void {
    for (const c of this.contracts) if (!Number.isNaN(this.get(c.row, 'time')) || !Number.isNaN(this.get(c.row, 'peerTime'))) this.dirtyRows.add(c.row);
    this.chainChanged = true;
  }
}
