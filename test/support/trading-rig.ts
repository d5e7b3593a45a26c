import { mkdtemp, rm } from 'node:fs/promises';
import type { AaveGuardConfig } from '../../electron/vault/guard/aave-tx.ts';
import os from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { Engine, type EngineConfig } from '../../electron/engine/engine.ts';
import { DeribitSimServer, PAPER_CREDENTIALS } from '../../electron/sim/deribit/server.ts';
import { DeriveOptionMarket } from '../../electron/sim/derive/derive-options.ts';
import { DeriveSimServer } from '../../electron/sim/derive/server.ts';
import { HyperliquidSimServer } from '../../electron/sim/hyperliquid/server.ts';
import { SimOptionMarket } from '../../electron/sim/options/option-market.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { VaultHost } from '../../electron/vault/vault-host.ts';
import { LedgerEmulator } from './ledger-emulator.ts';

/*
 * A trading setup for integration tests: the Hyperliquid trading simulator, a vault with a
 * funded paper master, an approved agent and a wide budget, and engines signing through it.
 */
export interface TradingRig {
  server: HyperliquidSimServer;
  /** The Deribit simulator on the same market, when asked for. */
  deribit: DeribitSimServer | null;
  deribitWsUrl: string | null;
  /** The Derive simulator (on Deribit's listing), when asked for; its session key is registered by the master. */
  derive: DeriveSimServer | null;
  deriveUrls: { wsUrl: string; httpUrl: string; controlUrl: string } | null;
  host: VaultHost;
  /** The Ledger the vault talks to (an emulator of the Ethereum app on the test phrase). */
  ledger: LedgerEmulator;
  dir: string;
  /** The master the agent trades for (lowercase). */
  master: string;
  httpUrl: string;
  makeEngine(extra?: Partial<EngineConfig>): Engine;
  close(): Promise<void>;
}

export const RIG_PASSPHRASE = 'orbit-canvas-tulip-87-ledger';

export interface TradingRigOptions {
  deribit?: boolean;
  /** Derive too (implies Deribit's listing), with a session key registered by the master. */
  derive?: boolean;
  /** Benches: told of every Deribit request as it arrives. */
  observeDeribit?: (method: string, params: Record<string, unknown>) => void;
  /** Benches: told of every Hyperliquid exchange action as it arrives. */
  observeHyperliquid?: (payload: unknown) => void;
  /** Benches: a market that barely moves, so the simulators' own work is not what is timed. */
  stillMarket?: boolean;
  /** The Aave market main checks transactions against. */
  aave?: () => Promise<AaveGuardConfig | null>;
}

export async function startTradingRig(seed: number, prefix: string, options: TradingRigOptions = {}): Promise<TradingRig> {
  const stepMs = options.stillMarket ? 60_000 : null;
  const server = new HyperliquidSimServer({ market: new SimMarket({ seed, now: Date.now(), historyMs: 600_000 }), stepMs: stepMs ?? 100, bookIntervalMs: 200, ...(options.observeHyperliquid ? { observeAction: options.observeHyperliquid } : {}) });
  const { httpUrl, wsUrl } = await server.listen();
  // Deribit on the same simulated market (the Hyperliquid server advances it).
  const withDeribit = options.deribit === true || options.derive === true;
  const listing = withDeribit ? new SimOptionMarket(server.market, Date.now()) : null;
  const deribit = withDeribit ? new DeribitSimServer({ options: listing!, minHeartbeatS: 1, stepMs: stepMs ?? 200, ...(options.observeDeribit ? { observe: options.observeDeribit } : {}) }) : null;
  const deribitWsUrl = deribit ? (await deribit.listen()).wsUrl : null;
  const derive = options.derive ? new DeriveSimServer({ market: new DeriveOptionMarket(listing!, seed, Date.now()), controlToken: 'rig', stepMs: stepMs ?? 100 }) : null;
  const deriveUrls = derive ? await derive.listen() : null;
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const ledger = new LedgerEmulator();
  const host = new VaultHost({
    dataDir: dir,
    network: 'paper',
    hyperliquidHttpUrl: () => Promise.resolve(httpUrl),
    openLedger: () => Promise.resolve(ledger),
    scryptCost: { N: 2 ** 10, r: 8, p: 1 },
    // Deribit's orders go through main's trading connection, logged in with the simulator's paper key.
    ...(deribitWsUrl ? { deribit: () => Promise.resolve({ wsUrl: deribitWsUrl, network: 'paper' as const, paperKey: PAPER_CREDENTIALS }), deribitHeartbeatS: 1 } : {}),
    ...(options.aave ? { aave: options.aave } : {}),
    ...(deriveUrls ? { derive: () => Promise.resolve({ httpUrl: deriveUrls.httpUrl, network: 'paper' as const, chainId: derive!.chainId }) } : {}),
  });
  await host.start();
  await host.vault.create(RIG_PASSPHRASE);
  const wallet = Wallet.createRandom();
  const master = await host.vault.importPrivateKey(wallet.privateKey, { label: 'Main', role: 'master', venue: 'any' });
  await host.signing.approveAgent({ master: { kind: 'local', keyId: master.id }, name: 'desk', validDays: 2, confirm: { kind: 'passphrase', passphrase: RIG_PASSPHRASE } });
  await host.vault.setBudget({ maxOrderNotionalUsd: 1e6, maxPositionUsd: { '*': 1e7 }, maxDailyHedgeNotionalUsd: 1e9, maxDailyCollateralUsd: 0 }, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
  if (derive) await host.derive!.registerSessionKey({ owner: { kind: 'local', keyId: master.id }, label: 'desk', validDays: 2, confirm: { kind: 'passphrase', passphrase: RIG_PASSPHRASE } });
  const engines: Engine[] = [];
  return {
    server,
    deribit,
    deribitWsUrl,
    derive,
    deriveUrls,
    host,
    ledger,
    dir,
    httpUrl,
    master: wallet.address.toLowerCase(),
    makeEngine: (extra = {}) => {
      const engine = new Engine({
        mode: 'paper',
        hyperliquid: { httpUrl, wsUrl },
        dataDir: dir,
        hyperliquidOptions: { backoff: { baseMs: 50, capMs: 200, floorMs: 20 } },
        executor: { statusDelayMs: 50 },
        ...(deribitWsUrl ? { deribit: { wsUrl: deribitWsUrl, paper: true }, deribitOptions: { heartbeatIntervalS: 1, loginRetryMs: 200 } } : {}),
        ...(deriveUrls ? { derive: { wsUrl: deriveUrls.wsUrl, paper: true }, deriveOptions: { loginRetryMs: 200 } } : {}),
        sign: async (r) => {
          const signed = await host.signing.signForEngine(r);
          if (!signed.ok) throw new Error(signed.error.message);
          return signed.value;
        },
        ...extra,
      });
      engines.push(engine);
      return engine;
    },
    close: async () => {
      for (const e of engines) e.stop();
      host.stop();
      await derive?.close();
      await deribit?.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
