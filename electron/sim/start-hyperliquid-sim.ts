import { HyperliquidSimServer } from './hyperliquid/server.ts';
import { SimMarket } from './sim-market.ts';

export interface SimLaunchOptions {
  seed: number;
  /** Enables the fault-injection endpoint, guarded by this token (tests only). */
  controlToken?: string;
  bookIntervalMs?: number;
  stepMs?: number;
  port?: number;
}

export interface SimEndpoints {
  httpUrl: string;
  wsUrl: string;
}

/** Starts the simulated market and its Hyperliquid-wire server on loopback. */
export async function startHyperliquidSim(options: SimLaunchOptions): Promise<{ server: HyperliquidSimServer; endpoints: SimEndpoints }> {
  const market = new SimMarket({ seed: options.seed, now: Date.now() });
  const server = new HyperliquidSimServer({
    market,
    ...(options.controlToken ? { controlToken: options.controlToken } : {}),
    ...(options.bookIntervalMs ? { bookIntervalMs: options.bookIntervalMs } : {}),
    ...(options.stepMs ? { stepMs: options.stepMs } : {}),
    ...(options.port ? { port: options.port } : {}),
  });
  const { httpUrl, wsUrl } = await server.listen();
  return { server, endpoints: { httpUrl, wsUrl } };
}
