import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { APP_VERSION } from '../border/app-version.ts';
import { createCommandRouter } from '../border/command-router.ts';
import { loadKeymapFile } from '../border/keymap-file.ts';
import { openUsbTransport } from '../vault/ledger/ledger-modules.ts';
import { deribitEndpointOf } from '../border/deribit-endpoint.ts';
import { deriveEndpointOf } from '../border/derive-endpoint.ts';
import { aaveMarketOf } from '../border/aave-endpoint.ts';
import { VaultHost } from '../vault/vault-host.ts';
import { EngineWorkerHost } from './engine-worker-host.ts';
import { lockDataFolder, type InstanceLock } from '../storage/instance-lock.ts';
import { HeadlessServer } from './server.ts';
import { NetworkSettings } from '../border/network-settings.ts';
import { bootWithNetworks, networkHandlers } from '../border/network-handlers.ts';
import type { EngineBoot } from '../engine/host-protocol.ts';
import { newLaunchToken } from './token.ts';
import { LoopDelayMonitor } from '../../shared/perf/loop-delay.ts';
import { allPaper } from '../../shared/domain/networks.ts';

/** How late this process's event loop runs (app.health): what every command and frame waits behind. */
const hostLoop = new LoopDelayMonitor();
hostLoop.start();

/*
 * `npm run start:headless`: the whole app without Electron. The engine runs in a worker thread,
 * the renderer is served on 127.0.0.1, and the printed URL (with its one-time token) opens it.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    seed: { type: 'string' },
    'sim-control': { type: 'boolean', default: false },
    'sim-book-interval-ms': { type: 'string' },
    'stale-after-ms': { type: 'string' },
    'data-dir': { type: 'string' },
    /** Tests: "testnet" means the built-in simulators, so live code paths run against them. */
    'testnet-at-sim': { type: 'boolean', default: false },
    /** Paper mode without the local Aave market (a lighter start where it is not needed). */
    'no-paper-aave': { type: 'boolean', default: false },
  },
});

function intOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name}: expected a whole number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const simControlToken = values['sim-control'] ? newLaunchToken() : undefined;
const bookInterval = intOption('sim-book-interval-ms', values['sim-book-interval-ms']);
const staleAfter = intOption('stale-after-ms', values['stale-after-ms']);
// Settings and the keymap live apart from the Electron app's, so both can run at once.
const dataDir = values['data-dir'] ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'DeltaDesk', 'headless');
// Before anything starts: a second copy on this folder would share its vault and its agents.
let folderLock: InstanceLock;
try {
  folderLock = await lockDataFolder(dataDir, 'browser host');
} catch (err) {
  console.error(`DeltaDesk could not start: ${(err as Error).message}`);
  process.exit(1);
}
const networks = new NetworkSettings(dataDir, values['testnet-at-sim']);
await networks.load();
const baseBoot: EngineBoot = {
  mode: 'paper',
  seed: intOption('seed', values.seed) ?? Date.now() % 2 ** 31,
  ...(simControlToken ? { simControlToken } : {}),
  ...(bookInterval ? { simBookIntervalMs: bookInterval } : {}),
  ...(staleAfter ? { staleAfterMs: staleAfter } : {}),
  ...(values['no-paper-aave'] ? { paperAave: false } : {}),
  dataDir,
};
const engine = new EngineWorkerHost(new URL('./engine-worker.js', import.meta.url), bootWithNetworks(baseBoot, networks));

// The browser cannot offer a device key store, so the headless host unlocks by passphrase only.
const vault = new VaultHost({
  dataDir,
  network: () => networks.current.hyperliquid,
  // Where the running engine's Hyperliquid points (the simulator listens on new ports after a restart).
  hyperliquidHttpUrl: async () => (await engine.current()).endpoints.hyperliquid.httpUrl,
  // Deribit's orders go out on main's own connection, to wherever the running engine's Deribit is.
  deribit: async () => deribitEndpointOf(await engine.current()),
  // Derive's orders are signed here with the session key and sent on main's own line.
  derive: async () => deriveEndpointOf(await engine.current()),
  aave: async () => aaveMarketOf(await engine.current()),
  openLedger: openUsbTransport,
  canRemember: false,
  passphraseWorker: new URL('./passphrase-worker.js', import.meta.url),
});
// The engine asks main to sign; main reads the action, guards it and signs with the venue's agent.
engine.setSigner((request) => vault.signing.signForEngine(request));

const server = new HeadlessServer({
  rendererRoot: path.join(here, '../renderer'),
  port: intOption('port', values.port) ?? 0,
  route: createCommandRouter(
    {
      'app.info': () => ({ name: 'DeltaDesk', version: APP_VERSION, host: 'browser', mode: allPaper(networks.current) ? 'paper' : 'live' }),
      'app.keymap': () => loadKeymapFile(dataDir),
      'app.health': () => ({ engine: engine.health, networks: networks.current, loop: hostLoop.stats() }),
      ...networkHandlers(networks, engine, () => bootWithNetworks(baseBoot, networks)),
      ...vault.handlers(),
    },
    (name, payload) => engine.request(name, payload),
  ),
  onFrame: (l) => engine.onFrame(l),
  onStreamOpen: () => engine.republish(),
  onDrawn: (n) => engine.drawn(n),
});

try {
  await vault.start();
  const ready = await engine.ready;
  const url = await server.listen();
  const n = networks.current;
  console.log(`DeltaDesk is running (Hyperliquid ${n.hyperliquid}, Deribit ${n.deribit}, Derive ${n.derive}). Open: ${url}`);
  if (simControlToken && ready.sim) {
    console.log(`SIM_CONTROL ${JSON.stringify({ url: `${ready.sim.httpUrl}/_sim/control`, deribitUrl: ready.sim.deribit.controlUrl, deriveUrl: ready.sim.derive.controlUrl, token: simControlToken })}`);
  }
} catch (err) {
  console.error(`DeltaDesk could not start: ${(err as Error).message}`);
  process.exit(1);
}

const shutdown = (): void => {
  vault.stop();
  void folderLock.release();
  void server.close().finally(() => {
    void engine.stop().finally(() => process.exit(0));
  });
};
process.on('SIGINT', shutdown);
// With the test-only fault endpoints on, SIGUSR2 crashes the engine so a restart can be watched.
if (simControlToken) process.on('SIGUSR2', () => engine.crashForTest());
process.on('SIGTERM', shutdown);
