import { DeribitSimServer, PAPER_CREDENTIALS } from './deribit/server.ts';
import { HyperliquidSimServer } from './hyperliquid/server.ts';
import { SimOptionMarket } from './options/option-market.ts';
import { SimMarket } from './sim-market.ts';
import { startPaperAave, type AaveEndpoints, type PaperAave } from './aave/paper-aave.ts';
import { aaveOracleControl } from './aave/oracle-control.ts';
import { DeriveOptionMarket } from './derive/derive-options.ts';
import { DeriveSimServer } from './derive/server.ts';

export interface SimLaunchOptions {
  seed: number;
  /** Enables the fault-injection endpoints, guarded by this token (tests only). */
  controlToken?: string;
  bookIntervalMs?: number;
  stepMs?: number;
  port?: number;
  /** The Deribit server's port (0 or absent: any free one). */
  deribitPort?: number;
  /** The Derive server's port (0 or absent: any free one). */
  derivePort?: number;
  /** Smallest Deribit heartbeat interval accepted, s (tests shorten it; the venue's is 10). */
  minHeartbeatS?: number;
  /** Aave v3 on a local EVM (default on); off for runs that do not need it. */
  aave?: boolean;
}

export interface SimEndpoints {
  /** Hyperliquid wire: POST /info and the WebSocket; the control endpoint is `${httpUrl}/_sim/control`. */
  httpUrl: string;
  wsUrl: string;
  /** The Hyperliquid paper account holding the perp hedge. */
  paperAddress: string;
  deribit: { wsUrl: string; httpUrl: string; controlUrl: string; clientId: string; clientSecret: string };
  /** Derive's v3 wire (JSON-RPC over the WebSocket, HTTP POST per method); actions signed for `chainId`. */
  derive: { wsUrl: string; httpUrl: string; controlUrl: string; chainId: number };
  /** The real Aave v3 market on the local EVM, or why paper mode runs without it. */
  aave: AaveEndpoints | { unavailable: string };
}

export interface SimulatedMarket {
  market: SimMarket;
  options: SimOptionMarket;
  hyperliquid: HyperliquidSimServer;
  deribit: DeribitSimServer;
  derive: DeriveSimServer;
  endpoints: SimEndpoints;
  close(): Promise<void>;
}

/**
 * Starts the simulated market on loopback: one price process per coin, served in Hyperliquid's wire
 * format (perps), Deribit's (options on the same spot) and Derive's (USDC options on a subset of
 * Deribit's listing, priced off a surface of their own). The Hyperliquid server advances the shared
 * market; the option servers read it.
 */
export async function startSimulatedMarket(options: SimLaunchOptions): Promise<SimulatedMarket> {
  const now = Date.now();
  const market = new SimMarket({ seed: options.seed, now });
  const optionMarket = new SimOptionMarket(market, now);
  const control = options.controlToken ? { controlToken: options.controlToken } : {};
  let aave: PaperAave | null = null;
  const hyperliquid = new HyperliquidSimServer({
    market,
    ...control,
    ...(options.controlToken ? { marketControl: aaveOracleControl(() => aave) } : {}),
    ...(options.bookIntervalMs ? { bookIntervalMs: options.bookIntervalMs } : {}),
    ...(options.stepMs ? { stepMs: options.stepMs } : {}),
    ...(options.port ? { port: options.port } : {}),
  });
  const deribit = new DeribitSimServer({
    options: optionMarket,
    credentials: PAPER_CREDENTIALS,
    ...control,
    ...(options.minHeartbeatS ? { minHeartbeatS: options.minHeartbeatS } : {}),
    ...(options.deribitPort ? { port: options.deribitPort } : {}),
  });
  // Derive's crowd requotes four times a second: a thinner, on-chain book than Deribit's, and the
  // whole listing's tickers at that rate are what the engine reads beside Deribit's.
  const derive = new DeriveSimServer({ market: new DeriveOptionMarket(optionMarket, options.seed, now), stepMs: 250, ...control, ...(options.derivePort ? { port: options.derivePort } : {}) });
  const { httpUrl, wsUrl } = await hyperliquid.listen();
  const d = await deribit.listen();
  const dv = await derive.listen();
  // Aave is a convenience of paper mode: without it the rest still runs, and says why.
  let aaveProblem = 'switched off for this run';
  if (options.aave !== false) {
    // Twice: the local EVM's port is picked free a moment before it binds, and a busy machine can
    // hand it to someone else in between (or miss the start time once).
    for (let attempt = 1; attempt <= 2 && !aave; attempt++) {
      try {
        aave = await startPaperAave(market);
      } catch (err) {
        aaveProblem = `the paper Aave market could not start: ${(err as Error).message}`;
      }
    }
  }
  return {
    market,
    options: optionMarket,
    hyperliquid,
    deribit,
    derive,
    endpoints: { httpUrl, wsUrl, paperAddress: hyperliquid.paper.address, deribit: { ...d, clientId: PAPER_CREDENTIALS.clientId, clientSecret: PAPER_CREDENTIALS.clientSecret }, derive: { ...dv, chainId: derive.chainId }, aave: aave ? aave.endpoints : { unavailable: aaveProblem } },
    close: async () => {
      await hyperliquid.close();
      await deribit.close();
      await derive.close();
      await aave?.close();
    },
  };
}
