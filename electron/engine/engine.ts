import path from 'node:path';
import type { CommandName } from '../../shared/contract/commands.ts';
import { fail, type CommandResult } from '../../shared/contract/result.ts';
import { COMMANDS } from '../../shared/contract/commands.ts';
import { describeCommand } from '../../shared/contract/command-words.ts';
import { validateRequest, validateResponse } from '../../shared/contract/validate.ts';
import type { DeribitCredentials, DeribitMarketDataOptions } from '../venues/deribit/market-data.ts';
import type { HyperliquidMarketDataOptions } from '../venues/hyperliquid/market-data.ts';
import type { DeriveMarketDataOptions } from '../venues/derive/market-data.ts';
import { perpInstrumentId } from '../venues/hyperliquid/instruments.ts';
import { EventBus } from './bus.ts';
import type { AnyEngineHandler, EngineCommand } from './commands/handlers.ts';
import { marketCommands } from './commands/market-commands.ts';
import { healthCommands } from './commands/health-commands.ts';
import { LoopDelayMonitor } from '../../shared/perf/loop-delay.ts';
import { optionsCommands } from './commands/options-commands.ts';
import { ordersCommands } from './commands/orders-commands.ts';
import { portfolioCommands, whatIfDef } from './commands/portfolio-commands.ts';
import { aaveSignedSchema, hyperliquidAccountSchema, signedSchema, type SignAnswer, type SignRequest } from './host-protocol.ts';
import { EngineJournal } from './journal/journal-db.ts';
import { MarketState } from './market/market-state.ts';
import { ArbDesk } from './options/arb-desk.ts';
import { OptionsDesk } from './options/options-desk.ts';
import { OrdersDesk } from './orders/orders-desk.ts';
import { EngineMarketView } from './portfolio/market-view.ts';
import { arbCommands } from './commands/arb-commands.ts';
import { hedgeCommands } from './commands/hedge-commands.ts';
import { HedgeDesk } from './hedge/hedge-desk.ts';
import { AutoHedger, AUTO_HEDGE_CHECK_MS } from './hedge/auto-hedger.ts';
import { alertsCommands } from './commands/alerts-commands.ts';
import { divestCommands } from './commands/divest-commands.ts';
import { DivestDesk, type DivestTuning } from './divest/divest-desk.ts';
import { divestWorld } from './divest/divest-world.ts';
import { DeadManSwitch } from './divest/dead-man.ts';
import { ProtectiveStops } from './orders/protective-stops.ts';
import { HyperliquidExecution } from '../venues/hyperliquid/execution.ts';
import { TERMINAL } from '../../shared/domain/orders.ts';
import type { Instrument } from '../../shared/domain/instruments.ts';
import { MonitorDesk } from './monitor/monitor-desk.ts';
import { PROTOCOL_RULES, type Alert } from '../../shared/domain/alerts.ts';
import { protocolReadings } from './monitor/protocol-readings.ts';
import { PortfolioDesk } from './portfolio/portfolio-desk.ts';
import { AaveWatch } from './portfolio/aave-watch.ts';
import type { AaveMarketRef } from '../venues/aave/aave-reader.ts';
import { AaveWriter } from '../venues/aave/aave-writer.ts';
import { MAX_FEE_GWEI } from '../venues/aave/aave-abi.ts';
import { Publisher, type FrameSink, type MeteredSink } from './publisher.ts';
import { deribitVenue } from './venues/deribit-venue.ts';
import { deriveVenue } from './venues/derive-venue.ts';
import { hyperliquidVenue } from './venues/hyperliquid-venue.ts';
import { VenueRegistry, type VenueContext } from './venues/registry.ts';

export interface VenueEndpoints {
  httpUrl: string;
  wsUrl: string;
}

/** Levels per side of a Deribit perpetual's book sent to the screen. */
const PERP_BOOK_DEPTH = 20;

export interface EngineConfig {
  mode: 'paper' | 'live';
  hyperliquid: VenueEndpoints;
  /** Adapter tuning (tests shorten heartbeats and staleness). */
  hyperliquidOptions?: Partial<HyperliquidMarketDataOptions>;
  /** Deribit options market data; with credentials also read-only positions. */
  deribit?: { wsUrl: string; credentials?: DeribitCredentials; /** Deribit on the simulator (its badge says SIM); default: follows `mode`. */ paper?: boolean };
  deribitOptions?: Partial<DeribitMarketDataOptions>;
  /** Derive's options market data, quoted beside Deribit's in the chain; `paper`: on the simulator (SIM badge). */
  derive?: { wsUrl: string; paper?: boolean };
  deriveOptions?: Partial<DeriveMarketDataOptions>;
  /** How often changed smiles are refitted, ms. */
  refitIntervalMs?: number;
  publishIntervalMs?: number;
  now?: () => number;
  /** How often armed auto-hedgers check (tests shorten it), ms. */
  autoHedgeCheckMs?: number;
  /** Folder for the portfolio's settings file and the journal; null or absent keeps them in memory. */
  dataDir?: string | null;
  /** Paper mode: the simulator's Hyperliquid account, watched by default. */
  paperAddress?: string | null;
  /** Asks main to sign a venue action (the execution clients' only way to a signature). */
  sign?: (request: SignRequest) => Promise<SignAnswer>;
  deribitPollMs?: number;
  /** Executor tuning (tests shorten the waits after a lost answer). */
  executor?: { statusDelayMs?: number; statusAttempts?: number };
  /** How long a venue action's answer is awaited before its outcome counts as unknown, ms (tests). */
  actionTimeoutMs?: number;
  /** A critical alert was raised or escalated: the host raises a desktop notification. */
  notify?: (alert: Alert) => void;
  /** How often the alert rules are judged (tests shorten it), ms. */
  monitorEvaluateMs?: number;
  /** How long a top-up may take to show in the account (tests shorten it), ms. */
  topUpVerifyMs?: number;
  /** An Aave v3 market and the accounts on it to watch (paper: the local market's borrower). */
  aave?: { market: AaveMarketRef; accounts: string[]; pollMs?: number };
  /** Kill-switch tuning (tests shorten the waits). */
  divest?: Partial<DivestTuning>;
  /** Hyperliquid's dead-man switch: how far ahead and how often (tests shorten them), ms. */
  deadMan?: { horizonMs?: number; checkMs?: number };
  /** How often the protective stops are checked at the venue (tests shorten it), ms. */
  stopsCheckMs?: number;
}

/**
 * The engine, as a composition root: venues are registrations that publish onto one typed bus;
 * the market state, the options, portfolio and orders desks subscribe to it; commands are
 * answered by one handler map per namespace. It imports nothing from Electron, so the same
 * object runs in a utility process, a worker thread or a test.
 */
export class Engine {
  readonly bus = new EventBus();
  readonly venues = new VenueRegistry();
  readonly state = new MarketState();
  readonly publisher: Publisher;
  readonly options: OptionsDesk;
  readonly portfolio: PortfolioDesk;
  readonly orders: OrdersDesk;
  readonly hedge: HedgeDesk;
  readonly arb: ArbDesk;
  readonly autoHedger: AutoHedger;
  readonly monitor: MonitorDesk;
  readonly aave: AaveWatch | null;
  readonly divest: DivestDesk;
  /** How late this thread's event loop runs (engine.health). */
  readonly loop = new LoopDelayMonitor();
  readonly deadMan: DeadManSwitch | null;
  readonly stops: ProtectiveStops | null;
  private readonly view: EngineMarketView;
  readonly journal: EngineJournal | null;
  /** Why the journal found on disk was not used (kept beside it), or null. */
  readonly journalDamaged: string | null;
  private readonly handlers: Record<EngineCommand, AnyEngineHandler>;

  private readonly config: EngineConfig;

  constructor(config: EngineConfig) {
    this.config = config;
    const now = config.now ?? Date.now;
    const changed = (): void => this.publisher.changed();
    this.publisher = new Publisher(this.state, config.publishIntervalMs ?? 16, now);
    this.publisher.onNeedsWholeState = () => this.republish();
    ({ journal: this.journal, damaged: this.journalDamaged } = openJournal(config.dataDir ?? null, now));

    this.options = new OptionsDesk({ now, changed, ...(config.refitIntervalMs ? { refitIntervalMs: config.refitIntervalMs } : {}) });
    this.state.addPart(this.options);
    this.view = new EngineMarketView(this.state, this.options, now);
    this.aave = config.aave ? new AaveWatch({ market: config.aave.market, accounts: config.aave.accounts.map((a) => a.toLowerCase()), now, changed: () => this.portfolio.marketChanged(), moved: () => this.monitor.riskChanged(), ...(config.aave.pollMs ? { pollMs: config.aave.pollMs } : {}) }) : null;
    this.portfolio = new PortfolioDesk({
      view: this.view,
      dataDir: config.dataDir ?? null,
      paper: config.mode === 'paper',
      paperAddress: config.paperAddress ?? null,
      watchHyperliquid: (addresses) => this.venues.having('watchAccounts').forEach((v) => v.watchAccounts(addresses)),
      readDeribit: config.deribit && (config.deribit.credentials || config.sign) ? () => this.venues.having('optionsAccount')[0]!.optionsAccount() : null,
      deribitAccountLabel: config.mode === 'paper' ? 'paper' : (config.deribit?.credentials?.clientId ?? 'deribit'),
      ...(config.deribitPollMs ? { deribitPollMs: config.deribitPollMs } : {}),
      venueAccounts: () => this.venues.having('accountPositions').map((v) => ({ venue: v.id, read: () => v.accountPositions() })),
      ...(this.aave ? { otherAccounts: () => this.aave!.summaries(), aaveMargins: (u: string) => this.aave!.marginInputs(u) } : {}),
      marginCallLevels: () => this.monitor?.marginCallLevels() ?? { ratioPct: null, healthFactor: null },
      changed,
    });
    this.state.addPart(this.portfolio);
    this.orders = new OrdersDesk({
      bus: this.bus,
      journal: this.journal,
      now,
      mid: (venue, coin) => (venue === 'hyperliquid' ? (this.state.mids.get(perpInstrumentId(coin)) ?? null) : null),
      changed,
      ...(config.executor ? { executor: config.executor } : {}),
    });
    this.state.addPart(this.orders);
    this.subscribe();

    // The venues: each a registration onto the bus. A third venue is one more line here.
    const ctx: VenueContext = { bus: this.bus, now, paper: config.mode === 'paper' };
    const sign = config.sign;
    this.venues.register(
      hyperliquidVenue(
        ctx,
        {
          ...config.hyperliquid,
          ...(config.hyperliquidOptions ? { options: config.hyperliquidOptions } : {}),
          ...(config.actionTimeoutMs ? { actionTimeoutMs: config.actionTimeoutMs } : {}),
          ...(sign
            ? {
                sign: async (r) => signedSchema.parse(await sign({ venue: 'hyperliquid', action: r.action, purpose: r.purpose, summary: r.summary.slice(0, 200), ...(r.expiresAfter ? { expiresAfter: r.expiresAfter } : {}) })),
                askAccount: async () => hyperliquidAccountSchema.parse(await sign({ venue: 'hyperliquid', kind: 'account' })).hyperliquidAccount,
              }
            : {}),
        },
        () => this.orders.ownStreams('hyperliquid'),
      ),
    );
    if (config.deribit) {
      const { paper, ...deribit } = config.deribit;
      // Without a key of its own, Deribit trades through main (which holds the API key).
      this.venues.register(deribitVenue({ ...ctx, paper: paper ?? ctx.paper }, { ...deribit, ...(sign && !deribit.credentials ? { sign } : {}), ...(config.deribitOptions ? { options: config.deribitOptions } : {}) }, () => this.orders.ownStreams('deribit')));
    }
    if (config.derive) {
      const { paper, ...derive } = config.derive;
      this.venues.register(deriveVenue({ ...ctx, paper: paper ?? ctx.paper }, { ...derive, ...(sign ? { sign } : {}), ...(config.deriveOptions ? { options: config.deriveOptions } : {}) }, () => this.orders.ownStreams('derive')));
    }
    for (const v of this.venues.all()) if (v.execution) this.orders.addVenue(v.id, v.execution, v.account ?? null);
    this.arb = new ArbDesk({ options: this.options, orders: this.orders, now });
    this.hedge = new HedgeDesk({
      portfolio: this.portfolio,
      spot: (u) => this.view.spot(u),
      state: this.state,
      orders: this.orders,
      journal: this.journal,
      instruments: () => this.perpInstruments(),
      now,
    });
    this.state.addPart(this.hedge);
    this.autoHedger = new AutoHedger({ hedge: this.hedge, orders: this.orders, journal: this.journal, now, save: (c) => this.portfolio.setAutoHedge(c), ...(config.autoHedgeCheckMs ? { checkMs: config.autoHedgeCheckMs } : {}) });
    this.monitor = new MonitorDesk({
      risk: () => this.portfolio.riskNow(),
      accounts: () => this.portfolio.accounts(),
      venues: () => [...this.state.venues.values()],
      hedgers: () => this.autoHedger.statuses(),
      hedgerCheckMs: config.autoHedgeCheckMs ?? AUTO_HEDGE_CHECK_MS,
      journal: this.journal,
      dataDir: config.dataDir ?? null,
      now,
      changed,
      ...(config.notify ? { notify: config.notify } : {}),
      // "The protocol broke": a venue down or silent past the critical threshold starts its
      // divestment where the trader armed it.
      critical: (a) => {
        if (!PROTOCOL_RULES.has(a.rule)) return;
        const venue = a.subject.split(':')[0];
        if (venue === 'hyperliquid' || venue === 'deribit' || venue === 'aave') void this.divest.protocolBroke(venue, a.message).catch(() => undefined);
      },
      ...(config.monitorEvaluateMs ? { evaluateMs: config.monitorEvaluateMs } : {}),
      hyperliquid: () => this.state.venues.get('hyperliquid'),
      collateral: () => this.venues.having('collateral').find((v) => v.id === 'hyperliquid')?.collateral ?? null,
      tradingAccount: () => this.orders.accountOf('hyperliquid'),
      aave: this.aave ? { data: (a) => this.aave!.data(a), error: (a) => this.aave!.error(a), supply: (a, symbol, tokens, cap) => this.aaveSupply(a, symbol, tokens, cap) } : null,
      ...(config.topUpVerifyMs ? { topUpVerifyMs: config.topUpVerifyMs } : {}),
      protocol: () => protocolReadings({ state: this.state, view: this.view, instruments: () => this.perpInstruments(), aave: this.aave }),
    });
    this.state.addPart(this.monitor);
    this.bus.on('risk', () => this.monitor.riskChanged());
    // The dead-man switch and the stops change what the kill switch's frame part shows.
    const divestChanged = (): void => {
      this.divest.republish();
      changed();
    };
    const hlExecution = this.venues.all().find((v) => v.id === 'hyperliquid')?.execution;
    this.deadMan = hlExecution?.scheduleCancel
      ? new DeadManSwitch({
          liveOrders: () => this.orders.snapshot().orders.filter((o) => o.venue === 'hyperliquid' && !TERMINAL.has(o.state)).length,
          schedule: (at) => hlExecution.scheduleCancel!(at),
          now,
          journal: this.journal,
          changed: divestChanged,
          ...config.deadMan,
        })
      : null;
    const hl = hlExecution instanceof HyperliquidExecution ? hlExecution : null;
    this.stops = hl
      ? new ProtectiveStops({
          venue: {
            position: (coin) => {
              const account = this.orders.accountOf('hyperliquid');
              if (!account) return null;
              const row = this.portfolio.riskNow().positions.find((p) => p.def.source === 'hyperliquid' && p.def.underlying === coin && p.def.account.toLowerCase() === account.toLowerCase());
              return row?.def.quantity ?? (this.portfolio.accounts().some((a) => a.source === 'hyperliquid' && a.account.toLowerCase() === account.toLowerCase() && !a.error) ? 0 : null);
            },
            mark: (coin) => this.view.perpMark(coin),
            lot: (coin) => 10 ** -(this.perpInstruments().find((i) => i.id === perpInstrumentId(coin))?.sizeDecimals ?? 5),
            blocked: () => {
              const g = this.orders.gate('hyperliquid');
              return !g ? 'Hyperliquid cannot trade here' : g.ready ? (this.orders.accountOf('hyperliquid') ? null : 'no trading account yet') : g.reason;
            },
            openOrders: () => hl.openOrders(),
            placeStop: (s) => hl.placeStop(s),
            cancel: (cloid, coin) => hl.cancel(cloid, coin),
          },
          journal: this.journal,
          now,
          changed: divestChanged,
          dataDir: config.dataDir ?? null,
          ...(config.stopsCheckMs ? { checkMs: config.stopsCheckMs } : {}),
        })
      : null;
    this.divest = new DivestDesk({
      stops: () => this.stops?.statuses() ?? [],
      deadMan: () => ({ ...(this.deadMan?.status ?? { armedUntil: null, error: null }) }),
      world: divestWorld({
        portfolio: this.portfolio,
        state: this.state,
        options: this.options,
        venues: this.venues,
        orders: this.orders,
        hedge: this.hedge,
        autoHedger: this.autoHedger,
        aave: this.aave,
        aaveWallet: this.aave ? (a, symbol) => this.aaveWalletBalance(a, symbol) : null,
        aaveRepay: this.aave ? (a, symbol, tokens) => this.aaveRepay(a, symbol, tokens) : null,
        aaveWithdraw: this.aave ? (a, symbol, tokens) => this.aaveWithdraw(a, symbol, tokens) : null,
      }),
      journal: this.journal,
      now,
      changed,
      dataDir: config.dataDir ?? null,
      ...(config.divest ? { tuning: config.divest } : {}),
    });
    this.state.addPart(this.divest);

    this.handlers = {
      ...marketCommands(this.venues, this.state),
      ...optionsCommands(this.venues, this.options),
      ...portfolioCommands(this.portfolio),
      ...ordersCommands(this.orders, () => ({ db: this.journal, damaged: this.journalDamaged })),
      ...hedgeCommands(this.hedge, this.autoHedger, () => this.portfolio.underlyings()),
      ...arbCommands(this.arb),
      ...alertsCommands(this.monitor),
      ...divestCommands(this.divest, this.stops),
      ...healthCommands(this.loop),
    } as Record<EngineCommand, AnyEngineHandler>;
  }

  /** Every perp market the venues list (Hyperliquid's now). */
  private perpInstruments(): Instrument[] {
    return this.venues.having('perps').flatMap((v) => v.perps.instruments());
  }

  private aaveWriter: AaveWriter | null = null;
  /** Set by stop(): work that finishes after it (the portfolio's first read) starts nothing. */
  private stopped = false;

  /** The Aave writer and a listed reserve; transactions are signed by main, which reads and guards them. */
  private aaveReserve(symbol: string): { writer: AaveWriter; reserve: AaveMarketRef['reserves'][number] } {
    const aave = this.config.aave;
    const sign = this.config.sign;
    if (!aave || !sign) throw new Error('Aave transactions cannot be signed by this host');
    const reserve = aave.market.reserves.find((r) => r.symbol === symbol);
    if (!reserve) throw new Error(`${symbol} is not a reserve of this Aave market`);
    this.aaveWriter ??= new AaveWriter({ market: aave.market, gasCapGwei: MAX_FEE_GWEI, sign: async (r) => aaveSignedSchema.parse(await sign({ venue: 'aave', kind: 'tx', ...r, summary: r.summary.slice(0, 200) })) });
    return { writer: this.aaveWriter, reserve };
  }

  /** Collateral from the account's wallet into Aave (a top-up). */
  private async aaveSupply(account: string, symbol: string, tokens: number, gasCapGwei?: number): Promise<void> {
    const { writer, reserve } = this.aaveReserve(symbol);
    await writer.supply(account, reserve, tokens, 'top-up', gasCapGwei);
  }

  /** Debt repaid from the account's wallet (the kill switch). */
  private async aaveRepay(account: string, symbol: string, tokens: number): Promise<void> {
    const { writer, reserve } = this.aaveReserve(symbol);
    await writer.repay(account, reserve, tokens, 'flatten');
    await this.aave?.read();
  }

  /** Collateral back to the account's wallet (the kill switch, once no debt is left). */
  private async aaveWithdraw(account: string, symbol: string, tokens: number | null): Promise<void> {
    const { writer, reserve } = this.aaveReserve(symbol);
    await writer.withdraw(account, reserve, tokens, 'flatten');
    await this.aave?.read();
  }

  private async aaveWalletBalance(account: string, symbol: string): Promise<number> {
    const { writer, reserve } = this.aaveReserve(symbol);
    return writer.balance(account, reserve);
  }

  /** Who listens to what: the market state and the desks, all through the bus. */
  private subscribe(): void {
    const { bus, state } = this;
    const changed = (): void => this.publisher.changed();
    bus.on('book', (u) => {
      state.applyBook(u);
      changed();
    });
    bus.on('grouped-book', (u) => {
      state.applyGroupedBook(u);
      changed();
    });
    bus.on('trades', (t) => {
      state.applyTrades(t);
      changed();
    });
    bus.on('mids', (m) => {
      state.applyMids(m);
      this.portfolio.marketChanged();
      changed();
    });
    bus.on('venue-status', (s) => {
      state.applyVenueStatus(s);
      changed();
    });
    bus.on('position', (a) => {
      this.portfolio.perpAccount(a);
      if ('positions' in a) this.journalPositions(a.address, a.positions.map((p) => ({ instrument: p.instrument, quantity: p.quantity, entryPrice: p.entryPrice })));
      bus.emit('risk', { at: Date.now() });
    });
    bus.on('trading-account', ({ account }) => {
      this.portfolio.addTradingAccount(account);
      // The gates name the account orders go to (the ticket projects onto it).
      this.orders.republish();
    });
    // After a reconnect the stops are looked at again once the gate opens (the timer also does it).
    bus.on('reconnected', ({ venue }) => {
      // What the venue did while the link was down is read before anything is sent. Not Deribit's
      // market-data link: its orders live on main's connection (cancel-on-disconnect) and its
      // fills return with the account poll, so a redial of the data link closes no gate.
      if (venue !== 'deribit') void this.orders.reconcile(venue).then(() => this.stops?.check());
    });
    bus.on('option-chain', (contracts) => this.options.setChain(contracts));
    bus.on('peer-listing', ({ venue, listings }) => this.options.setPeers(venue, listings));
    bus.on('peer-quote', (q) => this.options.peerQuote(q));
    bus.on('peer-book', (b) => this.options.peerBook(b));
    bus.on('ticker', (t) => {
      this.options.ticker(t);
      this.portfolio.marketChanged();
    });
    bus.on('option-book', ({ name, book, receivedAt }) => {
      // A Deribit perpetual's book goes out like any perp book (USD sizes), for the ticket.
      if (name.endsWith('-PERPETUAL')) bus.emit('book', { instrumentId: `deribit:${name}`, time: book.time, receivedAt, levels: book.pack(PERP_BOOK_DEPTH) });
      else this.options.book(name, book, receivedAt);
    });
    bus.on('fill', (f) => {
      const account = this.orders.accountOf(f.venue);
      if (account && f.venue === 'hyperliquid') this.portfolio.applyFill(account, f.instrument, f.side === 'buy' ? f.size : -f.size, f.price, f.at);
      // Deribit positions come whole from the venue: read them at once rather than at the next poll.
      if (f.venue === 'deribit') void this.portfolio.refreshDeribit();
      bus.emit('risk', { at: f.at });
    });
    // A position changed at Deribit however it happened (our order, its web page, a liquidation).
    bus.on('account-changed', ({ venue }) => {
      if (venue === 'deribit') void this.portfolio.refreshDeribit();
    });
  }

  private readonly journaledPositions = new Map<string, string>();

  /** A position snapshot goes to the journal when the venue's sizes or entries change (not on every mark). */
  private journalPositions(account: string, positions: { instrument: string; quantity: number; entryPrice: number }[]): void {
    const key = JSON.stringify(positions);
    if (this.journaledPositions.get(account) === key) return;
    this.journaledPositions.set(account, key);
    void this.journal?.append('position', { account, positions }).catch(() => undefined);
  }

  /** What-ifs the host remembered from before an engine restart; a bad one is skipped, not fatal. */
  restoreWhatIfs(saved: { id: string; request: unknown; entry: number }[]): number {
    let restored = 0;
    for (const w of saved) {
      const parsed = COMMANDS['portfolio.whatIf.add'].request.safeParse(w.request);
      if (!parsed.success || !Number.isFinite(w.entry)) continue;
      this.portfolio.restoreWhatIf(w.id, whatIfDef(parsed.data), w.entry);
      restored++;
    }
    return restored;
  }

  async start(): Promise<void> {
    this.loop.start();
    this.options.start();
    this.aave?.start();
    // The auto-hedgers start from their saved settings once the portfolio has read them.
    void this.portfolio.start().then(() => {
      // Stopped while the settings were read (a quick quit): nothing is started on a closed journal.
      if (this.stopped) return;
      this.autoHedger.restore(this.portfolio.autoHedge());
      this.autoHedger.start();
      void this.monitor.start();
      void this.divest.start();
      this.deadMan?.start();
      void this.stops?.start();
    });
    await this.venues.start();
  }

  stop(): void {
    this.stopped = true;
    this.loop.stop();
    this.aave?.stop();
    this.aaveWriter?.close();
    this.monitor.stop();
    this.deadMan?.stop();
    this.stops?.stop();
    this.autoHedger.stop();
    this.venues.stop();
    this.options.stop();
    this.portfolio.stop();
    this.publisher.stop();
    this.journal?.close();
  }

  /** A listener that takes every frame, paced by the publisher's interval (tests, tools). */
  addStreamSink(sink: FrameSink): () => void {
    const remove = this.publisher.addSink(sink);
    this.republish();
    return remove;
  }

  /**
   * A screen: frames go out as its credit allows and it gives credit back as it draws them
   * (`drawn`); one that missed frames while it stalled gets the whole state when it draws again.
   */
  addScreenSink(sink: FrameSink): MeteredSink {
    const screen = this.publisher.addMeteredSink(sink);
    this.republish();
    return screen;
  }

  /**
   * Puts the whole current state in the next frame. A new screen needs the venue badges, books,
   * chain, surfaces, mispricing list and orders now, not at their next change.
   */
  republish(): void {
    for (const s of this.state.venues.values()) this.state.applyVenueStatus(s);
    for (const b of this.state.books.values()) this.state.applyBook(b);
    this.options.republish();
    this.portfolio.republish();
    this.orders.republish();
    this.monitor.republish();
    this.divest.republish();
    this.publisher.changed();
  }

  /** Validates and answers one command. Never throws: failures come back as typed errors. */
  async request(name: unknown, payload: unknown): Promise<CommandResult<unknown>> {
    const req = validateRequest(name, payload);
    if (!req.ok) return req;
    try {
      const value = await this.answer(req.value.name, req.value.payload);
      return validateResponse(req.value.name, value);
    } catch (err) {
      return fail('unavailable', `${describeCommand(req.value.name)} failed: ${err instanceof Error ? err.message : 'unexpected error'}`);
    }
  }

  private async answer(name: CommandName, payload: Record<string, unknown>): Promise<unknown> {
    const handler = Object.hasOwn(this.handlers, name) ? this.handlers[name as EngineCommand] : undefined;
    if (!handler) throw new Error('answered by the host');
    return await handler(payload);
  }
}

/** The journal in the data folder (a damaged one is kept beside it and a new one started), or in memory. */
function openJournal(dataDir: string | null, now: () => number): { journal: EngineJournal | null; damaged: string | null } {
  try {
    const journal = new EngineJournal(dataDir ? path.join(dataDir, 'journal.sqlite') : ':memory:', { now });
    const d = journal.report.damaged;
    return { journal, damaged: d ? `the journal could not be read (${d.reason}); it was kept as ${path.basename(d.keptAs)} and a new one started` : null };
  } catch (err) {
    return { journal: null, damaged: `no journal: ${(err as Error).message}` };
  }
}
