import type { CommandName, CommandRequest } from '../../shared/contract/commands.ts';
import { fail, type CommandResult } from '../../shared/contract/result.ts';
import { COMMANDS } from '../../shared/contract/commands.ts';
import type { Signed, SignRequest } from './host-protocol.ts';
import { describeCommand } from '../../shared/contract/command-words.ts';
import { validateRequest, validateResponse } from '../../shared/contract/validate.ts';
import type { Instrument } from '../../shared/domain/instruments.ts';
import type { Candle, Timeframe } from '../../shared/domain/market.ts';
import type { NewPosition } from '../../shared/domain/portfolio.ts';
import { optionName } from '../venues/deribit/instrument-name.ts';
import { DeribitMarketData, type DeribitCredentials, type DeribitMarketDataOptions } from '../venues/deribit/market-data.ts';
import { HyperliquidMarketData, type HyperliquidMarketDataOptions } from '../venues/hyperliquid/market-data.ts';
import { OptionsDesk } from './options/options-desk.ts';
import { EngineMarketView } from './portfolio/market-view.ts';
import { PortfolioDesk } from './portfolio/portfolio-desk.ts';
import { MarketState } from './market/market-state.ts';
import { Publisher, type FrameSink } from './publisher.ts';

export interface VenueEndpoints {
  httpUrl: string;
  wsUrl: string;
}

export interface EngineConfig {
  mode: 'paper' | 'live';
  hyperliquid: VenueEndpoints;
  /** Adapter tuning (tests shorten heartbeats and staleness). */
  hyperliquidOptions?: Partial<HyperliquidMarketDataOptions>;
  /** Deribit options market data; with credentials also read-only positions. */
  deribit?: { wsUrl: string; credentials?: DeribitCredentials };
  deribitOptions?: Partial<DeribitMarketDataOptions>;
  /** How often changed smiles are refitted, ms. */
  refitIntervalMs?: number;
  publishIntervalMs?: number;
  now?: () => number;
  /** Folder for the portfolio's settings file; null or absent keeps them in memory. */
  dataDir?: string | null;
  /** Paper mode: the simulator's Hyperliquid account, watched by default. */
  paperAddress?: string | null;
  /** Asks main to sign a venue action (the execution clients' only way to a signature). */
  sign?: (request: SignRequest) => Promise<Signed>;
  deribitPollMs?: number;
}

/**
 * The engine: venues in, coalesced frames out, commands answered. It imports nothing from
 * Electron, so the same object runs in a utility process, a worker thread or a test.
 */
export class Engine {
  readonly state = new MarketState();
  readonly publisher: Publisher;
  readonly hyperliquid: HyperliquidMarketData;
  readonly deribit: DeribitMarketData | null = null;
  readonly options: OptionsDesk;
  readonly portfolio: PortfolioDesk;
  private readonly candleLoads = new Map<string, Promise<void>>();

  private readonly config: EngineConfig;

  constructor(config: EngineConfig) {
    this.config = config;
    const now = config.now ?? Date.now;
    this.publisher = new Publisher(this.state, config.publishIntervalMs ?? 16, now);
    this.hyperliquid = new HyperliquidMarketData(
      { ...config.hyperliquid, paper: config.mode === 'paper', now, ...config.hyperliquidOptions },
      {
        book: (u) => {
          this.state.applyBook(u);
          this.publisher.changed();
        },
        trades: (t) => {
          this.state.applyTrades(t);
          this.publisher.changed();
        },
        mids: (m) => {
          this.state.applyMids(m);
          this.portfolio.marketChanged();
          this.publisher.changed();
        },
        account: (a) => this.portfolio.perpAccount(a),
        status: (s) => {
          this.state.applyVenueStatus(s);
          this.publisher.changed();
        },
      },
    );
    this.options = new OptionsDesk({ now, changed: () => this.publisher.changed(), ...(config.refitIntervalMs ? { refitIntervalMs: config.refitIntervalMs } : {}) });
    this.state.addPart(this.options);
    if (config.deribit) {
      this.deribit = new DeribitMarketData(
        {
          wsUrl: config.deribit.wsUrl,
          paper: config.mode === 'paper',
          now,
          ...(config.deribit.credentials ? { credentials: config.deribit.credentials } : {}),
          ...config.deribitOptions,
        },
        {
          chain: (contracts) => this.options.setChain(contracts),
          ticker: (t) => {
            this.options.ticker(t);
            this.portfolio.marketChanged();
          },
          book: (name, book, receivedAt) => this.options.book(name, book, receivedAt),
          status: (s) => {
            this.state.applyVenueStatus(s);
            this.publisher.changed();
          },
        },
      );
    }
    const deribit = this.deribit;
    this.portfolio = new PortfolioDesk({
      view: new EngineMarketView(this.state, this.options, now),
      dataDir: config.dataDir ?? null,
      paper: config.mode === 'paper',
      paperAddress: config.paperAddress ?? null,
      watchHyperliquid: (addresses) => this.hyperliquid.watchAccounts(addresses),
      readDeribit: deribit && config.deribit?.credentials ? () => deribit.account() : null,
      deribitAccountLabel: config.mode === 'paper' ? 'paper' : (config.deribit?.credentials?.clientId ?? 'deribit'),
      ...(config.deribitPollMs ? { deribitPollMs: config.deribitPollMs } : {}),
      changed: () => this.publisher.changed(),
    });
    this.state.addPart(this.portfolio);
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
    this.deribit?.start();
    this.options.start();
    void this.portfolio.start();
    await this.hyperliquid.start();
  }

  stop(): void {
    this.hyperliquid.stop();
    this.deribit?.stop();
    this.options.stop();
    this.portfolio.stop();
    this.publisher.stop();
  }

  addStreamSink(sink: FrameSink): () => void {
    const remove = this.publisher.addSink(sink);
    this.republish();
    return remove;
  }

  /**
   * Puts the whole current state in the next frame. A new screen needs the venue badges, books,
   * chain, surfaces and mispricing list now, not at their next change.
   */
  republish(): void {
    for (const s of this.state.venues.values()) this.state.applyVenueStatus(s);
    for (const b of this.state.books.values()) this.state.applyBook(b);
    this.options.republish();
    this.portfolio.republish();
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
    switch (name) {
      case 'market.instruments':
        return this.instruments();
      case 'market.candles':
        return this.candles(String(payload.instrumentId), payload.timeframe as Timeframe);
      case 'venues.status':
        return [this.hyperliquid.status(), ...(this.deribit ? [this.deribit.status()] : [])];
      case 'options.chain':
        return { venue: 'deribit', contracts: this.options.board.contracts };
      case 'options.focus': {
        const name = payload.name as string | null;
        this.options.focus(name, name ? this.deribit?.book(name) : undefined);
        return { ok: true };
      }
      case 'options.account':
        return this.account();
      case 'portfolio.import':
        return this.portfolio.importCsv(String(payload.csv), String(payload.fileName), payload.replace === true);
      case 'portfolio.removeImported':
        return { removed: this.portfolio.removeImported(payload.id as string | null) };
      case 'portfolio.accounts':
        this.portfolio.setHyperliquidAddresses(payload.hyperliquidAddresses as string[]);
        return { ok: true };
      case 'portfolio.whatIf.add':
        return this.portfolio.addWhatIf(whatIfDef(payload as CommandRequest<'portfolio.whatIf.add'>));
      case 'portfolio.whatIf.remove':
        this.portfolio.removeWhatIf(payload.id as string | null);
        return { ok: true };
      case 'portfolio.ladder':
        this.portfolio.setLadder(payload as CommandRequest<'portfolio.ladder'>);
        return { ok: true };
      case 'portfolio.ladderInputs': {
        const inputs = this.portfolio.ladderInputs(String(payload.underlying), Number(payload.computedAt));
        if (!inputs) throw new Error('that ladder is no longer kept (only the last few seconds are)');
        return inputs;
      }
      case 'app.info':
      case 'app.keymap':
      case 'app.activity':
      case 'vault.status':
      case 'vault.checkPassphrase':
      case 'vault.create':
      case 'vault.unlock':
      case 'vault.lock':
      case 'vault.importKey':
      case 'vault.deleteKey':
      case 'vault.exportKey':
      case 'vault.approveAgent':
      case 'vault.setBudget':
      case 'vault.setIdleLock':
      case 'vault.journal':
      case 'ledger.status':
      case 'ledger.addAccount':
      case 'ledger.cancel':
        throw new Error('answered by the host');
    }
  }

  private async account(): Promise<unknown> {
    if (!this.deribit) throw new Error('Deribit is not configured');
    const accounts = await this.deribit.account();
    return accounts.map(({ currency, summary, positions }) => ({
      currency,
      equity: summary.equity,
      availableFunds: summary.available_funds,
      initialMargin: summary.initial_margin,
      maintenanceMargin: summary.maintenance_margin,
      deltaTotal: summary.delta_total ?? null,
      positions: positions.map((p) => ({
        name: p.instrument_name,
        kind: p.kind,
        size: p.size,
        averagePrice: p.average_price,
        markPrice: p.mark_price,
        floatingPnl: p.floating_profit_loss ?? null,
        delta: p.delta ?? null,
      })),
    }));
  }

  private instruments(): Instrument[] {
    return this.hyperliquid.instruments;
  }

  private async candles(instrumentId: string, timeframe: Timeframe): Promise<Candle[]> {
    const instrument = this.instruments().find((i) => i.id === instrumentId);
    if (!instrument) throw new Error(`no instrument ${instrumentId} (markets ${this.instruments().length ? 'loaded' : 'still loading'})`);
    const k = `${instrumentId}|${timeframe}`;
    let load = this.candleLoads.get(k);
    if (!load) {
      this.state.candles.open(instrumentId, timeframe);
      load = this.hyperliquid.candles(instrument, timeframe).then((history) => this.state.candles.load(instrumentId, timeframe, history));
      // A failed load is retried by the next request rather than cached.
      load.catch(() => this.candleLoads.delete(k));
      this.candleLoads.set(k, load);
    }
    await load;
    return this.state.candles.get(instrumentId, timeframe);
  }
}


/** A what-if as a position: options get a Deribit-style name so a listed one prices off its own quote. */
function whatIfDef(w: CommandRequest<'portfolio.whatIf.add'>): NewPosition {
  if (w.type !== 'option') return { type: w.type, underlying: w.underlying, instrument: `${w.underlying}-${w.type.toUpperCase()}`, quantity: w.quantity, entryPrice: NaN };
  return {
    type: 'option',
    underlying: w.underlying,
    instrument: optionName(w.underlying, w.expiry, w.strike, w.kind),
    quantity: w.quantity,
    kind: w.kind,
    strike: w.strike,
    expiry: w.expiry,
    settlement: 'inverse',
    entryPremium: NaN,
  };
}
