import type {
  AccountSummary,
  Collateral,
  LadderInputs,
  LadderMarker,
  LadderSnapshot,
  LinearPositionDef,
  LadderSpec,
  NewPosition,
  Numeraire,
  PortfolioSnapshot,
  PositionDef,
  RiskInput,
} from '../../../shared/domain/portfolio.ts';
import type { AutoHedgeConfig } from '../../../shared/domain/hedge.ts';
import type { StreamFrame } from '../../../shared/stream/frame.ts';
import type { PerpAccount } from '../../venues/hyperliquid/account.ts';
import type { DeribitAccount } from '../../venues/deribit/market-data.ts';
import type { VenueAccountRead } from '../venues/registry.ts';
import { deribitCollateral, deribitSummary, normaliseDeribitPosition } from '../../venues/deribit/positions.ts';
import type { FramePart } from '../market/market-state.ts';
import { parsePositionsCsv, type CsvRowError } from './csv-positions.ts';
import { computeLadder, ladderPrices } from './ladder.ts';
import type { MarketView } from './market-view.ts';
import { pricePosition, underlyingTotals, type PricedPosition } from './position-risk.ts';
import { deribitLiquidation, marginsAt } from '../risk/deribit-margin.ts';
import type { AaveMarginInput, MarginCallLevels } from '../risk/ladder-margin.ts';
import { deribitLegs, LadderMarginCache } from './ladder-margin-cache.ts';
import { distanceTo } from '../../../shared/domain/liquidation.ts';

/** How long a Deribit account's margin model and liquidation search stand while nothing held changed, ms. */
const DERIBIT_MODEL_REFRESH_MS = 1_000;
import { defaultSettings, portfolioSettingsFile, type PortfolioSettings } from './portfolio-settings.ts';
import type { SettingsFile } from '../../storage/settings-file.ts';

export interface PortfolioDeskOptions {
  view: MarketView;
  /** Folder for portfolio.json; null keeps settings in memory (said so on screen). */
  dataDir: string | null;
  paper: boolean;
  /** The simulator's Hyperliquid paper account, watched by default in paper mode. */
  paperAddress: string | null;
  /** Starts or changes the Hyperliquid accounts the venue adapter streams. */
  watchHyperliquid(addresses: string[]): void;
  /** Reads Deribit positions; null when no key is configured. */
  readDeribit: (() => Promise<DeribitAccount[]>) | null;
  deribitAccountLabel: string;
  deribitPollMs?: number;
  /** Venues that report their account in the portfolio's terms (registry `accountPositions`), polled with Deribit's. */
  venueAccounts?: () => { venue: string; read: () => Promise<VenueAccountRead> }[];
  /** Accounts read elsewhere (Aave), shown and monitored beside the venues'. */
  otherAccounts?: () => AccountSummary[];
  /** Aave accounts as the ladder's margin columns revalue them, per underlying. */
  aaveMargins?: (underlying: string) => AaveMarginInput[];
  /** Where the trader's margin alerts turn to a warning: the ladder's margin-call markers. */
  marginCallLevels?: () => MarginCallLevels;
  changed(): void;
}

/** Ladder inputs kept so a displayed ladder can be recomputed independently (tests, audits). */
const INPUT_HISTORY = 240;
/** How often the payoff curves are recomputed while only the market moves (the chart redraws at 4 Hz). */
const PAYOFF_REFRESH_MS = 250;

/**
 * The portfolio: positions from every source (Hyperliquid accounts, Deribit, CSV imports, what-ifs),
 * priced against the live market whenever it moves, with totals per underlying and one Greeks
 * ladder per underlying. Risk is recomputed at most once per published frame, only when something
 * it depends on changed.
 */
export class PortfolioDesk implements FramePart {
  private settings: PortfolioSettings;
  private readonly file: SettingsFile<PortfolioSettings>;
  private readonly perpAccounts = new Map<string, PerpAccount | { address: string; error: string; at: number }>();
  private deribitPositions: PositionDef[] = [];
  private deribitSummaries: AccountSummary[] = [];
  private deribitCollateral: Collateral[] = [];
  private deribitError: { message: string; at: number } | null = null;
  /** Per venue reporting in the portfolio's terms: its last good read, and why the latest failed. */
  private readonly venueReads = new Map<string, { read: VenueAccountRead | null; error: { message: string; at: number } | null }>();
  /** Our margin and liquidation prices per Deribit account, from the last pricing of the book. */
  private readonly deribitModel = new Map<string, NonNullable<AccountSummary['model']>>();
  /** What each account's model was computed from, and when. */
  private readonly deribitModelKey = new Map<string, { key: string; at: number }>();
  private whatIfs: PositionDef[] = [];
  private readonly notices: string[] = [];
  private marketMoved = true;
  private positionsChanged = true;
  private readonly inputs: LadderInputs[] = [];
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private whatIfSeq = 0;
  private readonly payoffs = new Map<string, { at: number; payoff: LadderSnapshot['payoff'] }>();
  private readonly margins = new LadderMarginCache();
  private readonly o: PortfolioDeskOptions;

  private readonly tradingAccounts = new Set<string>();

  constructor(options: PortfolioDeskOptions) {
    this.o = options;
    this.file = portfolioSettingsFile(options.dataDir);
    this.settings = defaultSettings(options.paper, options.paperAddress);
  }

  async start(): Promise<void> {
    const { settings, notice } = await this.file.load(this.settings);
    this.settings = settings;
    if (notice) this.notices.push(notice);
    this.watch();
    if (this.o.readDeribit || this.o.venueAccounts) {
      const poll = (): void => {
        if (this.o.readDeribit) void this.pollDeribit();
        void this.pollVenues();
      };
      this.pollTimer = setInterval(poll, this.o.deribitPollMs ?? 3000);
      poll();
    }
    this.positionsChanged = true;
    this.o.changed();
  }

  stop(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  // ---- inputs ---------------------------------------------------------------------------------

  /** Spot, a mark or an option quote moved: revalue at the next frame if anything is held. */
  marketChanged(): void {
    if (this.marketMoved) return;
    this.marketMoved = true;
    if (this.holdsPositions()) this.o.changed();
  }

  perpAccount(update: PerpAccount | { address: string; error: string }): void {
    this.perpAccounts.set(update.address, 'error' in update ? { ...update, at: this.o.view.now() } : update);
    this.touchPositions();
  }

  /** Reads the Deribit account now (one of our Deribit orders filled): no wait for the next poll. */
  refreshDeribit(): Promise<void> {
    return this.o.readDeribit ? this.pollDeribit() : Promise.resolve();
  }

  private async pollDeribit(): Promise<void> {
    try {
      const accounts = await this.o.readDeribit!();
      const positions: PositionDef[] = [];
      const summaries: AccountSummary[] = [];
      const collateral: Collateral[] = [];
      const now = this.o.view.now();
      for (const a of accounts) {
        summaries.push(deribitSummary(this.o.deribitAccountLabel, a.summary, this.o.view.spot(a.currency), now));
        collateral.push(deribitCollateral(this.o.deribitAccountLabel, a.summary, a.positions));
        for (const p of a.positions) {
          const def = normaliseDeribitPosition(this.o.deribitAccountLabel, p);
          if (typeof def !== 'string') positions.push(def);
        }
      }
      this.deribitPositions = positions;
      this.deribitSummaries = summaries;
      this.deribitCollateral = collateral;
      this.deribitError = null;
    } catch (err) {
      // Keep the last positions read: a dropped link must not make the book look flat.
      this.deribitError = { message: (err as Error).message, at: this.o.view.now() };
    }
    this.touchPositions();
  }

  /** Reads every venue that reports its account itself; a failed read keeps the last positions (a drop must not look flat). */
  async pollVenues(): Promise<void> {
    const readers = this.o.venueAccounts?.() ?? [];
    await Promise.all(
      readers.map(async ({ venue, read }) => {
        const last = this.venueReads.get(venue) ?? { read: null, error: null };
        try {
          this.venueReads.set(venue, { read: await read(), error: null });
        } catch (err) {
          this.venueReads.set(venue, { read: last.read, error: { message: (err as Error).message, at: this.o.view.now() } });
        }
      }),
    );
    if (readers.length) this.touchPositions();
  }

  importCsv(text: string, fileName: string, replace: boolean): { loaded: number; errors: CsvRowError[] } {
    const parsed = parsePositionsCsv(text, fileName);
    if (parsed.positions.length || replace) {
      const kept = replace ? [] : this.settings.imported.filter((p) => !parsed.positions.some((n) => n.id === p.id));
      this.settings = { ...this.settings, imported: [...kept, ...parsed.positions] };
      void this.file.save(this.settings);
      this.touchPositions();
    }
    return { loaded: parsed.positions.length, errors: parsed.errors };
  }

  removeImported(id: string | null): number {
    const before = this.settings.imported.length;
    this.settings = { ...this.settings, imported: id === null ? [] : this.settings.imported.filter((p) => p.id !== id) };
    void this.file.save(this.settings);
    this.touchPositions();
    return before - this.settings.imported.length;
  }

  setHyperliquidAddresses(addresses: string[]): void {
    const unique = [...new Set(addresses.map((a) => a.toLowerCase()))];
    this.settings = { ...this.settings, hyperliquidAddresses: unique };
    void this.file.save(this.settings);
    this.watch();
  }

  /** The account orders are placed for is always watched, whether or not the trader listed it. */
  addTradingAccount(address: string): void {
    const a = address.toLowerCase();
    if (this.tradingAccounts.has(a)) return;
    this.tradingAccounts.add(a);
    this.watch();
  }

  private watch(): void {
    const all = [...new Set([...this.settings.hyperliquidAddresses, ...this.tradingAccounts])];
    for (const a of this.perpAccounts.keys()) if (!all.includes(a)) this.perpAccounts.delete(a);
    this.o.watchHyperliquid(all);
    this.touchPositions();
  }

  /**
   * One of our fills, applied to the account's position at once, so positions, ladder and totals
   * follow it in the next frame instead of at the venue's next account push (which then replaces
   * this estimate with the venue's own figures). Size in coins, signed (+ bought).
   */
  applyFill(address: string, coin: string, signed: number, price: number, at: number): void {
    const account = this.perpAccounts.get(address.toLowerCase());
    if (!account || !('positions' in account)) return;
    // The venue's account state already counts a fill made at or before its own time (it can
    // arrive before our fill event does); adding it again would double the position.
    if (account.venueTime !== undefined && account.venueTime >= at) return;
    const instrument = `${coin}-PERP`;
    const positions = [...account.positions];
    const i = positions.findIndex((p) => p.instrument === instrument);
    if (i < 0) {
      positions.push({ id: `hyperliquid:${account.address}:${instrument}`, source: 'hyperliquid', account: account.address, underlying: coin, instrument, type: 'perp', quantity: signed, entryPrice: price });
    } else {
      const p = positions[i]!;
      const q = p.quantity + signed;
      const grows = Math.sign(signed) === Math.sign(p.quantity);
      const entryPrice = grows ? (p.entryPrice * p.quantity + price * signed) / q : Math.sign(q) === Math.sign(p.quantity) ? p.entryPrice : price;
      if (Math.abs(q) < 1e-12) positions.splice(i, 1);
      else positions[i] = { ...p, quantity: q, entryPrice };
    }
    this.perpAccounts.set(account.address, { ...account, positions });
    this.touchPositions();
  }

  /**
   * A hypothetical position, entered at today's model price; it lives only in this session (the
   * host remembers it across an engine restart and hands it back with `restoreWhatIf`).
   */
  addWhatIf(def: NewPosition): { id: string; entry: number } {
    const id = `what-if:session:${++this.whatIfSeq}`;
    const full = { ...def, id, source: 'what-if', account: 'session' } as PositionDef;
    const { row } = pricePosition(full, this.o.view, this.o.view.now());
    if (row.problem) throw new Error(row.problem);
    if (full.type === 'option') full.entryPremium = row.mark;
    else full.entryPrice = row.mark;
    this.whatIfs.push(full);
    this.touchPositions();
    return { id, entry: row.mark };
  }

  /** A what-if from before an engine restart, with its id and entry price unchanged. */
  restoreWhatIf(id: string, def: NewPosition, entry: number): void {
    const full = { ...def, id, source: 'what-if', account: 'session' } as PositionDef;
    if (full.type === 'option') full.entryPremium = entry;
    else full.entryPrice = entry;
    this.whatIfs = [...this.whatIfs.filter((p) => p.id !== id), full];
    const seq = Number(/^what-if:session:(\d+)$/.exec(id)?.[1] ?? 0);
    this.whatIfSeq = Math.max(this.whatIfSeq, seq);
    this.touchPositions();
  }

  removeWhatIf(id: string | null): void {
    this.whatIfs = id === null ? [] : this.whatIfs.filter((p) => p.id !== id);
    this.touchPositions();
  }

  get numeraire(): Numeraire {
    return this.settings.numeraire;
  }

  setNumeraire(numeraire: Numeraire): Promise<void> {
    if (numeraire === this.settings.numeraire) return Promise.resolve();
    this.settings = { ...this.settings, numeraire };
    this.touchPositions();
    return this.file.save(this.settings);
  }

  /** Hedge-to-target settings per underlying, saved with the portfolio. */
  hedgeTargets(): PortfolioSettings['hedgeTargets'] {
    return this.settings.hedgeTargets;
  }

  setHedgeTarget(underlying: string, target: PortfolioSettings['hedgeTargets'][string]): void {
    this.settings = { ...this.settings, hedgeTargets: { ...this.settings.hedgeTargets, [underlying]: target } };
    void this.file.save(this.settings);
  }

  autoHedge(): AutoHedgeConfig[] {
    return this.settings.autoHedge;
  }

  setAutoHedge(configs: AutoHedgeConfig[]): void {
    this.settings = { ...this.settings, autoHedge: configs };
    void this.file.save(this.settings);
  }

  /** Underlyings the book holds (positions or collateral). */
  underlyings(): string[] {
    return [...new Set([...this.allPositions().map((p) => p.underlying), ...this.deribitCollateral.map((c) => c.underlying)])].sort();
  }

  /** Coin collateral as last read from the venues. */
  collateral(): Collateral[] {
    return this.deribitCollateral;
  }

  setLadder(spec: LadderSpec): void {
    const { underlying, ...layout } = spec;
    this.settings = { ...this.settings, ladders: { ...this.settings.ladders, [underlying]: layout } };
    void this.file.save(this.settings);
    this.touchPositions();
  }

  ladderInputs(underlying: string, computedAt: number): LadderInputs | null {
    return this.inputs.find((i) => i.spec.underlying === underlying && i.computedAt === computedAt) ?? null;
  }

  private touchPositions(): void {
    this.positionsChanged = true;
    this.o.changed();
  }

  /** The watched accounts' perps as last read (or as moved by our own fills since). */
  perpPositions(): LinearPositionDef[] {
    const perps: LinearPositionDef[] = [];
    for (const a of this.perpAccounts.values()) if ('positions' in a) perps.push(...a.positions);
    return perps;
  }

  private allPositions(): PositionDef[] {
    return [...this.perpPositions(), ...this.deribitPositions, ...[...this.venueReads.values()].flatMap((v) => v.read?.positions ?? []), ...this.settings.imported, ...this.whatIfs];
  }

  /** Whether anything is held, without building the list: asked on every tick and every frame. */
  private holdsPositions(): boolean {
    if (this.deribitPositions.length || [...this.venueReads.values()].some((v) => v.read?.positions.length) || this.deribitCollateral.length || this.settings.imported.length || this.whatIfs.length) return true;
    for (const a of this.perpAccounts.values()) if ('positions' in a && a.positions.length) return true;
    return false;
  }

  // ---- output ---------------------------------------------------------------------------------

  get dirty(): boolean {
    return this.positionsChanged || (this.marketMoved && this.holdsPositions());
  }

  contribute(frame: StreamFrame): void {
    const { portfolio, ladders } = this.recompute();
    frame.portfolio = portfolio;
    frame.ladders = ladders;
  }

  /** A new screen gets everything at the next frame. */
  republish(): void {
    this.touchPositions();
  }

  /**
   * The book's risk now — positions priced and the totals per underlying — whenever a hedger or
   * a monitor asks, not only when a frame is built. It leaves the frame's own bookkeeping alone.
   */
  riskNow(): Pick<PortfolioSnapshot, 'computedAt' | 'positions' | 'totals' | 'numeraire'> {
    const { now, rows, totals } = this.priceBook();
    return { computedAt: now, positions: rows, totals, numeraire: this.settings.numeraire };
  }

  /** Every position priced now, and the totals per underlying (what-ifs priced, left out of the totals). */
  private priceBook(): { now: number; priced: ReturnType<typeof pricePosition>[]; rows: PortfolioSnapshot['positions']; totals: PortfolioSnapshot['totals'] } {
    const view = this.o.view;
    const now = view.now();
    const n = this.settings.numeraire;
    const priced = this.allPositions().map((d) => pricePosition(d, view, now, n));
    this.deribitLiquidations(priced, now);
    const rows = priced.map((p) => p.row);
    return { now, priced, rows, totals: underlyingTotals(rows.filter((r) => r.def.source !== 'what-if'), (u) => view.spot(u), this.deribitCollateral, n) };
  }

  /**
   * Deribit liquidates an account as a whole: each currency's price of liquidation (maintenance
   * margin reaching equity, the book revalued there) is shown on every Deribit position in it —
   * short puts included, which no venue figure gives.
   */
  private deribitLiquidations(priced: PricedPosition[], now: number): void {
    for (const s of this.deribitSummaries) {
      const currency = s.account.split(' ').at(-1)!;
      const spot = this.o.view.spot(currency);
      const mine = spot === null || s.equityUsd === null || s.error ? [] : priced.filter((p) => p.row.def.source === 'deribit' && p.row.def.underlying === currency && p.input !== null && !p.row.liquidation);
      if (!mine.length || spot === null || s.equityUsd === null) {
        this.deribitModel.delete(s.account);
        continue;
      }
      // The search revalues the whole book a few hundred times: it is redone when the positions or
      // the account read change, else at most once a second (every riskNow asks for it).
      const key = `${s.updatedAt}|${mine.map((p) => `${p.row.def.id}:${p.row.def.quantity}`).join(',')}`;
      let model = this.deribitModel.get(s.account);
      if (!model || this.deribitModelKey.get(s.account)?.key !== key || now - this.deribitModelKey.get(s.account)!.at >= DERIBIT_MODEL_REFRESH_MS) {
        const legs = deribitLegs(mine, currency);
        const { below, above } = deribitLiquidation(legs, s.equityUsd / spot, spot, now);
        const m = marginsAt(legs, s.equityUsd / spot, spot, now, 0);
        model = { initialUsd: m.initialCoin * spot, maintenanceUsd: m.maintenanceCoin * spot, liquidationBelow: below, liquidationAbove: above };
        this.deribitModel.set(s.account, model);
        this.deribitModelKey.set(s.account, { key, at: now });
      }
      const { liquidationBelow: below, liquidationAbove: above } = model;
      const at = below === null ? above : above === null ? below : spot - below <= above - spot ? below : above;
      if (at === null) continue;
      const vol = this.o.view.atmVol(currency);
      const d = distanceTo(at, spot, vol ?? 0);
      for (const p of mine) p.row.liquidation = { venuePrice: null, modelPrice: at, distancePct: d.pct, distanceUsd: d.usdPerCoin, distanceSigmas: vol === null ? null : d.dailySigmas };
    }
  }


  private recompute(): { portfolio: PortfolioSnapshot; ladders: LadderSnapshot[] } {
    // A position or layout change redraws the payoff at once; a market move reuses it for a moment.
    if (this.positionsChanged) this.payoffs.clear();
    this.marketMoved = false;
    this.positionsChanged = false;
    const { now, priced, rows, totals } = this.priceBook();
    const portfolio: PortfolioSnapshot = {
      computedAt: now,
      numeraire: this.settings.numeraire,
      positions: rows,
      totals,
      accounts: this.accounts(),
      notices: [...this.notices, ...(this.file.lastError ? [this.file.lastError] : [])],
      settingsFile: this.file.file,
    };
    const ladders = [...new Set([...rows.map((r) => r.def.underlying), ...this.deribitCollateral.map((c) => c.underlying)])].sort().flatMap((u) => {
      const ladder = this.ladder(u, priced, now);
      return ladder ? [ladder] : [];
    });
    return { portfolio, ladders };
  }

  /** Every account as last read, with its error if the last read failed. */
  accounts(): AccountSummary[] {
    const out: AccountSummary[] = [];
    for (const a of this.perpAccounts.values()) {
      out.push('summary' in a ? a.summary : { source: 'hyperliquid', account: a.address, equityUsd: null, marginUsedUsd: null, maintenanceUsd: null, updatedAt: a.at, error: a.error });
    }
    out.push(...this.deribitSummaries.map((s) => ({ ...s, ...(this.deribitModel.has(s.account) ? { model: this.deribitModel.get(s.account)! } : {}), ...(this.deribitError ? { error: this.deribitError.message } : {}) })));
    for (const [venue, v] of this.venueReads) {
      if (v.read?.summaries.length) out.push(...v.read.summaries.map((s) => (v.error ? { ...s, error: v.error.message } : s)));
      else if (v.error) out.push({ source: venue as AccountSummary['source'], account: venue, equityUsd: null, marginUsedUsd: null, maintenanceUsd: null, updatedAt: v.error.at, error: v.error.message });
    }
    out.push(...(this.o.otherAccounts?.() ?? []));
    if (this.deribitError && !this.deribitSummaries.length) {
      out.push({ source: 'deribit', account: this.o.deribitAccountLabel, equityUsd: null, marginUsedUsd: null, maintenanceUsd: null, updatedAt: this.deribitError.at, error: this.deribitError.message });
    }
    return out;
  }

  private specFor(underlying: string): LadderSpec {
    const saved = this.settings.ladders[underlying];
    if (saved) return { underlying, ...saved };
    const spot = this.o.view.spot(underlying) ?? 1;
    return { underlying, step: niceStep(spot * 0.01), rows: 41, volShift: 0, volStep: 5, days: 0, includeWhatIf: true };
  }

  private ladder(underlying: string, priced: PricedPosition[], now: number): LadderSnapshot | null {
    const spot = this.o.view.spot(underlying);
    if (spot === null) return null;
    const spec = this.specFor(underlying);
    const mine = priced.filter((p) => p.row.def.underlying === underlying && (spec.includeWhatIf || p.row.def.source !== 'what-if'));
    const positions = mine.flatMap((p): RiskInput[] => (p.input ? [p.input] : []));
    for (const c of this.deribitCollateral) if (c.underlying === underlying) positions.push({ id: `collateral:${c.account}`, type: 'cash', quantity: c.coins });
    const inputs: LadderInputs = { computedAt: now, spec, spot, positions, numeraire: this.settings.numeraire };
    this.inputs.push(inputs);
    if (this.inputs.length > INPUT_HISTORY) this.inputs.shift();
    const markers: LadderMarker[] = [];
    for (const p of mine) {
      const liq = p.row.liquidation;
      const at = liq?.venuePrice ?? liq?.modelPrice ?? null;
      if (at === null) continue;
      // A Deribit account liquidates whole: one marker for the account, not one per position in it.
      if (p.row.def.source === 'deribit') {
        if (!markers.some((m) => m.label === `Liq Deribit ${underlying} account`)) markers.push({ price: at, label: `Liq Deribit ${underlying} account`, kind: 'liquidation' });
      } else markers.push({ price: at, label: `Liq ${p.row.def.instrument} (${p.row.def.source})`, kind: 'liquidation' });
    }
    const margin = this.margins.forLadder(underlying, mine, ladderPrices(spot, spec.step, spec.rows), spot, now, {
      deribit: this.deribitSummaries,
      derive: [...this.venueReads.values()].flatMap((v) => v.read?.summaries.filter((a) => a.source === 'derive') ?? []),
      aave: this.o.aaveMargins?.(underlying) ?? [],
      levels: this.o.marginCallLevels?.() ?? { ratioPct: null, healthFactor: null },
    });
    markers.push(...margin.markers);
    const whatIfs = mine.filter((p) => p.row.def.source === 'what-if').length;
    const cached = this.payoffs.get(underlying);
    const reuse = cached && now - cached.at < PAYOFF_REFRESH_MS ? cached.payoff : null;
    const ladder = computeLadder(inputs, markers, { positions: mine.length - whatIfs, whatIfs }, reuse, margin.margins);
    if (!reuse) this.payoffs.set(underlying, { at: now, payoff: ladder.payoff });
    return ladder;
  }
}

/** 1, 2, 2.5 or 5 × a power of ten: ladder steps a trader reads at a glance. */
export function niceStep(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m < 1.5 ? 1 : m < 2.25 ? 2 : m < 3.5 ? 2.5 : m < 7.5 ? 5 : 10) * p;
}
